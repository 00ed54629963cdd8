"""Two overlapping decisions issued at the same moment on PostgreSQL: one wins whole, the other writes nothing."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections

from nominations.models import Decision, DecisionItem, Nomination, State
from tests.builders import core as builders
from tests.builders.decisions import DAY, proposed
from workflow.audit import log as audit
from workflow.base.errors import TransitionRefused
from workflow.services import decisions as services

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def _fresh_permission_ids() -> Any:
    """`workflow.rights.permissions._permission_ids` is cached per process, but a transactional test flushes the
    database and the permissions come back with new ids: forget them around this test."""
    from workflow.rights.permissions import _permission_ids

    _permission_ids.cache_clear()
    yield
    _permission_ids.cache_clear()


def test_overlapping_decisions_at_once_never_deadlock_and_one_writes_nothing(
    transactional_db: None, demo: None
) -> None:
    session = builders.session()
    a, shared, c = (
        proposed(nominee=name, session=session) for name in ("staff-tkth-2", "staff-tkth-3", "staff-tkkt-2")
    )
    director = builders.person("director")
    start = threading.Barrier(2)
    outcomes: dict[str, Any] = {}

    def issue(name: str, batch: list[Nomination], number: str) -> None:
        try:
            start.wait(timeout=10)
            outcomes[name] = services.decision_issue(
                nominations=batch, actor=director, number=number, date=DAY, signer=director
            )
        except TransitionRefused as exc:
            outcomes[name] = exc
        except Exception as exc:  # a deadlock or any other database error would land here
            outcomes[name] = exc
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=issue, args=("first", [a, shared], "1/QĐ-CTK")),
        threading.Thread(target=issue, args=("second", [shared, c], "2/QĐ-CTK")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    decisions = [o for o in outcomes.values() if isinstance(o, Decision)]
    refusals = [o for o in outcomes.values() if isinstance(o, TransitionRefused)]
    assert len(decisions) == 1 and len(refusals) == 1, outcomes
    assert refusals[0].status == 409
    winner = decisions[0]
    won = set(winner.items.values_list("nomination_id", flat=True))
    lost = ({a.pk, c.pk} - won).pop()
    assert Nomination.objects.get(pk=lost).state == State.PROPOSED
    assert set(Nomination.objects.filter(pk__in=won).values_list("state", flat=True)) == {State.APPROVED}
    assert Decision.objects.count() == 1 and DecisionItem.objects.count() == 2
    assert audit.verify().ok
