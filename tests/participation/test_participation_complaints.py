from __future__ import annotations

import pytest
from django.test import Client

from nominations.models import Complaint, Person, State
from tests.builders import core as builders
from tests.builders import participation as support
from workflow.audit import log as audit
from workflow.base.errors import InvalidInput, NotPermitted, RuleNotMet, WrongState
from workflow.models import AuditEvent, Notification
from workflow.services import complaints as services
from workflow.services import transitions as t

pytestmark = pytest.mark.django_db


def _lodge(nomination: object, who: Person, text: str = "Thành tích kê khai chưa chính xác.") -> Complaint:
    return services.complaint_lodge(nomination=nomination, actor=who, text=text)  # type: ignore[arg-type]


def test_any_member_of_staff_can_complain_during_the_notice_and_the_item_goes_on_hold(
    demo: None, people: dict[str, Person]
) -> None:
    nomination = support.proposed_on_notice()
    complainant = people["staff-nsba-1"]  # another unit, no role at all
    complaint = _lodge(nomination, complainant)
    nomination.refresh_from_db()
    assert nomination.state == State.ON_HOLD
    assert complaint.is_open and complaint.notice == support.notice_of(nomination)
    hold = AuditEvent.objects.get(nomination=nomination, transition="hold")
    assert hold.actor is None and hold.actor_name == "hệ thống"  # the system holds it, on the complaint
    assert hold.actor_role == "system"
    assert hold.data == {"authority": "complaint", "complaint": complaint.pk}
    lodged = AuditEvent.objects.get(data__action="complaint_lodged", data__nomination=nomination.pk)
    assert lodged.actor == complainant and lodged.comment == complaint.text  # the audit names who complained
    assert lodged.object_type == "nominations.complaint" and lodged.object_id == str(complaint.pk)
    assert set(
        Notification.objects.filter(subject__contains="Khiếu nại").values_list(
            "recipient__username", flat=True
        )
    ) == {"office1", "office2"}
    assert audit.verify().ok


def test_the_nominations_own_timeline_never_names_the_complainant(
    demo: None, people: dict[str, Person]
) -> None:
    nomination = support.proposed_on_notice()
    complainant = people["staff-nsba-1"]
    complaint = _lodge(nomination, complainant, "Ý kiến riêng của tôi về thành tích.")
    services.complaint_resolve(
        complaint=complaint, actor=people["office1"], upheld=True, resolution="Có cơ sở."
    )
    timeline = list(AuditEvent.objects.filter(nomination=nomination))
    assert [e.transition for e in timeline if e.transition][-2:] == ["hold", "release"]
    for event in timeline:
        assert event.actor != complainant
        assert complainant.full_name not in event.comment and complaint.text not in event.comment
    assert (
        Notification.objects.filter(
            recipient__username="head-tkth", body__contains=complainant.full_name
        ).count()
        == 0
    )


def test_a_complaint_blocks_approval(demo: None, people: dict[str, Person]) -> None:
    nomination = support.proposed_on_notice()
    _lodge(nomination, people["staff-nsba-1"])
    support.move_notice(nomination, days_ago=30)  # even once the period is over
    with pytest.raises(WrongState):
        support.approve(nomination, people["director"])
    nomination.refresh_from_db()
    assert nomination.state == State.ON_HOLD


def test_the_complaint_does_not_give_its_author_the_offices_hold_right(
    demo: None, people: dict[str, Person]
) -> None:
    nomination = support.proposed_on_notice()
    with pytest.raises(NotPermitted):
        t.nomination_hold(nomination=nomination, actor=people["staff-nsba-1"], comment="Tôi muốn dừng")
    with pytest.raises(NotPermitted):
        t.run_transition(
            "release", nomination=nomination, actor=people["staff-nsba-1"], authority=services.COMPLAINT_HOLD
        )
    nomination.refresh_from_db()
    assert nomination.state == State.PROPOSED


