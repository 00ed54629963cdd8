"""The council's arithmetic (nominations.rules.voting): pure functions, no database."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nominations.rules.voting import (
    Tally,
    VotingRule,
    apply_tie_break,
    decide,
    quorum_needed,
    rank_within_quota,
    threshold_met,
)

CSTDCS = VotingRule(threshold=Decimal("0.8"), inclusive=True, base="all_members", quorum=Decimal("0.667"))
LDTT = VotingRule(threshold=Decimal("0.5"), inclusive=False, base="votes_cast", quorum=Decimal("0.667"))


def test_two_thirds_of_nine_members_is_six() -> None:
    assert quorum_needed(9, Decimal("0.667")) == 6
    assert quorum_needed(7, Decimal("0.667")) == 5  # 4/7 = 0.571 < 2/3 ≤ 5/7
    assert quorum_needed(3, Decimal("0.667")) == 2


@given(st.integers(min_value=1, max_value=999))
def test_a_quorum_stored_as_0_667_means_exactly_two_thirds_for_any_council_under_1000(members: int) -> None:
    needed = quorum_needed(members, Decimal("0.667"))
    assert 3 * needed >= 2 * members
    assert 3 * (needed - 1) < 2 * members


@given(st.integers(min_value=1, max_value=999), st.data())
def test_more_than_half_means_exactly_a_strict_majority_for_any_base_under_1000(
    base: int, data: st.DataObject
) -> None:
    yes = data.draw(st.integers(min_value=0, max_value=base))
    rule = VotingRule(threshold=Decimal("0.5"), inclusive=False, base="votes_cast", quorum=Decimal(0))
    assert threshold_met(Tally(yes=yes, no=base - yes), base, rule) == (2 * yes > base)


def test_eight_of_nine_yes_passes_a_cstdcs_and_seven_does_not() -> None:
    assert decide(Tally(yes=8, no=1), 9, CSTDCS).passed
    assert not decide(Tally(yes=7, no=2), 9, CSTDCS).passed


def test_a_cstdcs_counts_against_all_members_so_missing_ballots_count_as_not_yes() -> None:
    # 7 of the 7 who voted is 100% of votes cast but only 77.8% of the 9 members.
    decision = decide(Tally(yes=7), 9, CSTDCS)
    assert decision.quorum_met and not decision.threshold_met


def test_ldtt_needs_a_simple_majority_of_votes_cast() -> None:
    assert decide(Tally(yes=4, no=3), 9, LDTT).passed  # 4 of 7 cast
    assert not decide(Tally(yes=3, no=3), 9, LDTT).passed  # exactly half is not more than half


def test_abstentions_are_votes_cast_so_they_weigh_like_no_for_a_votes_cast_rule() -> None:
    assert not decide(Tally(yes=3, no=1, abstain=3), 9, LDTT).passed  # 3 of 7 cast
    assert decide(Tally(yes=4, no=0, abstain=3), 9, LDTT).passed  # 4 of 7 cast


def test_abstentions_count_towards_the_quorum() -> None:
    assert decide(Tally(yes=1, abstain=5), 9, LDTT).quorum_met
    assert not decide(Tally(yes=5), 9, LDTT).quorum_met


def test_without_quorum_nothing_passes_even_a_unanimous_vote() -> None:
    decision = decide(Tally(yes=5), 9, LDTT)
    assert decision.threshold_met and not decision.passed


def test_a_threshold_reached_exactly_passes_only_an_inclusive_rule() -> None:
    exact = Tally(yes=4, no=1)  # 80% of 5 cast
    inclusive = VotingRule(threshold=Decimal("0.8"), inclusive=True, base="votes_cast", quorum=Decimal(0))
    exclusive = VotingRule(threshold=Decimal("0.8"), inclusive=False, base="votes_cast", quorum=Decimal(0))
    assert threshold_met(exact, 9, inclusive)
    assert not threshold_met(exact, 9, exclusive)


def test_no_ballot_cast_never_meets_a_votes_cast_threshold() -> None:
    assert not threshold_met(Tally(), 9, LDTT)


def test_a_rule_with_an_unknown_base_or_a_ratio_above_one_is_refused() -> None:
    with pytest.raises(ValueError):
        VotingRule(threshold=Decimal("0.5"), inclusive=False, base="present", quorum=Decimal("0.667"))
    with pytest.raises(ValueError):
        VotingRule(threshold=Decimal("1.5"), inclusive=False, base="votes_cast", quorum=Decimal("0.667"))


def test_a_tally_refuses_an_unknown_choice() -> None:
    assert Tally.of(["yes", "no", "abstain", "yes"]) == Tally(yes=2, no=1, abstain=1)
    with pytest.raises(ValueError):
        Tally().add("maybe")


def test_without_a_quota_everyone_who_passed_is_within() -> None:
    ranking = rank_within_quota([("a", 5), ("b", 9)], None)
    assert ranking.within == ("b", "a") and not ranking.needs_chair


def test_over_a_quota_the_most_yes_votes_are_within_and_the_rest_beyond() -> None:
    ranking = rank_within_quota([("a", 6), ("b", 9), ("c", 7)], 2)
    assert ranking.within == ("b", "c")
    assert ranking.beyond == ("a",)
    assert ranking.ranks == {"b": 1, "c": 2, "a": 3}


def test_a_tie_at_the_edge_of_the_quota_waits_for_the_chair() -> None:
    ranking = rank_within_quota([("a", 7), ("b", 9), ("c", 7), ("d", 6)], 2)
    assert ranking.within == ("b",)
    assert set(ranking.tied) == {"a", "c"} and ranking.open_places == 1
    assert ranking.beyond == ("d",)
    assert ranking.ranks == {"b": 1, "a": 2, "c": 2, "d": 4}
    within, beyond = apply_tie_break(ranking, ["c"])
    assert within == ("b", "c") and set(beyond) == {"a", "d"}


def test_a_tie_that_fits_in_the_quota_needs_no_chair() -> None:
    ranking = rank_within_quota([("a", 7), ("b", 9), ("c", 7)], 3)
    assert not ranking.needs_chair and len(ranking.within) == 3


def test_the_chair_must_choose_exactly_the_open_places_among_the_tied() -> None:
    ranking = rank_within_quota([("a", 7), ("b", 7), ("c", 7)], 2)
    assert ranking.open_places == 2
    with pytest.raises(ValueError):
        apply_tie_break(ranking, ["a"])
    with pytest.raises(ValueError):
        apply_tie_break(ranking, ["a", "z"])


def test_a_quota_already_used_up_leaves_everyone_beyond() -> None:
    ranking = rank_within_quota([("a", 9)], 0)
    assert ranking.within == () and ranking.beyond == ("a",)
