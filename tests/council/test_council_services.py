"""Council sessions and secret ballots through the services (workflow.services.council_*)."""

from __future__ import annotations

import datetime

import pytest

from nominations.models import (
    AwardRule,
    BallotParticipation,
    CouncilItemResult,
    CouncilSession,
    Nomination,
    SealedBallot,
    State,
)
from nominations.selectors.council import ballots_pending_for, receipt_counted
from tests.builders import core as builders
from tests.builders.council import NINE, close, cstdcs, evaluated, session_with, spread, vote
from workflow.audit import log as audit
from workflow.base.errors import Conflict, InvalidInput, NotPermitted, RuleNotMet, WrongState
from workflow.models import AuditEvent
from workflow.services import council_ballots, council_count, council_sessions

pytestmark = pytest.mark.django_db


def _state(nomination: Nomination) -> str:
    return Nomination.objects.get(pk=nomination.pk).state


def test_eight_of_nine_yes_passes_a_cstdcs(demo: None) -> None:
    item = cstdcs()
    session = session_with([item])
    vote(session, item, spread(yes=8, no=1))
    close(session)
    assert _state(item) == State.PROPOSED
    result = CouncilItemResult.objects.get(session=session, nomination=item)
    assert (result.yes, result.no, result.abstain, result.outcome) == (8, 1, 0, "proposed")


def test_seven_of_nine_yes_does_not_pass_a_cstdcs(demo: None) -> None:
    item = cstdcs()
    session = session_with([item])
    vote(session, item, spread(yes=7, no=2))
    close(session)
    assert _state(item) == State.COUNCIL_FAILED


def test_a_cstdcs_with_seven_yes_and_two_members_silent_fails_because_all_members_count(demo: None) -> None:
    item = cstdcs()
    session = session_with([item])
    vote(session, item, spread(yes=7))
    close(session)
    assert _state(item) == State.COUNCIL_FAILED


def test_an_ldtt_passes_with_a_simple_majority_of_votes_cast(demo: None) -> None:
    passing, failing = evaluated(nominee="staff-tkth-2"), evaluated(nominee="staff-tkth-3")
    session = session_with([passing, failing])
    vote(session, passing, spread(yes=4, no=3))  # 4 of 7 cast
    vote(session, failing, spread(yes=3, no=3))  # half is not a majority
    close(session)
    assert _state(passing) == State.PROPOSED
    assert _state(failing) == State.COUNCIL_FAILED


def test_abstentions_count_as_votes_cast_for_an_ldtt(demo: None) -> None:
    item = evaluated()
    session = session_with([item])
    vote(session, item, spread(yes=3, no=1, abstain=3))  # 3 of 7 cast: not a majority
    close(session)
    assert _state(item) == State.COUNCIL_FAILED
    result = CouncilItemResult.objects.get(nomination=item)
    assert (result.yes, result.no, result.abstain) == (3, 1, 3)


def test_quorum_not_met_means_the_session_cannot_close_with_outcomes(demo: None) -> None:
    item, other = evaluated(nominee="staff-tkth-2"), evaluated(nominee="staff-tkth-3")
    session = session_with([item, other])
    vote(session, item, spread(yes=5))  # 5 of 9 < 2/3
    vote(session, other, spread(yes=9))
    with pytest.raises(RuleNotMet) as refused:
        close(session)
    assert "5/9" in refused.value.message and "cần 6" in refused.value.message
    session.refresh_from_db()
    assert session.state == CouncilSession.State.OPEN
    assert _state(item) == _state(other) == State.IN_VOTE
    assert not CouncilItemResult.objects.exists()
    assert SealedBallot.objects.count() == 14  # nothing was opened or counted
    # One more ballot gives the quorum, and then it closes.
    vote(session, item, {"council5": "yes"})
    close(session)
    assert _state(item) == State.PROPOSED


def test_a_member_votes_once_per_item_and_a_second_ballot_is_a_conflict(demo: None) -> None:
    item = evaluated()
    session = session_with([item])
    vote(session, item, {"council1": "yes"})
    with pytest.raises(Conflict):
        vote(session, item, {"council1": "no"})
    assert BallotParticipation.objects.filter(nomination=item).count() == 1
    assert SealedBallot.objects.filter(nomination=item).count() == 1


