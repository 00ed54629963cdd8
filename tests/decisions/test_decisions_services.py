from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from nominations.models import (
    AwardRecord,
    Decision,
    DecisionItem,
    Nomination,
    Report,
    ReportItem,
    State,
    UpwardSubmission,
)
from tests.builders import core as builders
from tests.builders.decisions import DAY, eligible_staff, phase_two, proposed
from workflow.audit import log as audit
from workflow.base.errors import InvalidInput, NotPermitted, RuleNotMet, WrongState
from workflow.models import AuditEvent, Notification
from workflow.services import decisions as services
from workflow.services import reports as report_services
from workflow.services import transitions as t
from workflow.services import upward_submissions as upward_services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def director() -> Any:
    return builders.person("director")


def office() -> Any:
    return builders.person("office1")


def test_a_decision_approves_its_nominations_together_with_their_amounts(demo: None) -> None:
    session = builders.session()
    a = proposed(nominee="staff-tkth-2", session=session)
    b = proposed(nominee="staff-tkkt-2", session=session)
    unit = proposed(award="TTLDTT", unit_nominee=True, head="head-tkxh", rating="htt", session=session)

    decision = services.decision_issue(
        nominations=[a, b, unit], actor=director(), number="12/QĐ-CTK", date=DAY, signer=director()
    )

    assert decision.number == "12/QĐ-CTK" and decision.date == DAY and decision.year == 2024
    assert decision.campaign == builders.annual_campaign()
    assert decision.base_salary == Decimal(1_800_000)
    assert decision.signer_title == "CỤC TRƯỞNG"
    for n in (a, b, unit):
        n.refresh_from_db()
        assert n.state == State.APPROVED
        assert (n.decision_number, n.decision_date) == ("12/QĐ-CTK", DAY)
    amounts = dict(decision.items.values_list("nomination_id", "amount"))
    assert amounts == {a.pk: Decimal(540_000), b.pk: Decimal(540_000), unit.pk: Decimal(1_440_000)}
    assert decision.total == Decimal(2_520_000)
    assert AwardRecord.objects.filter(nomination__in=[a, b, unit], decision_number="12/QĐ-CTK").count() == 3
    approvals = AuditEvent.objects.filter(transition="approve", nomination__in=[a, b, unit])
    assert approvals.count() == 3
    document = AuditEvent.objects.get(kind=AuditEvent.Kind.DOCUMENT, transition="decision_issued")
    assert document.object_id == str(decision.pk)
    assert document.data["total"] == "2520000"
    assert sorted(document.data["nominations"]) == sorted([a.pk, b.pk, unit.pk])
    assert audit.verify().ok


def test_a_cstdcs_is_approved_in_the_same_decision_as_its_same_year_ldtt(demo: None) -> None:
    session = builders.session()
    ldtt = proposed(nominee="staff-tkth-1", session=session)
    cstdcs = proposed(award="CSTDCS", nominee="staff-tkth-1", session=session)

    with pytest.raises(RuleNotMet):
        services.decision_issue(
            nominations=[cstdcs], actor=director(), number="13/QĐ-CTK", date=DAY, signer=director()
        )
    decision = services.decision_issue(
        nominations=[cstdcs, ldtt], actor=director(), number="13/QĐ-CTK", date=DAY, signer=director()
    )

    assert set(decision.items.values_list("nomination__award__code", "amount")) == {
        ("LDTT", Decimal(540_000)),
        ("CSTDCS", Decimal(1_800_000)),
    }
    assert Nomination.objects.get(pk=cstdcs.pk).state == State.APPROVED