def test_an_upheld_complaint_sends_the_item_back_for_review(demo: None, people: dict[str, Person]) -> None:
    nomination = support.proposed_on_notice()
    complaint = _lodge(nomination, people["staff-nsba-1"])
    Notification.objects.all().delete()
    resolved = services.complaint_resolve(
        complaint=complaint, actor=people["office1"], upheld=True, resolution="Có cơ sở: thẩm định lại."
    )
    nomination.refresh_from_db()
    assert resolved.state == Complaint.State.UPHELD
    assert nomination.state == State.SUBMITTED
    release = AuditEvent.objects.get(nomination=nomination, transition="release")
    assert release.actor == people["office1"] and release.actor_role == "office_staff"
    assert release.data == {"complaint": complaint.pk, "outcome": "upheld"}
    told = set(
        Notification.objects.filter(subject__contains="#").values_list("recipient__username", flat=True)
    )
    assert told == {"staff-nsba-1", "head-tkth"}
    # Back for review means back through the office and the council: a new vote, a new notice.
    nomination = support.back_to_the_council(nomination)
    assert nomination.notices.count() == 2
    with pytest.raises(RuleNotMet):
        support.approve(nomination, people["director"])


def test_a_dismissed_complaint_releases_the_item_which_returns_to_the_council(
    demo: None, people: dict[str, Person]
) -> None:
    nomination = support.proposed_on_notice()
    complaint = _lodge(nomination, people["staff-nsba-1"])
    services.complaint_resolve(
        complaint=complaint, actor=people["office2"], upheld=False, resolution="Không có cơ sở."
    )
    nomination.refresh_from_db()
    complaint.refresh_from_db()
    assert complaint.state == Complaint.State.DISMISSED
    assert nomination.state == State.SUBMITTED  # `release` always leads to submitted (DOMAIN.md)
    assert nomination.score is not None  # the evaluation is kept for the office to confirm
    release = AuditEvent.objects.get(nomination=nomination, transition="release")
    assert release.data["outcome"] == "dismissed"
    steps = [
        (e.data["action"], e.actor.username if e.actor else None)
        for e in AuditEvent.objects.filter(kind=AuditEvent.Kind.OTHER).order_by("seq")
        if nomination.pk in (e.nomination_id, e.data.get("nomination"))
    ]
    assert steps == [
        ("complaint_lodged", "staff-nsba-1"),
        ("complaint_resolved", "office2"),
    ]
    assert audit.verify().ok


def test_the_hold_lasts_until_the_last_open_complaint_is_resolved(
    demo: None, people: dict[str, Person]
) -> None:
    nomination = support.proposed_on_notice()
    first = _lodge(nomination, people["staff-nsba-1"])
    second = _lodge(nomination, people["staff-prtc-2"], "Đơn vị chưa bình xét công khai.")
    assert AuditEvent.objects.filter(nomination=nomination, transition="hold").count() == 1
    services.complaint_resolve(
        complaint=first, actor=people["office1"], upheld=False, resolution="Không có cơ sở."
    )
    nomination.refresh_from_db()
    assert nomination.state == State.ON_HOLD
    services.complaint_resolve(
        complaint=second, actor=people["office1"], upheld=False, resolution="Không có cơ sở."
    )
    nomination.refresh_from_db()
    assert nomination.state == State.SUBMITTED


def test_a_hold_the_office_put_on_for_another_reason_is_not_lifted_by_resolving_a_complaint(
    demo: None, people: dict[str, Person]
) -> None:
    nomination = support.proposed_on_notice()
    t.nomination_hold(nomination=nomination, actor=people["office1"], comment="Đang xác minh kỷ luật.")
    complaint = _lodge(nomination, people["staff-nsba-1"])
    services.complaint_resolve(
        complaint=complaint, actor=people["office1"], upheld=False, resolution="Không có cơ sở."
    )
    nomination.refresh_from_db()
    assert nomination.state == State.ON_HOLD


def test_complaints_are_refused_after_the_notice_period_and_on_items_never_published(
    demo: None, people: dict[str, Person]
) -> None:
    nomination = support.proposed_on_notice()
    support.move_notice(nomination, days_ago=30)
    with pytest.raises(WrongState, match="kết thúc"):
        _lodge(nomination, people["staff-nsba-1"])
    unpublished = builders.to_state(builders.draft(award="LDTT", nominee="staff-tkkt-2"), State.PROPOSED)
    with pytest.raises(WrongState, match="không được công khai"):
        _lodge(unpublished, people["staff-nsba-1"])
    assert not Complaint.objects.exists()