def test_someone_who_is_not_a_member_of_the_session_cannot_vote(demo: None) -> None:
    item = evaluated()
    session = session_with([item], members=NINE[:-1])  # council7 not in this session
    with pytest.raises(NotPermitted):
        vote(session, item, {"council7": "yes"})
    with pytest.raises(NotPermitted):
        vote(session, item, {"office1": "yes"})
    assert not BallotParticipation.objects.exists()


def test_ballots_are_refused_before_the_session_opens_and_after_it_closes(demo: None) -> None:
    item = evaluated()
    session = session_with([item], open_=False)
    with pytest.raises(WrongState):
        vote(session, item, {"council1": "yes"})
    council_sessions.council_session_open(session=session, actor=builders.person("secretary"))
    vote(session, item, spread(yes=9))
    close(session)
    with pytest.raises(WrongState):
        vote(session, item, {"council1": "yes"})


def test_a_ballot_needs_a_valid_choice_and_an_item_of_the_agenda(demo: None) -> None:
    item, elsewhere = evaluated(nominee="staff-tkth-2"), evaluated(nominee="staff-tkth-3")
    session = session_with([item])
    with pytest.raises(InvalidInput) as bad_choice:
        vote(session, item, {"council1": "maybe"})
    assert bad_choice.value.field == "choice"
    with pytest.raises(InvalidInput) as not_on_agenda:
        vote(session, elsewhere, {"council1": "yes"})
    assert not_on_agenda.value.field == "nomination"


def test_receipts_verify_and_a_wrong_receipt_does_not(demo: None) -> None:
    item = evaluated()
    session = session_with([item])
    receipts = vote(session, item, spread(yes=6))
    receipt = receipts["council2"]
    assert receipt_counted(session=session, receipt=receipt)
    assert receipt_counted(session=session, receipt=receipt.lower().replace("-", " "))  # as typed back
    assert not receipt_counted(session=session, receipt="AAAA-BBBB-CCCC-DDDD-EEEE-FFFF")
    assert not receipt_counted(session=session, receipt="")
    close(session)
    assert all(receipt_counted(session=session, receipt=r) for r in receipts.values())
    other = session_with([evaluated(nominee="staff-tkth-3")])
    assert not receipt_counted(session=other, receipt=receipt)


def test_the_secretary_enters_a_written_ballot_only_for_a_member_who_has_not_voted(demo: None) -> None:
    item = evaluated()
    session = session_with([item])
    secretary = builders.person("secretary")
    vote(session, item, {"council1": "yes"})
    receipt = council_ballots.ballot_enter_written(
        session=session, nomination=item, member=builders.person("council2").pk, choice="no", actor=secretary
    )
    assert receipt_counted(session=session, receipt=receipt)
    participation = BallotParticipation.objects.get(nomination=item, member__username="council2")
    assert participation.method == "written" and participation.entered_by == secretary
    with pytest.raises(Conflict):
        council_ballots.ballot_enter_written(
            session=session, nomination=item, member=builders.person("council1"), choice="no", actor=secretary
        )
    with pytest.raises(NotPermitted):
        council_ballots.ballot_enter_written(
            session=session,
            nomination=item,
            member=builders.person("council3"),
            choice="no",
            actor=builders.person("council4"),
        )
    with pytest.raises(Conflict):  # and the member cannot vote online afterwards
        vote(session, item, {"council2": "yes"})
    vote(session, item, spread(yes=4, members=["council3", "council4", "council5", "council6"]))
    close(session)
    result = CouncilItemResult.objects.get(nomination=item)
    assert (result.yes, result.no, result.written) == (5, 1, 1)


def test_only_the_secretary_opens_and_closes_and_states_follow_planned_open_closed(demo: None) -> None:
    item = evaluated()
    session = session_with([item], open_=False)
    with pytest.raises(NotPermitted):
        council_sessions.council_session_open(session=session, actor=builders.person("office1"))
    with pytest.raises(WrongState):
        council_count.council_session_close(session=session, actor=builders.person("secretary"))
    council_sessions.council_session_open(session=session, actor=builders.person("secretary"))
    with pytest.raises(WrongState):
        council_sessions.council_session_open(session=session, actor=builders.person("secretary"))
    vote(session, item, spread(yes=9))
    with pytest.raises(NotPermitted):
        council_count.council_session_close(session=session, actor=builders.person("director"))
    session = close(session)
    assert session.state == CouncilSession.State.CLOSED and session.closed_at is not None
    with pytest.raises(WrongState):
        close(session)


