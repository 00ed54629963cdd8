"""The council's arithmetic: quorum, threshold, ranking within a quota. Pure functions, no database.

Ratios are compared at the precision the rules are stored in (three decimals, rounded half up), so a
quorum stored as 0,667 means "two thirds": 6 of 9 members (0,6667 → 0,667) meet it. For any council
of fewer than 1 000 members this reads 0,5 as exactly one half and 0,667 as exactly two thirds.

Abstentions (`abstain`, "không biểu quyết") are ballots cast: the member took part in the vote. So
they count towards the quorum, and where a rule counts "votes cast" they are in the base — an
abstention weighs like a "no" (an award needs a majority of those who voted to agree, not merely more
yes than no). Where the base is "all members", anything but "yes" — abstaining, voting no, not voting
— is simply not a "yes". See docs/voting.md.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from nominations.models import AwardRule

PRECISION = Decimal("0.001")
ALL_MEMBERS = "all_members"
VOTES_CAST = "votes_cast"
CHOICES = ("yes", "no", "abstain")

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class VotingRule:
    """The part of an award's rule the council's count needs."""

    threshold: Decimal
    inclusive: bool
    base: str
    quorum: Decimal
    quota: int | None = None

    def __post_init__(self) -> None:
        if self.base not in (ALL_MEMBERS, VOTES_CAST):
            raise ValueError(f"unknown threshold base {self.base!r}")
        if not Decimal(0) <= self.threshold <= Decimal(1) or not Decimal(0) <= self.quorum <= Decimal(1):
            raise ValueError("threshold and quorum are ratios between 0 and 1")

    @classmethod
    def of(cls, rule: AwardRule) -> VotingRule:
        return cls(
            threshold=Decimal(rule.threshold),
            inclusive=rule.threshold_inclusive,
            base=rule.threshold_base,
            quorum=Decimal(rule.quorum),
            quota=rule.quota,
        )


@dataclass(frozen=True)
class Tally:
    yes: int = 0
    no: int = 0
    abstain: int = 0

    @property
    def cast(self) -> int:
        """Ballots cast, abstentions included."""
        return self.yes + self.no + self.abstain

    def add(self, choice: str) -> Tally:
        if choice not in CHOICES:
            raise ValueError(f"unknown choice {choice!r}")
        counts = {"yes": self.yes, "no": self.no, "abstain": self.abstain}
        counts[choice] += 1
        return Tally(**counts)

    @classmethod
    def of(cls, choices: Iterable[str]) -> Tally:
        tally = cls()
        for choice in choices:
            tally = tally.add(choice)
        return tally

    def as_dict(self) -> dict[str, int]:
        return {"yes": self.yes, "no": self.no, "abstain": self.abstain}


def ratio(count: int, base: int) -> Decimal:
    """count / base at the rules' precision (half up)."""
    if base <= 0:
        raise ValueError("the base of a ratio must be positive")
    return (Decimal(count) / Decimal(base)).quantize(PRECISION, rounding=ROUND_HALF_UP)


def quorum_needed(members: int, quorum: Decimal) -> int:
    """The fewest members who must take part in the vote for it to be valid."""
    if members <= 0:
        return 1
    for n in range(members + 1):
        if ratio(n, members) >= quorum:
            return n
    return members  # unreachable for quorum ≤ 1


def quorum_met(participants: int, members: int, rule: VotingRule) -> bool:
    return members > 0 and participants >= quorum_needed(members, rule.quorum)


def threshold_base(tally: Tally, members: int, rule: VotingRule) -> int:
    return members if rule.base == ALL_MEMBERS else tally.cast


def threshold_met(tally: Tally, members: int, rule: VotingRule) -> bool:
    """Whether the "yes" votes reach the rule's threshold of its base (all members, or votes cast)."""
    base = threshold_base(tally, members, rule)
    if base <= 0:
        return False
    share = ratio(tally.yes, base)
    return share >= rule.threshold if rule.inclusive else share > rule.threshold


@dataclass(frozen=True)
class Decision:
    quorum_needed: int
    quorum_met: bool
    threshold_met: bool

    @property
    def passed(self) -> bool:
        return self.quorum_met and self.threshold_met


def decide(tally: Tally, members: int, rule: VotingRule) -> Decision:
    return Decision(
        quorum_needed=quorum_needed(members, rule.quorum),
        quorum_met=quorum_met(tally.cast, members, rule),
        threshold_met=threshold_met(tally, members, rule),
    )


@dataclass(frozen=True)
class Ranking(Generic[K]):
    """Candidates that passed the vote, placed within a quota by their "yes" votes.

    `tied` are level on votes at the edge of the quota: the chair picks `open_places` of them.
    """

    within: tuple[K, ...]
    beyond: tuple[K, ...]
    tied: tuple[K, ...] = ()
    open_places: int = 0
    ranks: dict[K, int] = field(default_factory=dict)

    @property
    def needs_chair(self) -> bool:
        return bool(self.tied)


def rank_within_quota(candidates: Sequence[tuple[K, int]], places: int | None) -> Ranking[K]:
    """Rank `(key, yes votes)` by votes (most first, standard competition ranks 1, 2, 2, 4).

    With no quota (`places is None`) or enough places, everyone is within. Otherwise those above the
    last place's vote count are within, those below are beyond, and those level with it are tied
    unless there are places for all of them.
    """
    ordered = sorted(candidates, key=lambda c: -c[1])
    ranks: dict[K, int] = {}
    for index, (key, votes) in enumerate(ordered):
        ranks[key] = (
            index + 1 if index == 0 or votes != ordered[index - 1][1] else ranks[ordered[index - 1][0]]
        )
    keys = tuple(key for key, _votes in ordered)
    if places is None or len(ordered) <= places:
        return Ranking(within=keys, beyond=(), ranks=ranks)
    if places <= 0:
        return Ranking(within=(), beyond=keys, ranks=ranks)
    edge = ordered[places - 1][1]
    above = tuple(key for key, votes in ordered if votes > edge)
    level = tuple(key for key, votes in ordered if votes == edge)
    below = tuple(key for key, votes in ordered if votes < edge)
    if len(above) + len(level) <= places:
        return Ranking(within=above + level, beyond=below, ranks=ranks)
    return Ranking(within=above, beyond=below, tied=level, open_places=places - len(above), ranks=ranks)


def apply_tie_break(ranking: Ranking[K], chosen: Iterable[K]) -> tuple[tuple[K, ...], tuple[K, ...]]:
    """The chair's choice among the tied: returns (within, beyond) for the whole ranking.

    Raises ValueError unless exactly `open_places` of the tied candidates are chosen.
    """
    picked = set(chosen)
    if not picked <= set(ranking.tied):
        raise ValueError("only tied candidates can be chosen")
    if len(picked) != ranking.open_places:
        raise ValueError(f"choose exactly {ranking.open_places}")
    within = ranking.within + tuple(k for k in ranking.tied if k in picked)
    beyond = tuple(k for k in ranking.tied if k not in picked) + ranking.beyond
    return within, beyond