def test_a_decision_of_fifty_is_all_or_nothing_when_one_changed_state_meanwhile(demo: None) -> None:
    session = builders.session()
    staff = eligible_staff()
    batch = [proposed(nominee=name, session=session) for name in staff]
    batch += [
        proposed(nominee=name, session=session, campaign=phase_two()) for name in staff[: 50 - len(batch)]
    ]
    assert len(batch) == 50
    # While the Director reads the list, the office puts one on hold (a complaint came in).
    t.nomination_hold(nomination=batch[37], actor=office(), comment="Có đơn khiếu nại")
    before = (AuditEvent.objects.count(), Notification.objects.count(), AwardRecord.objects.count())

    with pytest.raises(WrongState):
        services.decision_issue(
            nominations=batch, actor=director(), number="20/QĐ-CTK", date=DAY, signer=director()
        )

    assert not Decision.objects.exists() and not DecisionItem.objects.exists()
    states = dict(Nomination.objects.filter(pk__in=[n.pk for n in batch]).values_list("pk", "state"))
    assert states.pop(batch[37].pk) == State.ON_HOLD
    assert set(states.values()) == {State.PROPOSED}
    assert Nomination.objects.filter(pk__in=states, decision_number="").count() == 49
    assert (AuditEvent.objects.count(), Notification.objects.count(), AwardRecord.objects.count()) == before

    # The same decision without the one on hold goes through, whole.
    rest = [n for i, n in enumerate(batch) if i != 37]
    decision = services.decision_issue(
        nominations=rest, actor=director(), number="20/QĐ-CTK", date=DAY, signer=director()
    )
    assert decision.items.count() == 49
    assert decision.total == 49 * Decimal(540_000)
    assert decision.campaign == builders.annual_campaign()  # the plan holding phase 2
    assert Nomination.objects.filter(pk__in=states, state=State.APPROVED).count() == 49


def test_only_the_director_may_issue_a_decision_and_a_refusal_writes_nothing(demo: None) -> None:
    nomination = proposed()
    with pytest.raises(NotPermitted):
        services.decision_issue(
            nominations=[nomination], actor=office(), number="14/QĐ-CTK", date=DAY, signer=director()
        )
    assert not Decision.objects.exists()
    assert Nomination.objects.get(pk=nomination.pk).state == State.PROPOSED


def test_bad_input_to_a_decision_names_the_field_and_changes_nothing(demo: None) -> None:
    nomination = proposed()
    cases: list[tuple[dict[str, Any], str]] = [
        ({"number": "  "}, "number"),
        ({"number": "x" * 61}, "number"),
        ({"date": "10/01/2024"}, "date"),
        ({"date": "2024-02-30"}, "date"),
        ({"signer": office()}, "signer"),
        ({"signer": "abc"}, "signer"),
        ({"nominations": []}, "nominations"),
        ({"nominations": ["abc"]}, "nominations"),
        ({"nominations": [999999]}, "nominations"),
    ]
    for changes, field in cases:
        arguments: dict[str, Any] = {
            "nominations": [nomination.pk],
            "actor": director(),
            "number": "15/QĐ-CTK",
            "date": "2024-01-10",
            "signer": director(),
            **changes,
        }
        with pytest.raises(InvalidInput) as refused:
            services.decision_issue(**arguments)
        assert refused.value.field == field, changes
    assert Nomination.objects.get(pk=nomination.pk).state == State.PROPOSED
    assert not Decision.objects.exists()


def test_a_decision_number_is_unique_within_its_year_only(demo: None) -> None:
    session = builders.session()
    a, b, c = (
        proposed(nominee=name, session=session) for name in ("staff-tkth-2", "staff-tkth-3", "staff-tkkt-2")
    )
    services.decision_issue(
        nominations=[a], actor=director(), number="01/QĐ-CTK", date=DAY, signer=director()
    )
    with pytest.raises(InvalidInput) as refused:
        services.decision_issue(
            nominations=[b], actor=director(), number="01/QĐ-CTK", date=DAY, signer=director()
        )
    assert refused.value.field == "number"
    assert Nomination.objects.get(pk=b.pk).state == State.PROPOSED
    # Numbering starts again each year.
    later = services.decision_issue(
        nominations=[c],
        actor=director(),
        number="01/QĐ-CTK",
        date=datetime.date(2025, 1, 5),
        signer=director(),
    )
    assert later.year == 2025


def test_a_deputy_signs_for_the_director(demo: None) -> None:
    nomination = proposed()
    decision = services.decision_issue(
        nominations=[nomination],
        actor=director(),
        number="16/QĐ-CTK",
        date=DAY,
        signer=builders.person("deputy"),
    )
    assert decision.signer_title == "KT. CỤC TRƯỞNG\nPHÓ CỤC TRƯỞNG"