def test_creating_a_session_checks_its_input_and_who_asks(demo: None) -> None:
    secretary, office = builders.person("secretary"), builders.person("office1")
    members = [builders.person(u).pk for u in NINE]
    made = council_sessions.council_session_create(
        actor=office, name="Phiên họp", date="2023-12-20", members=members
    )
    assert made.chair == builders.person("director") and made.members.count() == 9
    with pytest.raises(NotPermitted):
        council_sessions.council_session_create(
            actor=builders.person("council1"), name="X", date="2023-12-20", members=members
        )
    with pytest.raises(InvalidInput) as no_name:
        council_sessions.council_session_create(actor=secretary, name=" ", date="2023-12-20", members=members)
    assert no_name.value.field == "name"
    with pytest.raises(InvalidInput) as bad_date:
        council_sessions.council_session_create(actor=secretary, name="X", date="20/12/2023", members=members)
    assert bad_date.value.field == "date"
    with pytest.raises(InvalidInput) as outsider:
        council_sessions.council_session_create(
            actor=secretary, name="X", date="2023-12-20", members=[*members, builders.person("office2").pk]
        )
    assert outsider.value.field == "members"
    with pytest.raises(InvalidInput) as chair_outside:
        council_sessions.council_session_create(
            actor=secretary,
            name="X",
            date=datetime.date(2023, 12, 20),
            members=members[1:],
            chair=builders.person("director"),
        )
    assert chair_outside.value.field == "chair"


def test_an_item_cannot_be_added_to_a_closed_session(demo: None) -> None:
    item = evaluated(nominee="staff-tkth-2")
    session = session_with([item])
    vote(session, item, spread(yes=9))
    close(session)
    with pytest.raises(WrongState):
        council_sessions.council_agenda_add(
            session=session, nomination=evaluated(nominee="staff-tkth-3"), actor=builders.person("secretary")
        )


def test_closing_runs_close_vote_with_the_tally_and_audits_participation_but_never_a_choice(
    demo: None,
) -> None:
    item = evaluated()
    session = session_with([item])
    vote(session, item, spread(yes=6, no=2, abstain=1))
    close(session)
    closing = AuditEvent.objects.get(nomination=item, transition="close_vote")
    assert closing.data["passed"] is True
    assert closing.data["tally"]["yes"] == 6 and closing.data["tally"]["abstain"] == 1
    ballots = AuditEvent.objects.filter(kind=AuditEvent.Kind.BALLOT_CAST, nomination=item)
    assert ballots.count() == 9
    for event in ballots:
        assert event.data == {"method": "online"}
        assert event.comment == ""
    assert audit.verify().ok


def test_the_sealed_ballots_are_gone_once_counted(demo: None) -> None:
    item = evaluated()
    session = session_with([item])
    vote(session, item, spread(yes=9))
    assert SealedBallot.objects.filter(session=session).count() == 9
    close(session)
    assert not SealedBallot.objects.filter(session=session).exists()


def test_ballots_pending_for_lists_what_a_member_still_has_to_vote_on(
    demo: None, django_assert_num_queries: object
) -> None:
    first, second = evaluated(nominee="staff-tkth-2"), evaluated(nominee="staff-tkth-3")
    session = session_with([first, second])
    member = builders.person("council1")
    vote(session, first, {"council1": "yes"})
    with django_assert_num_queries(1):  # type: ignore[operator]
        pending = list(ballots_pending_for(user=member))
    assert [n.pk for n in pending] == [second.pk]
    assert pending[0].council_session == session
    assert list(ballots_pending_for(user=builders.person("office1"))) == []


def test_casting_a_ballot_takes_a_fixed_number_of_queries(
    demo: None, django_assert_num_queries: object
) -> None:
    item = evaluated()
    session = session_with([item])
    member = builders.person("council1")
    # 9 for the ballot itself: membership with the voter's unit code (1), savepoint (1), the item's row
    # lock (1), the session's state (1), INSERT participation, sealed ballot, receipt (3), the audit event
    # (1: written waiting, chained after commit), release (1) — no look-up of an earlier ballot, the unique
    # constraint refuses it; + 1 for the member's ballot task in the process: one UPDATE to DONE
    # (`sync.ballot_task_finish`; was 5: find it, the flow's lock as savepoint, SELECT … FOR UPDATE and
    # release, then the task's UPDATE).
    with django_assert_num_queries(9 + 1):  # type: ignore[operator]
        council_ballots.ballot_cast(session=session, nomination=item, voter=member, choice="yes")


