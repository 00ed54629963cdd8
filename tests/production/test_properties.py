"""Property tests: random sequences of transitions, and of ballots, by random actors keep every invariant."""

from __future__ import annotations

import datetime
import io
from functools import partial
from typing import Any

from django.core.management import call_command
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from nominations.access import holds
from nominations.models import (
    BallotParticipation,
    BallotReceipt,
    Choice,
    CouncilItemResult,
    CouncilSession,
    Nomination,
    Person,
    SealedBallot,
    State,
)
from nominations.rules.eligibility import rule_of
from nominations.rules.voting import Tally, VotingRule, decide
from tests.builders import core as builders
from workflow.audit import log as audit
from workflow.base.errors import (
    Conflict,
    InvalidInput,
    NotPermitted,
    RuleNotMet,
    TransitionRefused,
    WrongState,
)
from workflow.models import AuditEvent
from workflow.process.transitions import registry
from workflow.services import council_ballots, council_count, council_sessions
from workflow.services.actions import SERVICES

ACTORS = [
    "head-tkth",
    "head-prtc",
    "office1",
    "secretary",
    "council3",
    "director",
    "deputy",
    "auditor",
    "admin",
    "staff-tkth-1",
]
TRANSITIONS = sorted(registry())

_PARAMS: dict[str, dict[str, Any]] = {
    "evaluate": {"score": 90, "assessment": "Đạt yêu cầu"},
    "approve": {"decision_number": "05/QĐ-CTK", "decision_date": datetime.date(2024, 1, 15)},
    "forward": {"submission_number": "07/TTr-CTK"},
    "record_outcome": {"granted": True, "decision_number": "123/QĐ-UBND"},
    "close_vote": {"passed": True},
}

steps = st.lists(st.tuples(st.sampled_from(TRANSITIONS), st.sampled_from(ACTORS), st.booleans()), max_size=25)


def load_demo_if_missing() -> None:
    """The session's database already holds the demo (tests/conftest.py) unless a transactional test
    emptied it: then load it again, once for the class."""
    if not Person.objects.filter(username="head-tkth").exists():
        call_command("loaddemo", "--password", "prop-pass-123", stdout=io.StringIO())