def test_an_award_beyond_the_directors_authority_cannot_be_decided_here(demo: None) -> None:
    forwarded = proposed(award="BANG_KHEN", nominee="staff-tkth-1")
    with pytest.raises(RuleNotMet, match="trình cấp trên"):
        services.decision_issue(
            nominations=[forwarded], actor=director(), number="17/QĐ-CTK", date=DAY, signer=director()
        )


def test_without_a_base_salary_for_the_date_nothing_is_decided(demo: None) -> None:
    nomination = proposed()
    with pytest.raises(RuleNotMet, match="lương cơ sở"):
        services.decision_issue(
            nominations=[nomination],
            actor=director(),
            number="18/QĐ-CTK",
            date=datetime.date(2019, 1, 2),
            signer=director(),
        )
    assert Nomination.objects.get(pk=nomination.pk).state == State.PROPOSED


def test_decline_needs_a_reason_and_is_audited(demo: None) -> None:
    nomination = proposed()
    with pytest.raises(InvalidInput):
        services.decision_decline(nomination=nomination, actor=director(), reason="  ")
    declined = services.decision_decline(nomination=nomination, actor=director(), reason="Chưa đủ thành tích")
    assert declined.state == State.DECLINED
    event = AuditEvent.objects.get(nomination=nomination, transition="decline")
    assert event.comment == "Chưa đủ thành tích"


def test_revoking_an_award_shows_on_its_decision_and_leaves_the_history(demo: None) -> None:
    session = builders.session()
    a, b = (
        proposed(nominee="staff-tkth-2", session=session),
        proposed(nominee="staff-tkth-3", session=session),
    )
    decision = services.decision_issue(
        nominations=[a, b], actor=director(), number="19/QĐ-CTK", date=DAY, signer=director()
    )
    with pytest.raises(InvalidInput):
        services.decision_revoke(nomination=a, actor=director(), reason="")
    with pytest.raises(NotPermitted):
        services.decision_revoke(nomination=a, actor=office(), reason="Kê khai không trung thực")

    revoked = services.decision_revoke(nomination=a, actor=director(), reason="Kê khai không trung thực")

    assert revoked.state == State.REVOKED
    item = decision.items.get(nomination=a)
    assert item.is_revoked and not decision.items.get(nomination=b).is_revoked
    assert decision.total == Decimal(1_080_000)  # the decision as issued
    assert decision.total_in_force == Decimal(540_000)
    assert not AwardRecord.objects.filter(nomination=a).exists()
    assert AwardRecord.objects.filter(nomination=b).exists()
    assert AuditEvent.objects.get(nomination=a, transition="revoke").comment == "Kê khai không trung thực"


def test_forwarding_sends_a_submission_and_the_office_records_the_outcome(demo: None) -> None:
    session = builders.session()
    bang_khen = proposed(award="BANG_KHEN", nominee="staff-tkth-1", session=session)
    xuat_sac = proposed(award="TTLDXS", unit_nominee=True, head="head-tkth", session=session)
    ldtt = proposed(nominee="staff-tkth-2", session=session)

    with pytest.raises(RuleNotMet):
        upward_services.upward_submission_create(
            nominations=[bang_khen, ldtt],
            actor=director(),
            number="05/TTr-CTK",
            date=DAY,
            addressee="ministry",
            signer=director(),
        )
    assert Nomination.objects.get(pk=bang_khen.pk).state == State.PROPOSED
    with pytest.raises(InvalidInput) as refused:
        upward_services.upward_submission_create(
            nominations=[bang_khen],
            actor=director(),
            number="05/TTr-CTK",
            date=DAY,
            addressee="x",
            signer=director(),
        )
    assert refused.value.field == "addressee"

    submission = upward_services.upward_submission_create(
        nominations=[bang_khen, xuat_sac],
        actor=director(),
        number="05/TTr-CTK",
        date=DAY,
        addressee="ministry",
        signer=director(),
    )
    assert submission.addressee_name == "Tổng cục Thống kê"
    assert set(submission.items.values_list("nomination_id", flat=True)) == {xuat_sac.pk, bang_khen.pk}
    assert set(
        Nomination.objects.filter(pk__in=[bang_khen.pk, xuat_sac.pk]).values_list("state", flat=True)
    ) == {State.FORWARDED}
    assert Nomination.objects.get(pk=bang_khen.pk).submission_number == "05/TTr-CTK"

    with pytest.raises(NotPermitted):
        upward_services.upward_outcome_record(
            nomination=bang_khen, actor=director(), granted=True, decision_number="123/QĐ-BKHĐT"
        )
    granted = upward_services.upward_outcome_record(
        nomination=bang_khen,
        actor=office(),
        granted=True,
        decision_number="123/QĐ-BKHĐT",
        decision_date="2024-03-01",
    )
    refused_upward = upward_services.upward_outcome_record(
        nomination=xuat_sac, actor=office(), granted=False, decision_number="45/TCTK-TĐKT"
    )
    assert granted.state == State.GRANTED and refused_upward.state == State.NOT_GRANTED
    assert submission.items.get(nomination=bang_khen).outcome_date == datetime.date(2024, 3, 1)
    record = AwardRecord.objects.get(nomination=bang_khen)
    assert (record.decision_number, record.year) == ("123/QĐ-BKHĐT", 2023)
    assert not AwardRecord.objects.filter(nomination=xuat_sac).exists()
    assert UpwardSubmission.objects.count() == 1