def _quota(award: str, quota: int) -> None:
    AwardRule.objects.filter(award__code=award).update(quota=quota)


def test_over_a_quota_the_items_with_most_yes_votes_pass_and_the_rest_fail(demo: None) -> None:
    items = [evaluated(nominee=f"staff-tkth-{i}") for i in (1, 2, 3)]
    _quota("LDTT", 2)  # set after they were submitted: the council still has to respect it
    session = session_with(items)
    vote(session, items[0], spread(yes=6, no=3))
    vote(session, items[1], spread(yes=9))
    vote(session, items[2], spread(yes=8, no=1))
    close(session)
    assert [_state(n) for n in items] == [State.COUNCIL_FAILED, State.PROPOSED, State.PROPOSED]
    over = CouncilItemResult.objects.get(nomination=items[0])
    assert over.outcome == CouncilItemResult.Outcome.OVER_QUOTA and over.rank == 3 and over.quota_places == 2


def test_a_tie_at_the_edge_of_the_quota_is_broken_openly_by_the_chair(demo: None) -> None:
    items = [evaluated(nominee=f"staff-tkth-{i}") for i in (1, 2, 3)]
    _quota("LDTT", 2)
    session = session_with(items)
    vote(session, items[0], spread(yes=9))
    vote(session, items[1], spread(yes=7, no=2))
    vote(session, items[2], spread(yes=7, abstain=2))
    close(session)
    assert _state(items[0]) == State.PROPOSED
    assert _state(items[1]) == _state(items[2]) == State.IN_VOTE  # waiting for the chair
    secretary, director = builders.person("secretary"), builders.person("director")
    with pytest.raises(RuleNotMet):  # the secretary cannot finish before the chair decides
        council_count.council_session_close(session=session, actor=secretary)
    with pytest.raises(NotPermitted):  # only the chair decides
        council_count.council_tie_break(session=session, actor=secretary, chosen=[items[2].pk])
    with pytest.raises(InvalidInput):  # exactly one place is open
        council_count.council_tie_break(session=session, actor=director, chosen=[items[1].pk, items[2].pk])
    with pytest.raises(InvalidInput):  # only among the tied
        council_count.council_tie_break(session=session, actor=director, chosen=[items[0].pk])
    decision = council_count.council_tie_break(
        session=session, actor=director, chosen=[items[2].pk], comment="Thành tích nổi bật hơn."
    )
    event = AuditEvent.objects.get(transition="tie_break")
    assert event.actor == director and event.actor_role == "council_chair"
    assert event.data == {"tied": [items[1].pk, items[2].pk], "chosen": [items[2].pk]}
    assert decision.chosen == [items[2].pk]
    council_count.council_session_close(session=session, actor=secretary)  # records the outcomes
    assert _state(items[1]) == State.COUNCIL_FAILED
    assert _state(items[2]) == State.PROPOSED
    assert CouncilItemResult.objects.get(nomination=items[2]).decided_by_chair
    with pytest.raises(WrongState):
        council_count.council_session_close(session=session, actor=secretary)


def test_attendance_is_recorded_by_the_secretary_for_members_only(demo: None) -> None:
    item = evaluated()
    session = session_with([item])
    secretary = builders.person("secretary")
    row = council_sessions.council_attendance_record(
        session=session, actor=secretary, member=builders.person("council1").pk, mode="remote"
    )
    assert row.mode == "remote"
    council_sessions.council_attendance_record(
        session=session, actor=secretary, member=row.member_id, mode="present"
    )
    assert session.attendance.get(member=row.member_id).mode == "present"
    with pytest.raises(InvalidInput):
        council_sessions.council_attendance_record(
            session=session, actor=secretary, member=row.member_id, mode="late"
        )
    with pytest.raises(InvalidInput):
        council_sessions.council_attendance_record(
            session=session, actor=secretary, member=builders.person("office1").pk, mode="present"
        )
    with pytest.raises(NotPermitted):
        council_sessions.council_attendance_record(
            session=session, actor=builders.person("council1"), member=row.member_id, mode="absent"
        )
