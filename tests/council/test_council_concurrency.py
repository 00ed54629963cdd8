"""Nine members voting on twenty items at once, from separate connections, while the secretary
tries to close the session (PostgreSQL only: SQLite serialises every writer anyway)."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from typing import Any

import pytest
from django.db import connection

from nominations.models import (
    BallotParticipation,
    CouncilItemResult,
    CouncilSession,
    Nomination,
    SealedBallot,
    State,
)
from nominations.selectors.council import receipt_counted
from tests.builders import core as builders
from tests.builders.council import NINE, evaluated, forget_cached_ids, session_with
from workflow.audit import log as audit
from workflow.base.errors import Conflict, RuleNotMet, WrongState
from workflow.services import council_ballots, council_count

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

NOMINEES = [
    f"staff-{unit}-{n}"
    for unit in ("tkth", "tkkt", "tkxh", "ttth", "prtc", "nhtb", "nptn")
    for n in (1, 2, 3)
][:20]
CHOICES = ("yes", "no", "abstain")


@pytest.fixture(autouse=True)
def _fresh_ids() -> None:
    forget_cached_ids()


def test_nine_members_vote_on_twenty_items_at_once_while_the_secretary_closes(demo: None) -> None:
    items = [evaluated(nominee=nominee) for nominee in NOMINEES]
    session = session_with(items)
    members = [builders.person(u) for u in NINE]
    secretary = builders.person("secretary")
    start = threading.Barrier(len(members) + 1)
    lock = threading.Lock()
    cast: list[tuple[int, int, str, str]] = []  # (member, item, choice, receipt)
    refused: list[tuple[int, int]] = []
    errors: list[BaseException] = []
    close_attempts = Counter[str]()

    def voter(index: int, member: Any) -> None:
        order = list(range(len(items)))
        random.Random(index).shuffle(order)
        try:
            start.wait()
            for i in order:
                choice = CHOICES[(index * 7 + i) % 3]
                try:
                    receipt = council_ballots.ballot_cast(
                        session=session, nomination=items[i], voter=member, choice=choice
                    )
                except WrongState:
                    with lock:
                        refused.append((member.pk, items[i].pk))
                else:
                    with lock:
                        cast.append((member.pk, items[i].pk, choice, receipt))
        except BaseException as exc:  # anything else is a failure of the test
            errors.append(exc)
        finally:
            connection.close()

    def closer() -> None:
        try:
            start.wait()
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    council_count.council_session_close(session=session, actor=secretary)
                except RuleNotMet:  # not every item has its quorum yet
                    close_attempts["refused"] += 1
                    time.sleep(0.002)
                else:
                    close_attempts["closed"] += 1
                    return
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=voter, args=(i, m)) for i, m in enumerate(members)]
    threads.append(threading.Thread(target=closer))
    for thread in threads:
        thread.start()
    began = time.monotonic()
    for thread in threads:
        thread.join(120)
    print(
        f"\nvoting: {time.monotonic() - began:.2f}s, {len(cast)} counted, {len(refused)} refused, {close_attempts}"
    )

    assert errors == []
    assert close_attempts["closed"] == 1
    assert close_attempts["refused"] >= 1  # the secretary tried while the ballots were coming in
    assert len(cast) + len(refused) == 9 * 20  # every ballot either counted or cleanly refused
    assert CouncilSession.objects.get(pk=session.pk).state == CouncilSession.State.CLOSED
    assert not SealedBallot.objects.exists()

    # Counted exactly once: the stored participation is exactly the accepted ballots…
    participation = set(BallotParticipation.objects.values_list("member_id", "nomination_id"))
    assert participation == {(m, n) for m, n, _c, _r in cast}
    assert not participation & set(refused)
    # …and each item's tally is exactly the choices of its accepted ballots.
    expected: dict[int, Counter[str]] = {item.pk: Counter() for item in items}
    for _m, n, choice, _r in cast:
        expected[n][choice] += 1
    for result in CouncilItemResult.objects.filter(session=session):
        assert (result.yes, result.no, result.abstain) == tuple(
            expected[result.nomination_id][c] for c in CHOICES
        )
    assert CouncilItemResult.objects.filter(session=session).count() == 20
    assert all(receipt_counted(session=session, receipt=r) for _m, _n, _c, r in cast)
    states = set(Nomination.objects.filter(pk__in=[i.pk for i in items]).values_list("state", flat=True))
    assert states <= {State.PROPOSED, State.COUNCIL_FAILED}
    assert audit.verify().ok


def test_two_ballots_of_the_same_member_racing_on_one_item_count_once(demo: None) -> None:
    item = evaluated()
    session = session_with([item])
    members = [builders.person(u) for u in NINE]
    start = threading.Barrier(2 * len(members))
    accepted: list[int] = []
    conflicts: list[int] = []
    errors: list[BaseException] = []

    def send(member: Any, choice: str) -> None:
        try:
            start.wait()
            council_ballots.ballot_cast(session=session, nomination=item, voter=member, choice=choice)
            accepted.append(member.pk)
        except Conflict:
            conflicts.append(member.pk)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(m, c)) for m in members for c in ("yes", "no")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sorted(accepted) == sorted(conflicts) == sorted(m.pk for m in members)
    assert BallotParticipation.objects.filter(nomination=item).count() == 9
    assert SealedBallot.objects.filter(nomination=item).count() == 9