def test_issuing_a_report_moves_the_campaigns_awarded_nominations_to_reported(demo: None) -> None:
    session = builders.session()
    approved = proposed(nominee="staff-tkth-2", session=session)
    in_phase = proposed(nominee="staff-tkth-3", session=session, campaign=phase_two())
    waiting = proposed(nominee="staff-tkkt-2", session=session)
    upward = proposed(award="BANG_KHEN", nominee="staff-tkth-1", session=session)
    services.decision_issue(
        nominations=[approved, in_phase], actor=director(), number="21/QĐ-CTK", date=DAY, signer=director()
    )
    upward_services.upward_submission_create(
        nominations=[upward],
        actor=director(),
        number="06/TTr-CTK",
        date=DAY,
        addressee="ministry",
        signer=director(),
    )
    upward_services.upward_outcome_record(
        nomination=upward, actor=office(), granted=True, decision_number="9/QĐ-BKHĐT"
    )

    with pytest.raises(NotPermitted):
        report_services.report_create(
            campaign=builders.annual_campaign(),
            actor=director(),
            number="30/BC-CTK",
            date=DAY,
            signer=director(),
        )
    report = report_services.report_create(
        campaign=builders.annual_campaign(),
        actor=office(),
        number="30/BC-CTK",
        date=DAY,
        signer=director(),
        recipients="Sở Nội vụ tỉnh Ninh Thuận\n\n  Khối thi đua  ",
    )
    assert report.state == Report.ReportState.DRAFT
    assert report.recipient_list == ["Sở Nội vụ tỉnh Ninh Thuận", "Khối thi đua"]
    assert not ReportItem.objects.exists()

    issued = report_services.report_issue(report=report, actor=office())

    assert issued.is_issued and issued.issued_by == office()
    carried = set(issued.items.values_list("nomination_id", flat=True))
    assert carried == {approved.pk, in_phase.pk, upward.pk}
    assert set(Nomination.objects.filter(pk__in=carried).values_list("state", flat=True)) == {State.REPORTED}
    assert Nomination.objects.get(pk=waiting.pk).state == State.PROPOSED
    assert issued.counts["total"] == 4
    assert issued.counts["by_award"][-1] == ["Tổng cộng", 4, 3, 0, 1, 0]
    with pytest.raises(WrongState):
        report_services.report_issue(report=issued, actor=office())
    assert AuditEvent.objects.filter(transition="report").count() == 3


def test_only_the_office_issues_a_report_and_a_refusal_leaves_it_a_draft(demo: None) -> None:
    nomination = proposed()
    services.decision_issue(
        nominations=[nomination], actor=director(), number="22/QĐ-CTK", date=DAY, signer=director()
    )
    report = report_services.report_create(
        campaign=builders.annual_campaign(), actor=office(), number="31/BC-CTK", date=DAY, signer=director()
    )
    stranger = builders.person("staff-tchc-1")
    with pytest.raises(NotPermitted):
        report_services.report_issue(report=report, actor=stranger)
    report.refresh_from_db()
    assert report.state == Report.ReportState.DRAFT
    assert Nomination.objects.get(pk=nomination.pk).state == State.APPROVED
