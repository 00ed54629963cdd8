"""The pages of every role, through Django's test client on the real database and services."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from nominations.models import DossierFile, Nomination, Person, State
from tests.builders import core as builders
from workflow.models import AuditEvent, Notification
from workflow.services import transitions as t

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def login(client: Client, username: str) -> Person:
    person = builders.person(username)
    client.force_login(person)
    return person


def detail(n: Nomination) -> str:
    return reverse("nomination_detail", args=[n.pk])


def action(n: Nomination, name: str) -> str:
    return reverse("nomination_action", args=[n.pk, name])


def test_a_unit_head_creates_a_nomination_with_its_dossier_files_in_one_form(
    demo: None, client: Client
) -> None:
    head = login(client, "head-tkth")
    nominee = builders.person("staff-tkth-2")
    response = client.post(
        reverse("nomination_create"),
        {
            "campaign": builders.annual_campaign().pk,
            "award": builders.Award.objects.get(code="LDTT").pk,
            "nominee": f"person:{nominee.pk}",
            "summary": "Hoàn thành xuất sắc nhiệm vụ được giao.",
            "rating": "htxs",
            "initiatives": "",
            **{f"file_{kind}": builders.pdf(f"{kind}.pdf") for kind in ("to_trinh", "bao_cao", "bien_ban")},
        },
    )
    assert response.status_code == 302
    nomination = Nomination.objects.get(nominee_person=nominee)
    assert response["Location"] == detail(nomination)
    assert nomination.state == State.DRAFT
    assert nomination.nominating_unit == head.unit
    assert sorted(nomination.files.values_list("kind", flat=True)) == ["bao_cao", "bien_ban", "to_trinh"]
    page = client.get(detail(nomination))
    assert page.status_code == 200
    assert "Đơn vị hoàn thiện và gửi hồ sơ" in page.content.decode()


def test_a_file_that_is_not_a_document_refuses_the_whole_form_and_creates_nothing(
    demo: None, client: Client
) -> None:
    login(client, "head-tkth")
    nominee = builders.person("staff-tkth-2")
    fake = builders.SimpleUploadedFile(
        "virus.pdf", b"<html><script>alert(1)</script>", content_type="application/pdf"
    )
    response = client.post(
        reverse("nomination_create"),
        {
            "campaign": builders.annual_campaign().pk,
            "award": builders.Award.objects.get(code="LDTT").pk,
            "nominee": f"person:{nominee.pk}",
            "summary": "Thành tích.",
            "file_to_trinh": fake,
        },
    )
    assert response.status_code == 400
    assert "Chỉ nhận tệp PDF" in response.content.decode()
    assert not Nomination.objects.exists()


def test_only_a_unit_head_may_open_the_create_page(demo: None, client: Client) -> None:
    login(client, "office1")
    assert client.get(reverse("nomination_create")).status_code == 403
    login(client, "staff-tkth-1")
    assert client.get(reverse("nomination_create")).status_code == 403


def test_the_office_returns_and_the_unit_head_sees_the_reasons_then_resubmits(
    demo: None, client: Client
) -> None:
    nomination = builders.draft(award="LDTT", nominee="staff-tkth-2")
    login(client, "head-tkth")
    assert client.post(action(nomination, "submit"), {"submit-comment": ""}).status_code == 302
    login(client, "office1")
    response = client.post(action(nomination, "return"), {"return-comment": "Thiếu chữ ký trên biên bản."})
    assert response.status_code == 302
    to_head = Notification.objects.filter(recipient__username="head-tkth").order_by("pk").last()
    assert to_head is not None and "Thiếu chữ ký trên biên bản." in to_head.body
    login(client, "head-tkth")
    page = client.get(detail(nomination)).content.decode()
    assert 'id="return-reasons"' in page and "Thiếu chữ ký trên biên bản." in page
    edit = client.post(
        reverse("nomination_edit", args=[nomination.pk]), {"summary": "Đã bổ sung.", "rating": "htxs"}
    )
    assert edit.status_code == 302
    assert (
        client.post(action(nomination, "resubmit"), {"resubmit-comment": "Đã bổ sung chữ ký."}).status_code
        == 302
    )
    nomination.refresh_from_db()
    assert nomination.state == State.SUBMITTED
    assert nomination.summary == "Đã bổ sung."


def test_a_refused_transition_shows_a_clear_message_with_its_status_never_a_500(
    demo: None, client: Client
) -> None:
    nomination = builders.draft(award="LDTT", nominee="staff-tkth-2", files=False)
    login(client, "head-tkth")
    response = client.post(action(nomination, "submit"), {"submit-comment": ""})
    assert response.status_code == 409
    assert "Hồ sơ còn thiếu" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.state == State.DRAFT
    # A transition not allowed in this state: 409 with the reason.
    login(client, "office1")
    response = client.post(
        action(nomination, "evaluate"), {"evaluate-score": "90", "evaluate-assessment": "Tốt"}
    )
    assert response.status_code == 409
    assert "Không thể" in response.content.decode()


def test_bad_input_in_an_action_is_a_400_form_error(demo: None, client: Client) -> None:
    nomination = t.nomination_submit(
        nomination=builders.draft(award="LDTT", nominee="staff-tkth-2"), actor=builders.person("head-tkth")
    )
    login(client, "office1")
    response = client.post(
        action(nomination, "evaluate"), {"evaluate-score": "999", "evaluate-assessment": ""}
    )
    assert response.status_code == 400
    response = client.post(action(nomination, "return"), {"return-comment": "   "})
    assert response.status_code == 400
    nomination.refresh_from_db()
    assert nomination.state == State.SUBMITTED


def test_a_person_without_the_permission_gets_a_403_from_an_action(demo: None, client: Client) -> None:
    nomination = t.nomination_submit(
        nomination=builders.draft(award="LDTT", nominee="staff-tkth-2"), actor=builders.person("head-tkth")
    )
    login(client, "auditor")  # sees everything, may change nothing
    response = client.post(action(nomination, "return"), {"return-comment": "x"})
    assert response.status_code == 403
    assert client.get(detail(nomination)).status_code == 200


def test_the_vote_outcome_is_not_a_button(demo: None, client: Client) -> None:
    nomination = builders.to_state(builders.draft(award="LDTT", nominee="staff-tkth-2"), State.IN_VOTE)
    login(client, "secretary")
    assert client.post(action(nomination, "close_vote"), {}).status_code == 404


def test_state_changes_accept_post_only(demo: None, client: Client) -> None:
    nomination = builders.draft(award="LDTT", nominee="staff-tkth-2")
    login(client, "head-tkth")
    assert client.get(action(nomination, "submit")).status_code == 200  # the form, nothing changes
    nomination.refresh_from_db()
    assert nomination.state == State.DRAFT
    f = nomination.files.first()
    assert f is not None
    assert client.get(reverse("dossier_file_remove", args=[nomination.pk, f.pk])).status_code == 405
    assert client.get(reverse("task_assign", args=[1])).status_code == 405


def test_a_dossier_file_is_always_downloaded_never_shown_inline(demo: None, client: Client) -> None:
    nomination = builders.draft(award="LDTT", nominee="staff-tkth-2")
    f = nomination.files.get(kind=DossierFile.Kind.SUBMISSION)
    login(client, "office1")
    response = client.get(reverse("dossier_file_download", args=[nomination.pk, f.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    login(client, "head-tkkt")
    assert client.get(reverse("dossier_file_download", args=[nomination.pk, f.pk])).status_code == 404


def test_the_detail_page_shows_the_timeline_and_where_the_process_stands(demo: None, client: Client) -> None:
    nomination = builders.to_state(builders.draft(award="LDTT", nominee="staff-tkth-2"), State.EVALUATED)
    login(client, "office2")
    page = client.get(detail(nomination)).content.decode()
    assert "Trình Hội đồng TĐKT" in page  # the open step
    assert "<svg" in page and 'id="schedule"' in page  # viewflow's chart of the process
    for label in ("Lập hồ sơ", "Gửi hồ sơ", "Thẩm định"):
        assert label in page
    assert page.count("<tr>") >= 1 + AuditEvent.objects.filter(nomination=nomination).count()


def test_the_director_decides_several_at_once_all_or_nothing(demo: None, client: Client) -> None:
    # Moved from the retired /cuc-truong/ page to the decisions page, with the same assertions: every
    # approval is a decision (API.md); the old address leads there.
    ldtt = builders.to_state(builders.draft(award="LDTT", nominee="staff-tkth-2"), State.PROPOSED)
    other = builders.to_state(builders.draft(award="LDTT", nominee="staff-tkth-3"), State.PROPOSED)
    login(client, "director")
    assert client.get(reverse("director_queue"))["Location"] == reverse("decisions:home")
    page = client.get(reverse("decisions:home"))
    assert page.status_code == 200 and str(ldtt.nominee) in page.content.decode()
    # One of them changes state meanwhile: the batch is refused and nothing moves.
    t.nomination_hold(nomination=other, actor=builders.person("office1"), comment="Có khiếu nại")
    director = builders.person("director")
    decision = {"number": "12/QĐ-CTK", "date": "10/01/2024", "signer": director.pk}
    response = client.post(reverse("decisions:issue"), {"nominations": [ldtt.pk, other.pk], **decision})
    assert response.status_code == 409  # `other` is no longer waiting: the whole batch is refused
    assert "Không thể “Quyết định khen thưởng” khi hồ sơ đang ở trạng thái" in response.content.decode()
    ldtt.refresh_from_db()
    assert ldtt.state == State.PROPOSED
    response = client.post(reverse("decisions:issue"), {"nominations": [ldtt.pk], **decision})
    assert response.status_code == 302
    ldtt.refresh_from_db()
    assert (ldtt.state, ldtt.decision_number) == (State.APPROVED, "12/QĐ-CTK")
    assert ldtt.decision_item.amount > 0  # with its amount, in the decision's annex


def test_a_batch_with_one_refused_nomination_changes_none_and_together_they_pass(demo: None) -> None:
    from workflow.services.batch import BatchRefused, nominations_decide

    director = builders.person("director")
    ldtt2 = builders.to_state(builders.draft(award="LDTT", nominee="staff-tkth-2"), State.PROPOSED)
    ldtt3 = builders.to_state(builders.draft(award="LDTT", nominee="staff-tkth-3"), State.PROPOSED)
    cstd3 = builders.to_state(builders.draft(award="CSTDCS", nominee="staff-tkth-3"), State.PROPOSED)
    decision = {"action": "approve", "decision_number": "5/QĐ", "decision_date": datetime.date(2024, 1, 10)}
    # The CSTĐCS cannot be approved apart from its same-year LĐTT: the whole batch is refused.
    with pytest.raises(BatchRefused) as refused:
        nominations_decide(nominations=[ldtt2, cstd3], actor=director, **decision)
    assert refused.value.nomination.pk == cstd3.pk
    assert Nomination.objects.filter(pk__in=[ldtt2.pk, cstd3.pk], state=State.PROPOSED).count() == 2
    assert not AuditEvent.objects.filter(transition="approve").exists()
    # Decided together with it, it passes.
    done = nominations_decide(nominations=[ldtt2, ldtt3, cstd3], actor=director, **decision)
    assert {n.state for n in done} == {State.APPROVED}


def test_the_auditor_reads_the_filterable_log_and_others_may_not(demo: None, client: Client) -> None:
    nomination = builders.to_state(builders.draft(award="LDTT", nominee="staff-tkth-2"), State.EVALUATED)
    login(client, "auditor")
    response = client.get(reverse("audit_log"), {"nomination": nomination.pk, "transition": "evaluate"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Thẩm định" in body and '<form method="post"' not in body.split("<main>")[1]
    login(client, "head-tkth")
    assert client.get(reverse("audit_log")).status_code == 403
    login(client, "council1")
    assert client.get(reverse("dashboard")).status_code == 403


def test_a_council_member_sees_the_sessions_they_sit_on(demo: None, client: Client) -> None:
    mine = builders.session(members=["council1", "secretary"])
    other = builders.session(members=["council2"])
    other.name = "Phiên khác"
    other.save()
    login(client, "council1")
    body = client.get(reverse("my_sessions")).content.decode()
    assert mine.name in body and "Phiên khác" not in body
    assert "/hoi-dong/" in body


def test_the_queue_offers_a_task_only_to_holders_and_taking_it_moves_it_to_my_inbox(
    demo: None, client: Client
) -> None:
    nomination = t.nomination_submit(
        nomination=builders.draft(award="LDTT", nominee="staff-tkth-2"), actor=builders.person("head-tkth")
    )
    login(client, "head-tkkt")
    assert str(nomination.nominee) not in client.get(reverse("my_tasks")).content.decode()
    office = login(client, "office1")
    page = client.get(reverse("my_tasks")).content.decode()
    assert "Phòng TC-HC kiểm tra, thẩm định" in page
    task = nomination.workflow_process.task_set.get(status="NEW", flow_task_type="HUMAN")
    assert client.post(reverse("task_assign", args=[task.pk])).status_code == 302
    task.refresh_from_db()
    assert task.owner == office
    login(client, "office2")
    assert client.post(reverse("task_assign", args=[task.pk])).status_code == 302  # refused, with a message
    task.refresh_from_db()
    assert task.owner == office
    login(client, "head-tkkt")
    assert client.post(reverse("task_assign", args=[task.pk])).status_code == 404


def _count_queries(django_assert_num_queries: Any, client: Client, url: str, expected: int) -> None:
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


def test_a_step_past_its_deadline_is_marked_counted_and_filtered_on_the_dashboard(
    demo: None, client: Client
) -> None:
    from django.utils import timezone

    late = t.nomination_submit(
        nomination=builders.draft(award="LDTT", nominee="staff-tkth-2"), actor=builders.person("head-tkth")
    )
    on_time = t.nomination_submit(
        nomination=builders.draft(award="LDTT", nominee="staff-tkth-3"), actor=builders.person("head-tkth")
    )
    late.workflow_process.task_set.filter(status="NEW", flow_task_type="HUMAN").update(
        created=timezone.now() - datetime.timedelta(days=45)  # more than 20 working days ago
    )
    login(client, "office1")
    page = client.get(reverse("dashboard")).content.decode()
    assert "1 quá hạn xử lý" in page
    overdue = client.get(reverse("dashboard"), {"overdue": "yes"}).content.decode()
    assert f'href="{detail(late)}"' in overdue and f'href="{detail(on_time)}"' not in overdue
    assert "Quá hạn" in client.get(reverse("nomination_list"), {"overdue": "yes"}).content.decode()
    not_late = client.get(reverse("nomination_list"), {"overdue": "no"}).content.decode()
    assert f'href="{detail(on_time)}"' in not_late and f'href="{detail(late)}"' not in not_late


def test_a_higher_award_is_forwarded_its_outcome_recorded_and_reported_through_the_pages(
    demo: None, client: Client
) -> None:
    nomination = builders.to_state(builders.draft(award="BANG_KHEN", nominee="staff-tkth-1"), State.PROPOSED)
    login(client, "director")
    page = client.get(detail(nomination)).content.decode()
    assert "Trình cấp trên" in page
    refused = client.post(
        action(nomination, "approve"),
        {"approve-decision_number": "1/QĐ", "approve-decision_date": "2024-01-10"},
    )
    assert refused.status_code == 409  # beyond the Director's authority: it must be forwarded
    response = client.post(action(nomination, "forward"), {"forward-submission_number": "07/TTr-CTK"})
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert (nomination.state, nomination.submission_number) == (State.FORWARDED, "07/TTr-CTK")
    head_note = Notification.objects.filter(
        recipient__username="head-tkth", event__transition="forward"
    ).get()
    assert "07/TTr-CTK" in head_note.body
    login(client, "office1")
    assert "Chờ kết quả của cấp trên" in client.get(detail(nomination)).content.decode()
    response = client.post(
        action(nomination, "record_outcome"),
        {"record_outcome-granted": "yes", "record_outcome-decision_number": "345/QĐ-UBND"},
    )
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert (nomination.state, nomination.outcome_decision_number) == (State.GRANTED, "345/QĐ-UBND")
    assert client.post(action(nomination, "report"), {}).status_code == 302
    nomination.refresh_from_db()
    assert nomination.state == State.REPORTED
    assert "Đã báo cáo, khen thưởng có hiệu lực" in client.get(detail(nomination)).content.decode()


def test_no_template_carries_an_inline_event_handler() -> None:
    """The Content Security Policy (script-src 'self') blocks onsubmit="…" and the like: a confirmation
    written inline never shows and the form is sent at once. Ask with data-confirm and js/confirm.js."""
    root = Path(__file__).resolve().parents[2]
    handler = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
    found = [
        f"{path.relative_to(root)}:{number}"
        for folder in ("workflow", "nominations", "templates")
        for path in (root / folder).rglob("*.html")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if handler.search(line)
    ]
    assert found == []


def test_no_template_comment_spans_lines() -> None:
    """Django's {# … #} is one line only: one that spans lines is printed on the page as text (the
    nomination list showed one). A longer note is {% comment %} … {% endcomment %}."""
    root = Path(__file__).resolve().parents[2]
    found = [
        str(path.relative_to(root))
        for folder in ("workflow", "nominations", "templates")
        for path in (root / folder).rglob("*.html")
        if any(
            "\n" in m.group(1) for m in re.finditer(r"\{#(.*?)#\}", path.read_text(encoding="utf-8"), re.S)
        )
    ]
    assert found == []


def test_the_dashboard_counts_each_breakdown_as_the_nominations_it_shows(demo: None, client: Client) -> None:
    """The counts by state, unit, award and campaign (one grouped statement) are those of the visible
    nominations, whole and filtered, and a filter that nothing meets shows none."""
    from collections import Counter

    for nominee, award in (("staff-tkth-2", "LDTT"), ("staff-tkth-3", "CSTDCS"), ("staff-tkkt-1", "LDTT")):
        builders.draft(award=award, nominee=nominee)
    login(client, "director")

    def shown(response: Any) -> dict[str, Counter[Any]]:
        assert response.status_code == 200
        return {
            name: Counter({row["label"]: row["n"] for row in response.context[f"by_{name}"]})
            for name in ("state", "unit", "award", "campaign")
        }

    def expected(nominations: Any) -> dict[str, Counter[Any]]:
        rows = list(nominations.select_related("nominating_unit", "award", "campaign"))
        return {
            "state": Counter(str(State(n.state).label) for n in rows),
            "unit": Counter(n.nominating_unit.name for n in rows),
            "award": Counter(n.award.name for n in rows),
            "campaign": Counter(n.campaign.name for n in rows),
        }

    everything = shown(client.get(reverse("dashboard")))
    assert everything == expected(Nomination.objects.all())
    assert sum(everything["unit"].values()) == Nomination.objects.count() >= 3
    unit = Person.objects.get(username="head-tkth").unit
    one_unit = shown(client.get(reverse("dashboard"), {"nominating_unit": unit.pk}))
    assert one_unit == expected(Nomination.objects.filter(nominating_unit=unit))
    assert shown(client.get(reverse("dashboard"), {"state": "approved", "nominating_unit": unit.pk})) == (
        expected(Nomination.objects.filter(state="approved", nominating_unit=unit))
    )


def test_the_task_queue_is_paged_and_its_heading_counts_every_waiting_task(
    demo: None, client: Client, monkeypatch: Any
) -> None:
    from workflow.process import sync as process_api
    from workflow.views import tasks

    for nominee in ("staff-tkth-2", "staff-tkth-3", "staff-tkkt-1"):
        t.nomination_submit(
            nomination=builders.draft(award="LDTT", nominee=nominee),
            actor=builders.person("head-" + nominee.split("-")[1]),
        )
    office = login(client, "office1")
    waiting = process_api.tasks_queue(office).count()
    assert waiting >= 3
    monkeypatch.setattr(tasks, "QUEUE_PAGE", 2)
    first = client.get(reverse("my_tasks"))
    assert f"Việc đang chờ người nhận ({waiting})" in first.content.decode()
    assert len(first.context["queue"]) == 2 and "Trang 1 / " in first.content.decode()
    last = client.get(reverse("my_tasks"), {"page": -(-waiting // 2)})
    assert len(last.context["queue"]) == waiting - 2 * (-(-waiting // 2) - 1)
    shown = {
        row["task"].pk
        for page in range(1, -(-waiting // 2) + 1)
        for row in client.get(reverse("my_tasks"), {"page": page}).context["queue"]
    }
    assert shown == set(process_api.tasks_queue(office).values_list("pk", flat=True))
    assert client.get(reverse("my_tasks"), {"page": "x"}).status_code == 200  # odd input: the first page
