from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from nominations.models import Campaign, Commitment, Nomination, Person
from nominations.selectors.commitments import (
    annotate_nominee_registered,
    commitment_status_by_unit,
    nominee_registered,
)
from tests.builders import core as builders
from workflow.base.errors import InvalidInput, NotPermitted, RuleNotMet
from workflow.models import AuditEvent, Notification
from workflow.services import commitments as services

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _annual() -> Campaign:
    return Campaign.objects.get(kind=Campaign.Kind.ANNUAL)


def _open(campaign: Campaign, days: int = 5) -> Campaign:
    campaign.commitment_deadline = timezone.localdate() + days * DAY
    campaign.save(update_fields=["commitment_deadline"])
    return campaign


def test_registration_status_per_unit_matches_the_demo(demo: None) -> None:
    rows = {row.unit.code: row for row in commitment_status_by_unit(campaign=_annual())}
    assert set(rows) == {"tchc", "tkth", "tkkt", "tkxh", "ttth", "prtc", "nhtb", "nptn", "nsba"}
    assert {code for code, row in rows.items() if not row.registered} == {"ttth", "nsba"}
    tkth = rows["tkth"]
    assert tkth.unit_awards == ["Tập thể lao động tiên tiến"]
    assert tkth.people_registered_count == 3
    assert tkth.people_total == 5  # its head, three staff, and council2
    assert tkth.registered_by == "Hồ Văn Thịnh"
    assert rows["ttth"].people_registered_count == 0 and rows["ttth"].registered_at is None


def test_the_status_is_read_in_a_fixed_number_of_queries(demo: None, django_assert_num_queries: Any) -> None:
    campaign = _annual()
    with django_assert_num_queries(4):
        commitment_status_by_unit(campaign=campaign)


def test_a_unit_head_registers_the_unit_and_its_people_and_the_status_changes(
    demo: None, people: dict[str, Person]
) -> None:
    campaign = _open(_annual())
    head = people["head-ttth"]
    staff = people["staff-ttth-1"]
    services.commitments_register(
        actor=head,
        campaign=campaign,
        unit_awards=["TTLDTT"],
        people_awards={staff.pk: ["LDTT", "CSTDCS"], people["staff-ttth-2"].pk: ["LDTT"]},
    )
    rows = {row.unit.code: row for row in commitment_status_by_unit(campaign=campaign)}
    assert rows["ttth"].registered and rows["ttth"].people_registered_count == 2
    assert set(Commitment.objects.filter(person=staff).values_list("award__code", flat=True)) == {
        "LDTT",
        "CSTDCS",
    }
    # Registering again states the whole registration: what is left out is withdrawn.
    services.commitments_register(
        actor=head, campaign=campaign, unit_awards=[], people_awards={staff.pk: ["LDTT"]}
    )
    assert list(
        Commitment.objects.filter(campaign=campaign, unit__code="ttth").values_list("award__code", flat=True)
    ) == ["LDTT"]
    logged = list(AuditEvent.objects.filter(data__action="commitments_registered").order_by("seq"))
    assert len(logged) == 2 and logged[1].actor == head
    assert sorted(logged[1].data["removed"]) == ["staff-ttth-1:CSTDCS", "staff-ttth-2:LDTT", "ttth:TTLDTT"]


def test_registration_is_refused_after_the_deadline(demo: None, people: dict[str, Person]) -> None:
    campaign = _annual()  # the demo's deadline, 15/02/2023, has passed
    with pytest.raises(RuleNotMet, match="15/02/2023"):
        services.commitments_register(
            actor=people["head-ttth"], campaign=campaign, unit_awards=["TTLDTT"], people_awards={}
        )
    assert not Commitment.objects.filter(unit__code="ttth").exists()


