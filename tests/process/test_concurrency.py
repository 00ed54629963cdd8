"""Two people racing the same transition on the same nomination: exactly one wins, every time (PostgreSQL)."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from nominations.models import Nomination, Person, State
from tests.builders import core as builders
from workflow.audit import log as audit
from workflow.base.errors import Conflict, WrongState
from workflow.models import AuditEvent
from workflow.services import transitions as t

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not ON_POSTGRESQL, reason="row locks and real concurrency need PostgreSQL"),
]
RACES = 200


def race(
    nomination_pk: int, usernames: tuple[str, str], step: Callable[[int, Nomination, Person], Any]
) -> list[list[str]]:
    """Run `step(i, nomination, actor)` in two threads at once, RACES times; each thread's outcomes."""
    start, finish = threading.Barrier(2, timeout=30), threading.Barrier(2, timeout=30)
    outcomes: list[list[str]] = [[], []]

    def worker(k: int) -> None:
        try:  # each thread has its own connection, closed when it ends
            actor = Person.objects.get(username=usernames[k])
            nomination = Nomination.objects.get(pk=nomination_pk)
            for i in range(RACES):
                start.wait()
                try:
                    step(i, nomination, actor)
                    outcomes[k].append("won")
                except (WrongState, Conflict) as exc:
                    outcomes[k].append(type(exc).__name__)
                except Exception as exc:  # anything else is a failure the test reports
                    outcomes[k].append(repr(exc))
                finish.wait()
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(k,)) for k in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_two_officers_racing_the_same_transition_200_times_win_exactly_once_each_time(
    transactional_db: None,
) -> None:
    call_command("loaddemo", "--password", "demo-pass-123", stdout=io.StringIO())
    nomination = builders.in_state("submitted", award="LDTT", nominee="staff-tkth-2")
    events_before = AuditEvent.objects.filter(nomination=nomination).count()

    def step(i: int, nomination: Nomination, actor: Person) -> None:
        # Even races: both put it on hold (submitted → on_hold); odd races: both release it.
        if i % 2 == 0:
            t.nomination_hold(nomination=nomination, actor=actor, comment=f"Tạm dừng lần {i}.")
        else:
            t.nomination_release(nomination=nomination, actor=actor)

    first, second = race(nomination.pk, ("office1", "office2"), step)

    assert len(first) == len(second) == RACES
    for i, pair in enumerate(zip(first, second, strict=True)):
        assert sorted(pair) in (["WrongState", "won"], ["Conflict", "won"]), (i, pair)
    transitions = list(
        AuditEvent.objects.filter(nomination=nomination, kind=AuditEvent.Kind.TRANSITION)
        .order_by("seq")
        .values_list("transition", "from_state", "to_state")
    )
    # Exactly one transition per race — never two — each from the state the previous one left.
    assert AuditEvent.objects.filter(nomination=nomination).count() - events_before == RACES
    assert transitions[-RACES:] == [
        ("hold", "submitted", "on_hold") if i % 2 == 0 else ("release", "on_hold", "submitted")
        for i in range(RACES)
    ]
    assert Nomination.objects.get(pk=nomination.pk).state == State.SUBMITTED
    assert audit.verify().ok
