"""The conditions of each transition beyond its permission and source state: which rules it checks.

`CONDITIONS` only maps a transition to its rules, in order; each `Condition` has the label shown in
the "needs" column of docs/state-machine.md. The transition service checks them one by one and stops
at the first that refuses (raising all of its refusals), so an item is told the first thing to fix.

What the conditions read is read once, in one query (`Facts`): the award's rule in force, with the
facts about other rows the transition's conditions ask for (`Condition.reads`) as EXISTS columns of the
same statement. A fact that says "all clear" is the answer; one that says otherwise sends the rule's
own check (`nominations.rules.eligibility`, `publicity`) to read the details for its refusal, so every
refusal is worded and cited exactly as before and costs its queries only when it refuses.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from nominations.models import (
    FINAL_STATES,
    AwardRule,
    Case,
    DossierFile,
    Nomination,
    NoticePublication,
    State,
)
from nominations.models.awards import reading_rules_once, rule_read
from nominations.models.submissions import SubmissionFile
from nominations.rules import authority, council, eligibility, publicity
from nominations.rules.eligibility import Refusal

# The facts a condition may ask for besides the rule (the keys of `Condition.reads`).
OPEN_CASE = "open_case"  # a case still open about the nominee (eligibility.check_holds)
DUPLICATE = "duplicate"  # another standing nomination of the nominee, award, campaign (check_unique)
NOTICE = "notice"  # a public notice of the result was posted (publicity.check_notice_over)
FILES = "files"  # which kinds of paper the dossier holds, its own or its submission's
FILE_KINDS: tuple[str, ...] = (
    DossierFile.Kind.SUBMISSION,
    DossierFile.Kind.ACHIEVEMENT_REPORT,
    DossierFile.Kind.EVALUATION_MINUTES,
    DossierFile.Kind.PROOF,
)


def _file_column(kind: str) -> str:
    return f"has_file_{kind}"


def _fact_columns(nomination: Nomination, reads: Iterable[str]) -> dict[str, Any]:
    """The EXISTS columns for `reads`: the same filters as the checks they stand for, so "none" here
    is "no refusal" there."""
    columns: dict[str, Any] = {}
    wanted = set(reads)
    if OPEN_CASE in wanted:
        columns[OPEN_CASE] = Exists(
            Case.objects.filter(eligibility._nominee_filter(nomination), closed_on__isnull=True)
        )
    if DUPLICATE in wanted:
        columns[DUPLICATE] = Exists(
            Nomination.objects.filter(
                eligibility._same_nominee(nomination),
                campaign_id=nomination.campaign_id,
                award_id=nomination.award_id,
            )
            .exclude(pk=nomination.pk)
            .exclude(state__in=FINAL_STATES | {State.DRAFT})
        )
    if NOTICE in wanted:
        columns[NOTICE] = Exists(NoticePublication.objects.filter(nomination_id=nomination.pk))
    if FILES in wanted:
        for kind in FILE_KINDS:
            present = Q(Exists(DossierFile.objects.filter(nomination_id=nomination.pk, kind=kind)))
            if nomination.submission_id is not None:
                shared = SubmissionFile.objects.filter(submission_id=nomination.submission_id, kind=kind)
                present |= Q(Exists(shared))
            columns[_file_column(kind)] = present
    return columns


_DECIDED_RULE = "decided_rule_pk"


def _rule_in_force_pk(day: datetime.date) -> Subquery:
    """The pk of the award's version in force on `day`, as `rule_for` picks it, beside the rule read."""
    return Subquery(
        AwardRule.objects.in_force_on(day)
        .filter(award_id=OuterRef("award_id"))
        .order_by("-effective_from")
        .values("pk")[:1]
    )


@dataclass
class Facts:
    """What the rules of one transition read: the (locked) nomination, the transition's cleaned input,
    and the award's rule in force with the facts in `reads` — one query, however many conditions ask.

    Built after the row lock, so every fact is read in a statement that starts after it: a fact folded
    into the locking statement itself would be read from that statement's snapshot, taken before a
    wait for the lock, and miss what the transaction it waited for had just committed.
    """

    nomination: Nomination
    params: Mapping[str, Any] = field(default_factory=dict)
    reads: frozenset[str] = frozenset()

    @classmethod
    def for_transition(
        cls, name: str, nomination: Nomination, params: Mapping[str, Any], extra: Iterable[Condition] = ()
    ) -> Facts:
        conditions = [*CONDITIONS.get(name, []), *extra]
        return cls(nomination, params, frozenset().union(*(c.reads for c in conditions)))

    @cached_property
    def _read(self) -> tuple[AwardRule | None, dict[str, bool]]:
        nomination = self.nomination
        ends_on = nomination.campaign.ends_on
        # Inside `rules_read_once()` (a decision): which version is in force on the decision's date, for
        # its amount (`amounts.rule_on`) — usually this same one, then not read again.
        decided_on = self.params.get("decision_date") if reading_rules_once() else None
        if not isinstance(decided_on, datetime.date):
            decided_on = None
        extra = {_DECIDED_RULE: _rule_in_force_pk(decided_on)} if decided_on is not None else {}
        rule = (
            AwardRule.objects.in_force_on(ends_on)
            .filter(award_id=nomination.award_id)
            .annotate(**_fact_columns(nomination, self.reads), **extra)
            .order_by("-effective_from")
            .first()
        )
        rule_read(nomination.award_id, ends_on, rule)  # what `rule_for(award, ends_on)` returns
        if rule is None:
            return None, {}
        if decided_on is not None:
            decided_pk = getattr(rule, _DECIDED_RULE)
            if decided_pk is None or decided_pk == rule.pk:
                rule_read(nomination.award_id, decided_on, rule if decided_pk else None)
        known = {key: bool(getattr(rule, key)) for key in _fact_columns(nomination, self.reads)}
        return rule, known

    @property
    def rule(self) -> AwardRule | None:
        return self._read[0]

    def clear(self, fact: str) -> bool:
        """True when the fact is known to be absent (no open case, no duplicate, no notice); False when
        it is present or was not read (no rule in force) — then the rule's own check reads it."""
        known = self._read[1]
        return fact in known and not known[fact]

    def present_file_kinds(self) -> set[str] | None:
        """The kinds of paper the dossier holds (own and shared), or None when they were not read."""
        known = self._read[1]
        if _file_column(FILE_KINDS[0]) not in known:
            return None
        return {kind for kind in FILE_KINDS if known[_file_column(kind)]}