def test_a_unit_head_registers_only_their_own_unit_and_only_matching_titles(
    demo: None, people: dict[str, Person]
) -> None:
    campaign = _open(_annual())
    head = people["head-ttth"]
    with pytest.raises(InvalidInput) as other_unit:
        services.commitments_register(
            actor=head, campaign=campaign, unit_awards=[], people_awards={people["staff-tkth-1"].pk: ["LDTT"]}
        )
    assert other_unit.value.field == "people"
    with pytest.raises(InvalidInput) as wrong_kind:
        services.commitments_register(actor=head, campaign=campaign, unit_awards=["LDTT"], people_awards={})
    assert wrong_kind.value.field == "unit_awards"
    with pytest.raises(InvalidInput):
        services.commitments_register(actor=head, campaign=campaign, unit_awards=["NOPE"], people_awards={})
    with pytest.raises(NotPermitted):
        services.commitments_register(
            actor=people["staff-ttth-1"], campaign=campaign, unit_awards=["TTLDTT"], people_awards={}
        )
    assert not Commitment.objects.filter(unit__code="ttth").exists()


def test_reminders_reach_the_heads_of_units_not_registered_once_only(
    demo: None, people: dict[str, Person], django_capture_on_commit_callbacks: Any
) -> None:
    _open(_annual(), days=3)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_commitment_reminders", stdout=out)
    assert "2" in out.getvalue()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [people["head-ttth"].email, people["head-nsba"].email]
    )
    assert "Nhắc đăng ký thi đua" in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_commitment_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 2
    assert Notification.objects.filter(dedupe_key__startswith="commitment-reminder:").count() == 2


def test_no_reminder_while_the_deadline_is_far_or_past(demo: None) -> None:
    campaign = _open(_annual(), days=30)
    call_command("send_commitment_reminders", stdout=io.StringIO())
    campaign.commitment_deadline = timezone.localdate() - DAY
    campaign.save()
    call_command("send_commitment_reminders", stdout=io.StringIO())
    assert not Notification.objects.exists()


def test_a_nomination_shows_whether_its_nominee_had_registered(demo: None) -> None:
    registered = builders.draft(award="LDTT", nominee="staff-tkth-2")
    cstdcs = builders.draft(award="CSTDCS", nominee="staff-tkth-1", initiatives=["Sáng kiến A"])
    not_registered = builders.draft(award="LDTT", nominee="staff-ttth-1")
    unit = builders.draft(award="TTLDTT", head="head-tkth", unit_nominee=True)
    # A thematic campaign under the annual plan: the plan's registration counts.
    thematic = Campaign.objects.filter(kind=Campaign.Kind.THEMATIC, parent__isnull=False).first()
    under_plan = builders.draft(award="LDTT", nominee="staff-tkkt-2", campaign=thematic)
    unregistered_award = builders.draft(award="GIAY_KHEN", nominee="staff-tkth-3")
    expected = {
        registered: True,
        cstdcs: True,  # the demo registers CSTĐCS for the first member of each registered unit
        not_registered: False,  # TTTT did not register
        unit: True,
        under_plan: True,
        unregistered_award: False,  # registered, but for another title
    }
    assert {n: nominee_registered(n) for n in expected} == expected

    annotated = dict(
        annotate_nominee_registered(Nomination.objects.all()).values_list("pk", "nominee_registered")
    )
    assert annotated == {n.pk: v for n, v in expected.items()}


def test_the_office_sees_the_status_page_and_a_unit_head_registers_on_the_form(
    demo: None, client: Client, people: dict[str, Person]
) -> None:
    campaign = _open(_annual())
    client.force_login(people["office1"])
    page = client.get(f"/tham-gia/dang-ky/{campaign.pk}/").content.decode()
    assert "2 đơn vị chưa đăng ký" in page
    assert 'id="unit-ttth" class="missing"' in page and 'id="unit-tkth" class="registered"' in page
    client.force_login(people["staff-ttth-1"])
    assert client.get(f"/tham-gia/dang-ky/{campaign.pk}/").status_code == 403
    assert client.get(f"/tham-gia/dang-ky/{campaign.pk}/don-vi/").status_code == 403
    client.force_login(people["head-ttth"])
    staff = people["staff-ttth-1"]
    response = client.post(
        f"/tham-gia/dang-ky/{campaign.pk}/don-vi/",
        {"unit_awards": ["TTLDTT"], f"person_{staff.pk}": ["LDTT"]},
    )
    assert response.status_code == 302
    assert Commitment.objects.filter(campaign=campaign, unit__code="ttth").count() == 2
    client.force_login(people["office1"])
    assert "1 đơn vị chưa đăng ký" in client.get(f"/tham-gia/dang-ky/{campaign.pk}/").content.decode()
