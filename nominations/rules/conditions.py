"""The conditions of each transition beyond its permission and source state: which rules it checks.

`CONDITIONS` only maps a transition to its rules, in order; each `Condition` has the label shown in
the "needs" column of docs/state-machine.md. The transition service checks them one by one and stops
at the first that refuses (raising all of its refusals), so an item is told the first thing to fix.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.utils import timezone

from nominations.models import AwardRule, Nomination, NoRuleInForce
from nominations.rules import authority, council, eligibility, publicity
from nominations.rules.eligibility import Refusal


@dataclass
class Facts:
    """What the rules of one transition read: the (locked) nomination, the transition's cleaned input,
    and the award's rule in force, read once however many conditions ask for it."""

    nomination: Nomination
    params: Mapping[str, Any] = field(default_factory=dict)

    @cached_property
    def rule(self) -> AwardRule | None:
        try:
            return eligibility.rule_of(self.nomination)
        except NoRuleInForce:
            return None


@dataclass(frozen=True)
class Condition:
    label: str
    check: Callable[[Facts], list[Refusal]]


def _with_rule(check: Callable[[Nomination, AwardRule], list[Refusal]]) -> Callable[[Facts], list[Refusal]]:
    """A rule read from the award's rule in force; no rule in force is itself the refusal."""

    def checked(facts: Facts) -> list[Refusal]:
        if facts.rule is None:
            return [eligibility.no_rule_in_force(facts.nomination)]
        return check(facts.nomination, facts.rule)

    return checked


ELIGIBLE = Condition(
    "the award's criteria, a complete dossier, no open case, one per nominee, the quota",
    lambda facts: eligibility.check_submission(facts.nomination),
)
NO_HOLD = Condition(
    "no open discipline, investigation, inspection or complaint",
    lambda facts: eligibility.check_holds(facts.nomination),
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
    lambda facts: publicity.check_notice_over(facts.nomination, timezone.localdate()),
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