def test_a_complaint_needs_a_text_and_one_open_complaint_per_person(
    demo: None, people: dict[str, Person]
) -> None:
    nomination = support.proposed_on_notice()
    with pytest.raises(InvalidInput) as empty:
        _lodge(nomination, people["staff-nsba-1"], "   ")
    assert empty.value.field == "text"
    _lodge(nomination, people["staff-nsba-1"])
    with pytest.raises(WrongState):
        _lodge(nomination, people["staff-nsba-1"], "Lần nữa")


def test_only_the_office_resolves_a_complaint_and_only_once(demo: None, people: dict[str, Person]) -> None:
    nomination = support.proposed_on_notice()
    complaint = _lodge(nomination, people["staff-nsba-1"])
    for who in ("staff-nsba-1", "head-tkth", "director", "auditor"):
        with pytest.raises(NotPermitted):
            services.complaint_resolve(complaint=complaint, actor=people[who], upheld=False, resolution="x")
    services.complaint_resolve(
        complaint=complaint, actor=people["office1"], upheld=True, resolution="Có cơ sở."
    )
    with pytest.raises(WrongState):
        services.complaint_resolve(complaint=complaint, actor=people["office2"], upheld=False, resolution="x")


def test_an_open_complaint_blocks_approval_even_if_the_office_released_the_item_by_hand(
    demo: None, people: dict[str, Person]
) -> None:
    nomination = support.proposed_on_notice()
    _lodge(nomination, people["staff-nsba-1"])
    nomination = t.nomination_release(nomination=nomination, actor=people["office1"])
    nomination = support.back_to_the_council(nomination)
    support.move_notice(nomination, days_ago=30)
    with pytest.raises(RuleNotMet) as refused:
        support.approve(nomination, people["director"])
    assert [r.rule for r in refused.value.refusals] == ["open_complaint"]


def test_the_complaint_pages_show_the_complainant_only_to_the_office(
    demo: None, client: Client, people: dict[str, Person]
) -> None:
    nomination = support.proposed_on_notice()
    complaint = _lodge(nomination, people["staff-nsba-1"])
    client.force_login(people["staff-tkkt-3"])
    assert client.get(f"/tham-gia/khieu-nai/{complaint.pk}/").status_code == 404
    assert people["staff-nsba-1"].full_name not in client.get("/tham-gia/khieu-nai/").content.decode()
    client.force_login(people["staff-nsba-1"])
    assert client.get(f"/tham-gia/khieu-nai/{complaint.pk}/").status_code == 200
    assert (
        client.post(
            f"/tham-gia/khieu-nai/{complaint.pk}/", {"outcome": "dismissed", "resolution": "x"}
        ).status_code
        == 403
    )
    client.force_login(people["office1"])
    page = client.get(f"/tham-gia/khieu-nai/{complaint.pk}/").content.decode()
    assert people["staff-nsba-1"].full_name in page and "Giải quyết khiếu nại" in page
    response = client.post(
        f"/tham-gia/khieu-nai/{complaint.pk}/", {"outcome": "upheld", "resolution": "Có cơ sở."}
    )
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.state == State.SUBMITTED


def test_lodging_through_the_page_holds_the_item_and_a_blank_text_is_a_form_error(
    demo: None, client: Client, people: dict[str, Person]
) -> None:
    nomination = support.proposed_on_notice()
    client.force_login(people["staff-ttth-2"])
    blank = client.post(f"/tham-gia/cong-khai/{nomination.pk}/khieu-nai/", {"text": ""})
    assert blank.status_code == 200 and "errorlist" in blank.content.decode()
    response = client.post(f"/tham-gia/cong-khai/{nomination.pk}/khieu-nai/", {"text": "Chưa đúng."})
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.state == State.ON_HOLD
    support.move_notice(nomination, days_ago=30)
    assert client.get(f"/tham-gia/cong-khai/{nomination.pk}/khieu-nai/").status_code == 404