class TransitionProperties(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        load_demo_if_missing()

    @settings(max_examples=40, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(steps=steps, award=st.sampled_from(["LDTT", "BANG_KHEN", "GIAY_KHEN"]))
    def test_random_transitions_by_random_actors_keep_the_invariants(
        self, steps: list[tuple[str, str, bool]], award: str
    ) -> None:
        nominee = "staff-tkth-1" if award == "BANG_KHEN" else "staff-tkth-2"
        nomination = builders.draft(award=award, nominee=nominee)
        session = builders.session()
        people = {p.username: p for p in Person.objects.filter(username__in=ACTORS).select_related("unit")}
        applied = 0
        for name, username, with_comment in steps:
            actor = people[username]
            before = Nomination.objects.get(pk=nomination.pk)
            allowed = holds(actor, registry()[name].perm, before) and before.state in registry()[name].sources
            params = dict(_PARAMS.get(name, {}))
            if name == "schedule":
                params["session"] = session
            try:
                nomination = SERVICES[name](
                    nomination=before, actor=actor, comment="Lý do kiểm thử" if with_comment else "", **params
                )
            except TransitionRefused:
                after = Nomination.objects.get(pk=nomination.pk)
                assert after.state == before.state, "a refusal changed the state"
            else:
                applied += 1
                assert allowed, f"{username} ran {name} from {before.state} without the right"
                assert nomination.state in registry()[name].targets
            assert Nomination.objects.get(pk=nomination.pk).state in State.values
            logged = AuditEvent.objects.filter(nomination=nomination, kind=AuditEvent.Kind.TRANSITION).count()
            assert logged == applied, "every change is logged exactly once"
        assert audit.verify().ok


# --- ballots ---------------------------------------------------------------------------------------------
SESSION_MEMBERS = ["director", "secretary", "council1"]  # small, so that random sequences can reach a quorum
OUTSIDERS = ["council4", "office1", "head-tkth", "auditor"]  # council4 sits on the council, not this session
VOTERS = SESSION_MEMBERS + OUTSIDERS
ON_AGENDA = 2  # items 0 and 1 are on the agenda; item 2 is a nomination that is not

# Weighted towards members' valid ballots on the agenda, so that sequences reach a quorum now and then.
voter = st.sampled_from(SESSION_MEMBERS * 3 + OUTSIDERS)
item_index = st.sampled_from([0, 0, 1, 1, 2])
ballot_choice = st.sampled_from(["yes", "yes", "no", "abstain", "maybe"])
ballot_step = st.one_of(
    st.tuples(st.just("cast"), voter, item_index, ballot_choice),
    st.tuples(st.just("cast"), voter, item_index, ballot_choice),
    st.tuples(st.just("cast"), voter, item_index, ballot_choice),
    st.tuples(
        st.just("written"), st.sampled_from(["secretary", "office1"]), voter, item_index, ballot_choice
    ),
    st.tuples(st.just("open"), st.sampled_from(["secretary", "secretary", "council1"])),
    st.tuples(st.just("close"), st.sampled_from(["secretary", "secretary", "director"])),
)


class BallotModel:
    """What the rules say should happen, kept beside the database to compare after every step."""

    def __init__(self, members: set[int], items: list[Nomination], rules: dict[int, VotingRule]) -> None:
        self.state = CouncilSession.State.PLANNED
        self.members = members
        self.agenda = [n.pk for n in items[:ON_AGENDA]]
        self.rules = rules
        self.choices: dict[int, list[str]] = {pk: [] for pk in self.agenda}
        self.voted: dict[int, set[int]] = {pk: set() for pk in self.agenda}

    def ballot_refusal(self, member: int, item: int, choice: str) -> type[TransitionRefused] | None:
        """The refusal the service must give (in its order of checks), or None if the ballot counts."""
        if choice not in Choice.values:
            return InvalidInput
        if self.state != CouncilSession.State.OPEN:
            return WrongState
        if item not in self.agenda:
            return InvalidInput
        if member in self.voted[item]:
            return Conflict
        return None

    def tally(self, item: int) -> Tally:
        return Tally.of(self.choices[item])

    def close_refusal(self, is_secretary: bool) -> type[TransitionRefused] | None:
        if not is_secretary:
            return NotPermitted
        if self.state != CouncilSession.State.OPEN:
            return WrongState
        if not all(
            decide(self.tally(pk), len(self.members), self.rules[pk]).quorum_met for pk in self.agenda
        ):
            return RuleNotMet
        return None


class BallotProperties(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        load_demo_if_missing()

    def _items(self) -> tuple[CouncilSession, list[Nomination]]:
        secretary = builders.person("secretary")
        items = [
            builders.to_state(builders.draft(award="LDTT", nominee=n), State.EVALUATED)
            for n in ("staff-tkth-2", "staff-tkth-3")
        ]
        items.append(builders.draft(award="LDTT", nominee="staff-tkth-1", files=False))  # never scheduled
        session = council_sessions.council_session_create(
            actor=secretary,
            name="Phiên họp kiểm thử",
            date="2023-12-20",
            members=[builders.person(u).pk for u in SESSION_MEMBERS],
        )
        for nomination in items[:ON_AGENDA]:
            council_sessions.council_agenda_add(session=session, nomination=nomination, actor=secretary)
        return session, items

    def _check(self, session: CouncilSession, model: BallotModel) -> None:
        current = CouncilSession.objects.get(pk=session.pk)
        assert current.state == model.state
        participations = BallotParticipation.objects.filter(session=session)
        pairs = list(participations.values_list("member_id", "nomination_id"))
        assert len(pairs) == len(set(pairs)), "nobody votes twice on an item"
        assert {member for member, _item in pairs} <= model.members, "only members' ballots are counted"
        logged = AuditEvent.objects.filter(
            kind=AuditEvent.Kind.BALLOT_CAST,
            object_type="nominations.councilsession",
            object_id=str(session.pk),
        )
        assert all("choice" not in (e.data or {}) for e in logged), "the log records who voted, never how"
        for pk in model.agenda:
            cast = len(model.choices[pk])
            assert participations.filter(nomination_id=pk).count() == cast
            assert BallotReceipt.objects.filter(session=session, nomination_id=pk).count() == cast
            assert logged.filter(nomination_id=pk).count() == cast, "every ballot is logged (not its choice)"
            sealed = SealedBallot.objects.filter(session=session, nomination_id=pk).count()
            assert sealed == (0 if model.state == CouncilSession.State.CLOSED else cast)
        assert not BallotParticipation.objects.exclude(nomination_id__in=model.agenda).filter(session=session)
        if model.state == CouncilSession.State.CLOSED:
            for pk in model.agenda:
                result = CouncilItemResult.objects.get(session=session, nomination_id=pk)
                expected = model.tally(pk)
                assert (result.yes, result.no, result.abstain) == (
                    expected.yes,
                    expected.no,
                    expected.abstain,
                )
                passed = decide(expected, len(model.members), model.rules[pk]).passed
                state = Nomination.objects.get(pk=pk).state
                assert state == (State.PROPOSED if passed else State.COUNCIL_FAILED)
        assert audit.verify().ok

    @settings(max_examples=25, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(steps=st.lists(ballot_step, min_size=10, max_size=25), opened=st.booleans())
    @example(
        steps=[
            ("cast", "director", 0, "yes"),  # not open yet
            ("open", "council1"),  # not the secretary
            ("open", "secretary"),
            ("cast", "director", 0, "yes"),
            ("cast", "director", 0, "no"),  # a second ballot
            ("cast", "council4", 0, "yes"),  # on the council, not in this session
            ("cast", "director", 2, "yes"),  # not on the agenda
            ("close", "secretary"),  # no quorum yet
            ("written", "secretary", "council1", 0, "no"),
            ("written", "office1", "secretary", 1, "yes"),  # only the secretary enters written ballots
            ("cast", "secretary", 1, "yes"),
            ("cast", "council1", 1, "abstain"),  # item 1 passes (2 of 2 votes cast); item 0 fails, 1 to 1
            ("close", "director"),
            ("close", "secretary"),
            ("cast", "director", 1, "yes"),  # closed
            ("close", "secretary"),
        ],
        opened=False,
    )
    def test_random_ballots_by_random_people_keep_the_count_true_and_secret(
        self, steps: list[Any], opened: bool
    ) -> None:
        session, items = self._items()
        # Half the sequences start with the session open; every one ends with the secretary closing it
        # (counted if the quorum is there) and a ballot after that.
        steps = [*([("open", "secretary")] if opened else []), *steps, ("close", "secretary")]
        steps.append(("cast", "director", 0, "yes"))
        people = {p.username: p for p in Person.objects.filter(username__in=VOTERS)}
        members = {people[u].pk for u in SESSION_MEMBERS}
        model = BallotModel(members, items, {n.pk: VotingRule.of(rule_of(n)) for n in items[:ON_AGENDA]})
        for step in steps:
            expected: type[TransitionRefused] | None
            kind, actor_name = step[0], step[1]
            actor = people[actor_name]
            if kind == "open":
                expected = (
                    (WrongState if model.state != CouncilSession.State.PLANNED else None)
                    if actor_name == "secretary"
                    else NotPermitted
                )
                call: Any = partial(council_sessions.council_session_open, session=session, actor=actor)
            elif kind == "close":
                expected = model.close_refusal(actor_name == "secretary")
                call = partial(council_count.council_session_close, session=session, actor=actor)
            else:
                voter_name, index, choice = step[-3:]
                voter, item = people[voter_name], items[index]
                if kind == "cast":
                    expected = (
                        model.ballot_refusal(voter.pk, item.pk, choice)
                        if voter.pk in members
                        else NotPermitted
                    )
                    call = partial(
                        council_ballots.ballot_cast,
                        session=session,
                        nomination=item,
                        voter=voter,
                        choice=choice,
                    )
                else:
                    if actor_name != "secretary":
                        expected = NotPermitted
                    elif voter.pk not in members:
                        expected = InvalidInput
                    else:
                        expected = model.ballot_refusal(voter.pk, item.pk, choice)
                    call = partial(
                        council_ballots.ballot_enter_written,
                        session=session,
                        nomination=item,
                        member=voter,
                        choice=choice,
                        actor=actor,
                    )
            try:
                call()
            except TransitionRefused as refusal:
                assert type(refusal) is expected, (
                    f"{step}: refused with {type(refusal).__name__}, expected {expected}"
                )
            else:
                assert expected is None, f"{step}: accepted, expected {expected.__name__}"
                if kind == "open":
                    model.state = CouncilSession.State.OPEN
                elif kind == "close":
                    model.state = CouncilSession.State.CLOSED
                else:
                    model.choices[item.pk].append(choice)
                    model.voted[item.pk].add(voter.pk)
            self._check(session, model)
