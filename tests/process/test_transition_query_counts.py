"""The number of SQL statements of one transition is pinned: a change that adds one shows up here.

Counted inside the test's transaction, so the service's atomic block is a SAVEPOINT / RELEASE pair
(+2; in production it is BEGIN / COMMIT, which Django does not count). The actor is loaded as a request
loads `request.user` (no related rows): their unit's code for the audit event is read by the row lock.
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
# The nomination row locked (with its campaign, award, units, nominee, and the actor's unit code for the
# audit event in the same statement) + the grant used.
LOCK_AND_GRANT = 2
# The rule in force, read with what the eligibility checks ask of other rows as EXISTS columns of the same
# statement (nominations/rules/conditions.py, `Facts`): the dossier's file kinds, an open case, a standing
# duplicate. Was 4 (one each).
ELIGIBILITY = 1
WRITE = 1  # UPDATE of the nomination
# The events inserted, written waiting with their own seal, in one statement (the actor's unit came with the
# lock); chained after commit by the transaction's hook (AUDIT_SEALING in tests/bench/test_query_counts.py).
AUDIT = 1  # was 3: the chain head locked, the event inserted, the head moved
# The notices' rows inserted, their recipients (who holds the next step; the unit's heads of an outcome)
# selected by that insert itself: one statement for every notice of the transition. Was 2 per notice.
OUTBOX = 1
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
    ):  # 12: 10 in production's transaction, then 4 after commit to chain it (was 14, 19)
        nomination = t.nomination_submit(nomination=nomination, actor=head)
    assert nomination.state == State.SUBMITTED


def test_evaluating_a_nomination_takes_a_pinned_number_of_queries(
    demo: None, django_assert_num_queries: Any
) -> None:
    nomination = builders.in_state("submitted", award="LDTT", nominee="staff-tkth-2")
    office = fresh("office1")
    with django_assert_num_queries(
        SAVEPOINT + LOCK_AND_GRANT + ELIGIBILITY + WRITE + AUDIT + OUTBOX + VIEWFLOW_HANDOFF
    ):  # 12: 10 in production's transaction, then 4 after commit to chain it (was 14, 19)
        nomination = t.nomination_evaluate(nomination=nomination, actor=office, score=90, assessment="Đạt")
    assert nomination.state == State.EVALUATED


def test_a_transition_without_conditions_or_next_actor_takes_a_pinned_number_of_queries(
    demo: None, django_assert_num_queries: Any
) -> None:
    nomination = builders.in_state("submitted", award="LDTT", nominee="staff-tkth-2")
    office = fresh("office1")
    # 11 (was 13): on hold, the office is told of the hold step and the unit of the outcome, in one insert
    with django_assert_num_queries(SAVEPOINT + LOCK_AND_GRANT + WRITE + AUDIT + VIEWFLOW_HANDOFF + OUTBOX):
        nomination = t.nomination_hold(nomination=nomination, actor=office, comment="Có đơn khiếu nại.")
    assert nomination.state == State.ON_HOLD


def test_a_refused_transition_stops_after_the_grant_check(demo: None, django_assert_num_queries: Any) -> None:
    nomination = builders.draft(award="LDTT", nominee="staff-tkth-2")
    outsider = fresh("head-tkkt")
    # Lock + what the actor holds, read once at every level (access._held: they hold nothing on single
    # nominations, so neither grant list is probed; was 2); then the savepoint is rolled back (3 statements
    # counted around it: SAVEPOINT, ROLLBACK TO SAVEPOINT, RELEASE SAVEPOINT).
    with django_assert_num_queries(2 + 3), pytest.raises(NotPermitted):
        t.nomination_submit(nomination=nomination, actor=outsider)
