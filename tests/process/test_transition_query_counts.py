"""The number of SQL statements of one transition is pinned: a change that adds one shows up here.

Counted inside the test's transaction, so the service's atomic block is a SAVEPOINT / RELEASE pair
(+2; in production it is BEGIN / COMMIT, which Django does not count). The actor is loaded as a request
loads `request.user` (no related rows), so reading their unit for the audit event is one query.
"""

from __future__ import annotations

from typing import Any

import pytest

from nominations.models import Person, State
from tests.builders import core as builders
from workflow.base.errors import NotPermitted
from workflow.services import transitions as t

pytestmark = pytest.mark.django_db

SAVEPOINT = 2  # SAVEPOINT, RELEASE SAVEPOINT
LOCK_AND_GRANT = 2  # the nomination row locked (with its campaign, award, units, nominee) + the grant used
ELIGIBILITY = 4  # the rule in force, the dossier's file kinds, open cases, a standing duplicate
WRITE = 1  # UPDATE of the nomination
AUDIT = 1 + 3  # the actor's unit; chain head locked, event inserted, head moved
OUTBOX = 2  # who holds the next step, the notification rows
# The viewflow hand-off (workflow.process.sync.process_sync → _hand_off): the open task read (with no read of
# the process), finished in one UPDATE, the gateway's task and the next step's in one INSERT, their links
# to the task before each in one more — under the nomination's row lock, no flow lock of its own. Was 18
# through viewflow's activations (measured with and without it in bench/, benchmark 2).
VIEWFLOW_HANDOFF = 4


def fresh(username: str) -> Person:
    return Person.objects.get(username=username)


def test_submitting_a_nomination_takes_a_pinned_number_of_queries(
    demo: None, django_assert_num_queries: Any
) -> None:
    nomination = builders.draft(award="LDTT", nominee="staff-tkth-2")
    head = fresh("head-tkth")
    with django_assert_num_queries(
        SAVEPOINT + LOCK_AND_GRANT + ELIGIBILITY + WRITE + AUDIT + OUTBOX + VIEWFLOW_HANDOFF
    ):  # 15 + 4
        nomination = t.nomination_submit(nomination=nomination, actor=head)
    assert nomination.state == State.SUBMITTED


def test_evaluating_a_nomination_takes_a_pinned_number_of_queries(
    demo: None, django_assert_num_queries: Any
) -> None:
    nomination = builders.in_state("submitted", award="LDTT", nominee="staff-tkth-2")
    office = fresh("office1")
    with django_assert_num_queries(
        SAVEPOINT + LOCK_AND_GRANT + ELIGIBILITY + WRITE + AUDIT + OUTBOX + VIEWFLOW_HANDOFF
    ):  # 15 + 4
        nomination = t.nomination_evaluate(nomination=nomination, actor=office, score=90, assessment="Đạt")
    assert nomination.state == State.EVALUATED


def test_a_transition_without_conditions_or_next_actor_takes_a_pinned_number_of_queries(
    demo: None, django_assert_num_queries: Any
) -> None:
    nomination = builders.in_state("submitted", award="LDTT", nominee="staff-tkth-2")
    office = fresh("office1")
    # 9 + 4 + 4: on hold, the office is told of the hold step and the unit of the outcome
    with django_assert_num_queries(
        SAVEPOINT + LOCK_AND_GRANT + WRITE + AUDIT + VIEWFLOW_HANDOFF + 2 * OUTBOX
    ):
        nomination = t.nomination_hold(nomination=nomination, actor=office, comment="Có đơn khiếu nại.")
    assert nomination.state == State.ON_HOLD


def test_a_refused_transition_stops_after_the_grant_check(demo: None, django_assert_num_queries: Any) -> None:
    nomination = builders.draft(award="LDTT", nominee="staff-tkth-2")
    outsider = fresh("head-tkkt")
    # Lock + the group grants + the grants in person; then the savepoint is rolled back (3 statements
    # counted around it: SAVEPOINT, ROLLBACK TO SAVEPOINT, RELEASE SAVEPOINT).
    with django_assert_num_queries(3 + 3), pytest.raises(NotPermitted):
        t.nomination_submit(nomination=nomination, actor=outsider)
