"""Reads for the decisions area: who sees which document, which nominations await which step."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from nominations import roles
from nominations.access import Perm, filter_holding
from nominations.models import (
    AwardRule,
    Campaign,
    Decision,
    DecisionItem,
    Nomination,
    Report,
    State,
    UpwardSubmission,
    UpwardSubmissionItem,
)

# Roles that read every decision, submission and report of the agency (the office keeps them, the
# Director signs them, the auditor checks them). Anyone else sees a decision or a submission only if it
# carries a nomination they may see; reports cover every unit, so only these roles read them.


def reads_all_documents(user: Any) -> bool:
    return roles.is_active(user) and roles.reads_the_agency(user)


def campaign_nominations(campaign: Campaign) -> QuerySet[Nomination]:
    """A campaign's nominations, with those of its phases and thematic movements when it is the annual plan."""
    return Nomination.objects.filter(Q(campaign=campaign) | Q(campaign__parent=campaign))


def reportable_nominations(campaign: Campaign) -> QuerySet[Nomination]:
    return campaign_nominations(campaign).filter(state__in=[State.APPROVED, State.GRANTED])


def decisions_visible_to(*, user: Any) -> QuerySet[Decision]:
    decisions = Decision.objects.select_related("campaign", "signer")
    if reads_all_documents(user):
        return decisions
    visible = filter_holding(Nomination.objects.all(), user, Perm.VIEW)
    carried = DecisionItem.objects.filter(decision=OuterRef("pk"), nomination__in=visible)
    return decisions.filter(Exists(carried))


def upward_submissions_visible_to(*, user: Any) -> QuerySet[UpwardSubmission]:
    submissions = UpwardSubmission.objects.select_related("campaign", "signer")
    if reads_all_documents(user):
        return submissions
    visible = filter_holding(Nomination.objects.all(), user, Perm.VIEW)
    carried = UpwardSubmissionItem.objects.filter(submission=OuterRef("pk"), nomination__in=visible)
    return submissions.filter(Exists(carried))


def reports_visible_to(*, user: Any) -> QuerySet[Report]:
    reports = Report.objects.select_related("campaign", "signer")
    return reports if reads_all_documents(user) else reports.none()


def _rules_by_award() -> dict[int, list[AwardRule]]:
    rules: dict[int, list[AwardRule]] = {}
    for rule in AwardRule.objects.order_by("-effective_from"):
        rules.setdefault(rule.award_id, []).append(rule)
    return rules


def _rule_on(rules: list[AwardRule], day: datetime.date) -> AwardRule | None:
    for rule in rules:
        if rule.effective_from <= day and (rule.effective_to is None or rule.effective_to >= day):
            return rule
    return None


def with_rules(nominations: Iterable[Nomination]) -> list[tuple[Nomination, AwardRule | None]]:
    """Each nomination with the rule it is judged by (its campaign's last day), reading the rules once."""
    rules = _rules_by_award()
    return [(n, _rule_on(rules.get(n.award_id, []), n.campaign.ends_on)) for n in nominations]


def nominations_awaiting_decision(*, user: Any, authority: str) -> list[Nomination]:
    """`proposed` nominations the user may decide, within the Director's authority or to be forwarded."""
    proposed = (
        filter_holding(Nomination.objects.filter(state=State.PROPOSED), user, Perm.DECIDE)
        .select_related("award", "campaign", "nominating_unit", "nominee_person__unit", "nominee_unit")
        .order_by("campaign__ends_on", "award__order", "nominating_unit__order", "pk")
    )
    return [n for n, rule in with_rules(proposed) if rule is not None and rule.authority == authority]


def nominations_approved_by_user(*, user: Any) -> QuerySet[Nomination]:
    """Decided nominations the user may revoke (approved or already reported)."""
    return filter_holding(
        Nomination.objects.filter(state__in=[State.APPROVED, State.REPORTED]), user, Perm.DECIDE
    )


def nominations_awaiting_outcome(*, user: Any) -> QuerySet[Nomination]:
    return (
        filter_holding(Nomination.objects.filter(state=State.FORWARDED), user, Perm.REVIEW)
        .select_related("award", "campaign", "nominating_unit", "nominee_person__unit", "nominee_unit")
        .order_by("pk")
    )
