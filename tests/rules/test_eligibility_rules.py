"""Each check made before a nomination reaches the council refuses with the rule's name and legal basis.

Everything runs through the real services on the demo organisation; a refusal writes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from nominations.models import Award, AwardRule, Campaign, Case, Nomination, NoticePublication, State
from nominations.rules import eligibility, publicity
from nominations.rules.workdays import add_working_days
from tests.builders import core as builders
from workflow.base.errors import Duplicate, RuleNotMet
from workflow.models import AuditEvent
from workflow.services import transitions as t
from workflow.services.catalogue import award_rule_save

pytestmark = pytest.mark.django_db

INITIATIVE = "Ứng dụng phần mềm tổng hợp nhanh số liệu điều tra doanh nghiệp"  # staff-tkth-1's, recognised
CSTDCS_BASIS = "Luật Thi đua, Khen thưởng 2022, Điều 23; Nghị định 98/2023/NĐ-CP, Điều 30 khoản 7"


def refused(action: Callable[[], Any], nomination: Nomination) -> dict[str, str]:
    """Run `action`, expect RuleNotMet, check nothing was written; return {rule: legal basis}."""
    state, events = Nomination.objects.get(pk=nomination.pk).state, AuditEvent.objects.count()
    with pytest.raises(RuleNotMet) as caught:
        action()
    assert Nomination.objects.get(pk=nomination.pk).state == state
    assert AuditEvent.objects.count() == events
    rules = {r.rule: r.legal_basis for r in caught.value.refusals}
    for basis in rules.values():
        assert basis and basis in caught.value.message  # the message the user reads cites it
    return rules


def submit(nomination: Nomination) -> Callable[[], Nomination]:
    head = builders.person(f"head-{nomination.nominating_unit.code}")
    return lambda: t.nomination_submit(nomination=nomination, actor=head)


def approve(nomination: Nomination, together_with: tuple[int, ...] = ()) -> Callable[[], Nomination]:
    """The `approve` transition with its rules, as `decision_issue` runs it for each item of a decision
    (`together_with` = the decision's other items). These tests are about the rules; the decision
    around them is tested in tests/approval/ and tests/decisions/test_decisions_*.py."""
    director = builders.person("director")
    return lambda: t.approve_within_decision(
        nomination=nomination,
        actor=director,
        decision_number="20/QĐ-CTK",
        decision_date=datetime.date(2024, 1, 15),
        together_with=together_with,
    )


def set_rule(code: str, **values: Any) -> None:
    admin = builders.person("admin")
    for rule in AwardRule.objects.filter(award=Award.objects.get(code=code)):
        for name, value in values.items():
            setattr(rule, name, value)
        award_rule_save(rule=rule, actor=admin, changed_fields=list(values), created=False)


# --- CSTĐCS: LĐTT the same year, and HTXS or a recognised initiative (L22 Art. 23) -------------------
def test_cstdcs_without_an_ldtt_the_same_year_is_refused_citing_article_23(demo: None) -> None:
    cstdcs = builders.draft(award="CSTDCS", nominee="staff-tkth-2")
    assert refused(submit(cstdcs), cstdcs) == {"same_year_prerequisite": CSTDCS_BASIS}


def test_cstdcs_with_an_ldtt_nomination_in_the_same_campaign_can_be_submitted(demo: None) -> None:
    builders.draft(award="LDTT", nominee="staff-tkth-2")
    cstdcs = builders.draft(award="CSTDCS", nominee="staff-tkth-2")
    assert submit(cstdcs)().state == State.SUBMITTED


def test_cstdcs_rated_only_good_without_an_initiative_is_refused(demo: None) -> None:
    builders.draft(award="LDTT", nominee="staff-tkth-2", rating="htt")
    cstdcs = builders.draft(award="CSTDCS", nominee="staff-tkth-2", rating="htt")
    assert refused(submit(cstdcs), cstdcs) == {"excellent_or_initiative": CSTDCS_BASIS}


def test_cstdcs_rated_only_good_with_a_recognised_initiative_can_be_submitted(demo: None) -> None:
    builders.draft(award="LDTT", nominee="staff-tkth-1", rating="htt")
    cstdcs = builders.draft(award="CSTDCS", nominee="staff-tkth-1", rating="htt", initiatives=[INITIATIVE])
    assert submit(cstdcs)().state == State.SUBMITTED


def test_an_initiative_supports_one_commendation_only(demo: None) -> None:
    builders.draft(award="LDTT", nominee="staff-tkth-1", rating="htt")
    first = builders.draft(award="CSTDCS", nominee="staff-tkth-1", rating="htt", initiatives=[INITIATIVE])
    submit(first)()
    phase_two = Campaign.objects.get(kind=Campaign.Kind.PHASE, ends_on=datetime.date(2023, 12, 31))
    second = builders.draft(
        award="CSTDCS", nominee="staff-tkth-1", rating="htt", initiatives=[INITIATIVE], campaign=phase_two
    )
    assert refused(submit(second), second) == {"excellent_or_initiative": CSTDCS_BASIS}
    # Once the first nomination no longer stands, the initiative supports the second one.
    t.nomination_withdraw(nomination=first, actor=builders.person("head-tkth"), comment="Dùng cho đợt 2.")
    assert submit(second)().state == State.SUBMITTED


# --- holds: no open discipline, investigation, inspection or complaint (ND152 Art. 4) -----------------
def test_a_nominee_with_an_open_case_is_refused_citing_decree_152_article_4(demo: None) -> None:
    nomination = builders.draft(award="LDTT", nominee="staff-nsba-2")  # the demo's open disciplinary case
    assert refused(submit(nomination), nomination) == {"no_pending_case": "Nghị định 152/2025/NĐ-CP, Điều 4"}


def test_a_case_opened_later_stops_the_evaluation_and_the_decision(demo: None) -> None:
    nomination = builders.in_state("submitted", award="LDTT", nominee="staff-tkth-2")
    Case.objects.create(
        kind=Case.Kind.COMPLAINT, person=builders.person("staff-tkth-2"), opened_on=datetime.date(2023, 12, 1)
    )
    office = builders.person("office1")
    evaluate = lambda: t.nomination_evaluate(nomination=nomination, actor=office, score=90, assessment="Đạt")  # noqa: E731
    assert refused(evaluate, nomination) == {"no_pending_case": eligibility.HOLD_BASIS}
    # The office puts it on hold instead, and releases it when the case is closed.
    t.nomination_hold(nomination=nomination, actor=office, comment="Có đơn khiếu nại.")
    Case.objects.update(closed_on=datetime.date(2023, 12, 10))
    t.nomination_release(nomination=nomination, actor=office)
    assert evaluate().state == State.EVALUATED


def test_an_open_case_stops_the_directors_approval(demo: None) -> None:
    nomination = builders.in_state("proposed", award="LDTT", nominee="staff-tkth-2")
    Case.objects.create(
        kind=Case.Kind.INSPECTION, person=builders.person("staff-tkth-2"), opened_on=datetime.date(2024, 1, 2)
    )
    assert refused(approve(nomination), nomination) == {"no_pending_case": eligibility.HOLD_BASIS}


# --- one nomination per nominee, award and campaign ------------------------------------------------------
def test_a_second_nomination_for_the_same_nominee_award_and_campaign_is_refused(demo: None) -> None:
    # Refused when created now (409 naming the first), not only at submit; a withdrawn one no longer stands.
    first = builders.draft(award="LDTT", nominee="staff-tkth-2")
    with pytest.raises(Duplicate) as refusal:
        builders.draft(award="LDTT", nominee="staff-tkth-2")
    assert refusal.value.existing == first.pk and str(first.pk) in refusal.value.message
    t.nomination_withdraw(nomination=first, actor=builders.person("head-tkth"), comment="Lập trùng.")
    second = builders.draft(award="LDTT", nominee="staff-tkth-2")
    assert submit(second)().state == State.SUBMITTED
    assert eligibility.check_unique(second) == []


# --- the quota, if one is set ------------------------------------------------------------------------------
def test_the_quota_of_a_unit_in_a_campaign_is_enforced(demo: None) -> None:
    set_rule("LDTT", quota=1)
    submit(builders.draft(award="LDTT", nominee="staff-tkth-2"))()
    second = builders.draft(award="LDTT", nominee="staff-tkth-3")
    rules = refused(submit(second), second)
    assert list(rules) == ["quota"]
    assert "Điều 24" in rules["quota"]
    # Another unit has its own quota.
    assert submit(builders.draft(award="LDTT", nominee="staff-tkkt-2"))().state == State.SUBMITTED


# --- the dossier (L22 Art. 84) and the rating ----------------------------------------------------------------
def test_an_incomplete_dossier_is_refused_citing_article_84(demo: None) -> None:
    nomination = builders.draft(award="LDTT", nominee="staff-tkth-2", files=False)
    assert refused(submit(nomination), nomination) == {"dossier_complete": eligibility.L22_DOSSIER}


def test_a_rating_below_the_awards_minimum_is_refused(demo: None) -> None:
    nomination = builders.draft(award="LDTT", nominee="staff-tkth-2", rating="ht")
    rules = refused(submit(nomination), nomination)
    assert list(rules) == ["min_rating"]
    assert "Điều 24" in rules["min_rating"]


# --- earlier years, from the award history -------------------------------------------------------------------
def test_bang_khen_needs_two_consecutive_prior_cstdcs_which_staff_tkth_1_has(demo: None) -> None:
    nomination = builders.draft(award="BANG_KHEN", nominee="staff-tkth-1")
    assert submit(nomination)().state == State.SUBMITTED


def test_bang_khen_is_refused_for_staff_tkkt_1_who_misses_2021(demo: None) -> None:
    nomination = builders.draft(award="BANG_KHEN", nominee="staff-tkkt-1")
    state, events = nomination.state, AuditEvent.objects.count()
    with pytest.raises(RuleNotMet) as caught:
        submit(nomination)()
    assert [r.rule for r in caught.value.refusals] == ["prior_years"]
    assert "2021" in caught.value.message
    assert "Điều 74" in caught.value.refusals[0].legal_basis
    assert (Nomination.objects.get(pk=nomination.pk).state, AuditEvent.objects.count()) == (state, events)


def test_a_campaign_without_a_rule_in_force_is_refused_not_crashed(demo: None) -> None:
    old = Campaign.objects.create(
        name="Phong trào năm 2022", kind=Campaign.Kind.ANNUAL, starts_on=datetime.date(2022, 1, 1),
        ends_on=datetime.date(2022, 12, 31),
    )  # fmt: skip
    nomination = builders.draft(award="LDTT", nominee="staff-tkth-2", campaign=old)
    assert list(refused(submit(nomination), nomination)) == ["rule_in_force"]


# --- the decision: a same-year prerequisite first, or together; the notice period ---------------------------
def _ldtt_and_cstdcs(ldtt_state: str) -> tuple[Nomination, Nomination]:
    session = builders.session()
    ldtt = builders.draft(award="LDTT", nominee="staff-tkth-2")
    cstdcs = builders.in_state("proposed", award="CSTDCS", nominee="staff-tkth-2", council_session=session)
    return builders.drive(ldtt, ldtt_state, council_session=session), cstdcs


def test_cstdcs_cannot_be_approved_before_its_ldtt(demo: None) -> None:
    _ldtt, cstdcs = _ldtt_and_cstdcs("proposed")
    assert refused(approve(cstdcs), cstdcs) == {"same_year_prerequisite": CSTDCS_BASIS}


def test_cstdcs_can_be_approved_together_with_its_proposed_ldtt(demo: None) -> None:
    ldtt, cstdcs = _ldtt_and_cstdcs("proposed")
    assert approve(cstdcs, together_with=(ldtt.pk,))().state == State.APPROVED
    assert approve(ldtt)().state == State.APPROVED


def test_cstdcs_can_be_approved_after_its_ldtt(demo: None) -> None:
    _ldtt, cstdcs = _ldtt_and_cstdcs("approved")
    assert approve(cstdcs)().state == State.APPROVED


def test_together_with_an_ldtt_not_awaiting_the_decision_is_not_enough(demo: None) -> None:
    ldtt, cstdcs = _ldtt_and_cstdcs("evaluated")
    assert refused(approve(cstdcs, together_with=(ldtt.pk,)), cstdcs) == {
        "same_year_prerequisite": CSTDCS_BASIS
    }


def test_together_with_someone_elses_ldtt_is_not_enough(demo: None) -> None:
    _ldtt, cstdcs = _ldtt_and_cstdcs("evaluated")
    other = builders.in_state("proposed", award="LDTT", nominee="staff-tkth-3")
    assert refused(approve(cstdcs, together_with=(other.pk,)), cstdcs) == {
        "same_year_prerequisite": CSTDCS_BASIS
    }


def test_the_decision_waits_for_the_campaigns_notice_period(demo: None) -> None:
    campaign = Campaign.objects.get(name__contains="Cải cách hành chính")
    assert campaign.notice_days == 5
    nomination = builders.in_state("proposed", award="LDTT", nominee="staff-tkth-2", campaign=campaign)
    assert list(refused(approve(nomination), nomination)) == ["notice_period"]
    # Proposed (published) on a Monday: five working days later is the next Monday; decided from Tuesday.
    monday = datetime.date(2023, 12, 4)
    assert add_working_days(monday, 5) == datetime.date(2023, 12, 11)
    published = timezone.make_aware(datetime.datetime(2023, 12, 4, 9, 0))
    notice = NoticePublication.objects.get(nomination=nomination)
    notice.set_period(published)
    notice.save()
    locked = Nomination.objects.select_related("campaign").get(pk=nomination.pk)
    assert publicity.check_notice_over(locked, datetime.date(2023, 12, 11))
    assert not publicity.check_notice_over(locked, datetime.date(2023, 12, 12))
    assert approve(nomination)().state == State.APPROVED


def test_the_council_refuses_to_close_a_vote_over_an_empty_agenda_and_says_so_plainly() -> None:
    from nominations.models import CouncilSession
    from nominations.rules import council

    session = CouncilSession(name="Phiên họp tháng 12", date=datetime.date(2023, 12, 20))
    (refusal,) = council.check_agenda_not_empty(session, items=0)
    assert refusal.rule == "agenda_not_empty"
    assert "Phiên họp tháng 12 (20/12/2023) chưa có nội dung biểu quyết" in refusal.message
    # DOMAIN.md names no article for it: the refusal cites none rather than invent one.
    assert refusal.legal_basis == "" and str(refusal) == refusal.message
    assert council.check_agenda_not_empty(session, items=1) == []