@dataclass(frozen=True)
class Condition:
    label: str
    check: Callable[[Facts], list[Refusal]]
    reads: frozenset[str] = frozenset()  # the facts `check` takes from `Facts` instead of its own query


def _with_rule(check: Callable[[Nomination, AwardRule], list[Refusal]]) -> Callable[[Facts], list[Refusal]]:
    """A rule read from the award's rule in force; no rule in force is itself the refusal."""

    def checked(facts: Facts) -> list[Refusal]:
        if facts.rule is None:
            return [eligibility.no_rule_in_force(facts.nomination)]
        return check(facts.nomination, facts.rule)

    return checked


def _eligible(facts: Facts) -> list[Refusal]:
    """`eligibility.check_submission`, check by check in its order, each query-backed check asked only
    when its fact (read with the rule) says it would refuse. tests/rules/test_conditions_facts.py holds
    the two to the same answers."""
    nomination, rule = facts.nomination, facts.rule
    if rule is None:
        return [eligibility.no_rule_in_force(nomination)]  # as check_submission answers it
    present = facts.present_file_kinds()
    dossier_complete = present is not None and not eligibility.missing_file_kinds(rule, present)
    return [
        *eligibility.check_recipient(nomination),
        *([] if dossier_complete else eligibility.check_dossier(nomination, rule)),
        *eligibility.check_criteria(nomination, rule),
        *([] if facts.clear(OPEN_CASE) else eligibility.check_holds(nomination)),
        *([] if facts.clear(DUPLICATE) else eligibility.check_unique(nomination)),
        *eligibility.check_quota(nomination, rule),
    ]


ELIGIBLE = Condition(
    "the award's criteria, a complete dossier, no open case, one per nominee, the quota",
    _eligible,
    frozenset({FILES, OPEN_CASE, DUPLICATE}),
)
NO_HOLD = Condition(
    "no open discipline, investigation, inspection or complaint",
    lambda facts: [] if facts.clear(OPEN_CASE) else eligibility.check_holds(facts.nomination),
    frozenset({OPEN_CASE}),
)
NEEDS_NO_VOTE = Condition("the award needs no council vote", _with_rule(authority.check_needs_no_vote))
NEEDS_VOTE = Condition("the award needs a council vote", _with_rule(authority.check_needs_vote))
SESSION_OPEN = Condition(
    "a council session not yet closed", lambda facts: council.check_session_open(facts.params["session"])
)
DIRECTOR_DECIDES = Condition(
    "the award is within the Director's authority", _with_rule(authority.check_director_decides)
)
NOTICE_OVER = Condition(
    "the notice period is over",
    lambda facts: (
        [] if facts.clear(NOTICE) else publicity.check_notice_over(facts.nomination, timezone.localdate())
    ),
    frozenset({NOTICE}),
)


def _decided_together(facts: Facts) -> list[Refusal]:
    together_with = facts.params.get("together_with", ())
    return _with_rule(
        lambda nomination, rule: eligibility.check_decided_together(
            nomination, rule, together_with=together_with
        )
    )(facts)


DECIDED_TOGETHER = Condition(
    "a same-year prerequisite, and a collective's members' titles, decided before or together",
    _decided_together,
)
HIGHER_LEVEL_DECIDES = Condition(
    "the award is beyond the Director's authority", _with_rule(authority.check_higher_level_decides)
)

CONDITIONS: dict[str, list[Condition]] = {
    "submit": [ELIGIBLE],
    "resubmit": [ELIGIBLE],
    "evaluate": [ELIGIBLE],
    "propose": [NEEDS_NO_VOTE, NO_HOLD],
    "schedule": [NEEDS_VOTE, SESSION_OPEN, NO_HOLD],
    "approve": [DIRECTOR_DECIDES, NO_HOLD, NOTICE_OVER, DECIDED_TOGETHER],
    "forward": [HIGHER_LEVEL_DECIDES],
}


def refusals_of(name: str, facts: Facts) -> list[Refusal]:
    """The refusals of the first condition of transition `name` that is not met (none: all are)."""
    for condition in CONDITIONS.get(name, []):
        refusals = condition.check(facts)
        if refusals:
            return refusals
    return []
