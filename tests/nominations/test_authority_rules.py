"""The rules of who decides an award: pure functions over the nomination and its rule (no database)."""

from __future__ import annotations

import datetime

from nominations.models import Award, AwardRule, CouncilSession, Nomination
from nominations.rules import authority, council
from nominations.rules.conditions import CONDITIONS

BASIS = "Luật Thi đua, Khen thưởng 2022, Điều 74"


def _nomination_and_rule(**rule_fields: object) -> tuple[Nomination, AwardRule]:
    award = Award(name="Bằng khen")
    return Nomination(award=award), AwardRule(award=award, legal_basis=BASIS, **rule_fields)


def test_an_award_the_council_votes_on_cannot_be_proposed_directly() -> None:
    nomination, rule = _nomination_and_rule(requires_vote=True)
    (refusal,) = authority.check_needs_no_vote(nomination, rule)
    assert (refusal.rule, refusal.legal_basis) == ("requires_vote", BASIS)
    assert authority.check_needs_vote(nomination, rule) == []


def test_an_award_without_a_vote_cannot_go_on_the_agenda() -> None:
    nomination, rule = _nomination_and_rule(requires_vote=False)
    (refusal,) = authority.check_needs_vote(nomination, rule)
    assert refusal.rule == "requires_vote"
    assert "Đề nghị" in refusal.message
    assert authority.check_needs_no_vote(nomination, rule) == []


def test_the_director_decides_only_within_the_directors_authority() -> None:
    nomination, rule = _nomination_and_rule(authority=AwardRule.Authority.FORWARDED, forwarded_to="Bộ trưởng")
    (refusal,) = authority.check_director_decides(nomination, rule)
    assert refusal.rule == "authority"
    assert "Bộ trưởng" in refusal.message
    assert authority.check_higher_level_decides(nomination, rule) == []


def test_an_award_within_the_directors_authority_is_not_forwarded() -> None:
    nomination, rule = _nomination_and_rule(authority=AwardRule.Authority.DIRECTOR)
    assert authority.check_director_decides(nomination, rule) == []
    (refusal,) = authority.check_higher_level_decides(nomination, rule)
    assert (refusal.rule, refusal.legal_basis) == ("authority", BASIS)


def test_a_closed_session_takes_no_agenda_item_and_the_message_cites_no_empty_basis() -> None:
    session = CouncilSession(
        name="Phiên 1", date=datetime.date(2024, 1, 5), state=CouncilSession.State.CLOSED
    )
    (refusal,) = council.check_session_open(session)
    assert str(refusal) == refusal.message == "Phiên họp Phiên 1 (05/01/2024) đã kết thúc."
    assert council.check_session_open(CouncilSession(name="Phiên 2")) == []


def test_every_condition_has_its_own_label() -> None:
    conditions = {c for cs in CONDITIONS.values() for c in cs}
    labels = [c.label for c in conditions]
    assert all(labels) and len(labels) == len(set(labels))
