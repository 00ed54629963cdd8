"""The query counts bench/ reports are pinned here, so a change that adds a query fails CI, not a benchmark.

The benchmark's path is submit → evaluate → schedule → close_vote → approve → report; submit and evaluate
are pinned in tests/process/test_transition_query_counts.py (same accounting: inside the test's
transaction the service's atomic block is a SAVEPOINT / RELEASE pair, +2; the actor is loaded as a request
loads `request.user`). Here: the other four, the mail delivery that runs on commit in the same request,
and the visibility filter that every list and count goes through.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.db.models import Count

from nominations.models import Nomination, Person, State
from nominations.selectors.nominations import nominations_visible_to
from tests.builders import core as builders
from workflow.models import Notification
from workflow.notify import notifications
from workflow.services import transitions as t
from workflow.services.decisions import nomination_approve

pytestmark = pytest.mark.django_db

SAVEPOINT = 2  # SAVEPOINT, RELEASE SAVEPOINT
LOCK_AND_GRANT = (
    2  # the nomination row locked (with what the rules read and the actor's unit code) + the grant
)
# The award's rule in force, with the facts the transition's conditions ask of other rows (an open case, a
# public notice) as EXISTS columns of the same statement (nominations/rules/conditions.py, `Facts`).
RULE = 1
WRITE = 1  # UPDATE of the nomination
AUDIT = 3  # chain head locked, event inserted, head moved (the actor's unit came with the lock)
# Every notice of the transition (the next step's holders; the unit told of an outcome) in one
# INSERT … SELECT that selects its recipients itself (workflow/notify/notifications.py, `queue_to`).
OUTBOX = 1
# viewflow's hand-off (workflow.process.sync.process_sync), as pinned in test_transition_query_counts.py.
VIEWFLOW_HANDOFF = 4
# The council's per-member ballot tasks (workflow/process/nodes.py): the session's members read, the tasks inserted
# in one statement (linked to the vote task in the hand-off's own insert of links); at close, the ones still
# open cancelled in one UPDATE.
BALLOT_TASKS_OPENED = 2
BALLOT_TASKS_CANCELLED = 1


def fresh(username: str) -> Person:
    return Person.objects.get(username=username)


def test_scheduling_onto_a_council_session_takes_a_pinned_number_of_queries(
    demo: None, django_assert_num_queries: Any
) -> None:
    nomination = builders.in_state("evaluated", award="LDTT", nominee="staff-tkth-2")
    session, secretary = builders.session(), fresh("secretary")
    # The vote's notice: its insert selects the vote's holders; nobody but the actor holds it: no rows.
    with django_assert_num_queries(
        SAVEPOINT + LOCK_AND_GRANT + RULE + WRITE + AUDIT + VIEWFLOW_HANDOFF + OUTBOX + BALLOT_TASKS_OPENED
    ):  # 16: 14 in production's transaction (was 19)
        nomination = t.nomination_schedule(nomination=nomination, actor=secretary, session=session)
    assert nomination.state == State.IN_VOTE


def test_closing_the_vote_takes_a_pinned_number_of_queries(
    demo: None, django_assert_num_queries: Any
) -> None:
    nomination = builders.in_state("in_vote", award="LDTT", nominee="staff-tkth-2")
    secretary = fresh("secretary")
    with django_assert_num_queries(
        SAVEPOINT + LOCK_AND_GRANT + WRITE + AUDIT + OUTBOX + VIEWFLOW_HANDOFF + BALLOT_TASKS_CANCELLED
    ):  # 14: 12 in production's transaction (was 16)
        nomination = t.nomination_close_vote(nomination=nomination, actor=secretary, passed=True)
    assert nomination.state == State.PROPOSED


def test_approving_takes_a_pinned_number_of_queries(demo: None, django_assert_num_queries: Any) -> None:
    nomination = builders.in_state("proposed", award="LDTT", nominee="staff-tkth-2")
    director = fresh("director")
    # acting as the Director or through a delegation: the roles came with the decision's read of rights
    actor_roles = 0
    # the transition's grant check: what the Director holds was read by the decision's check (access._held)
    grant_read_already = -1
    # the award history: this year's record looked up twice, the decision's method read (biểu 0603.N), then
    # written — once: the transition's follow-up is its one writer (issue #18)
    award_record = 4
    outbox = OUTBOX  # the next task's notice and the unit told of the outcome, in one insert
    # Every approval is a decision (workflow.services.decisions.decision_issue): before the transition,
    # the grant and the state read (refusals in the transition's order; the signer's roles are read
    # here instead of in the transition, no extra query), the outer
    # SAVEPOINT pair, the batch locked and loaded, the number free, the base salary, the decision inserted
    # (in its own SAVEPOINT pair); after it, the amount (rule, base salary), the annex line, the
    # document's audit event, and the approved nomination read back.
    decision = 2 + SAVEPOINT + 2 + 1 + 1 + (1 + SAVEPOINT) + 2 + 1 + 3 + 1
    certificate_code = 1  # the certificate's verification code, made as the award comes into force
    with django_assert_num_queries(
        decision
        + SAVEPOINT
        + LOCK_AND_GRANT
        + RULE  # with the open cases and the public notice (was 3 queries)
        + WRITE
        + actor_roles
        + grant_read_already
        + certificate_code
        + AUDIT
        + award_record
        + VIEWFLOW_HANDOFF
        + outbox
    ):  # 36: 18 for the decision, 18 for the transition (was 38: 18 + 20; 44: 18 + 26)
        nomination = nomination_approve(
            nomination=nomination,
            actor=director,
            decision_number="01/QĐ-CTK",
            decision_date=datetime.date(2024, 1, 10),
        )
    assert nomination.state == State.APPROVED


def test_reporting_takes_a_pinned_number_of_queries(demo: None, django_assert_num_queries: Any) -> None:
    nomination = builders.in_state("approved", award="LDTT", nominee="staff-tkth-2")
    office = fresh("office1")
    with django_assert_num_queries(
        SAVEPOINT + LOCK_AND_GRANT + WRITE + AUDIT + VIEWFLOW_HANDOFF
    ):  # 12: nobody is told; 10 in production's transaction (was 11)
        nomination = t.nomination_report(nomination=nomination, actor=office)
    assert nomination.state == State.REPORTED


def test_the_mail_sent_on_commit_costs_two_queries_whatever_the_recipients(
    demo: None, django_assert_num_queries: Any, django_capture_on_commit_callbacks: Any
) -> None:
    nomination = builders.draft(award="LDTT", nominee="staff-tkth-2")
    head = fresh("head-tkth")
    with django_capture_on_commit_callbacks() as callbacks:
        t.nomination_submit(nomination=nomination, actor=head)
    recipients = Notification.objects.filter(event__nomination=nomination, sent_at__isnull=True).count()
    assert recipients == 2  # the office staff hold the next step
    # The rows claimed and read in one UPDATE … RETURNING, the mails sent, the sent rows marked (UPDATE).
    with django_assert_num_queries(2):
        for callback in callbacks:
            callback()
    assert not Notification.objects.filter(event__nomination=nomination, sent_at__isnull=True).exists()
    assert len(mail.outbox) == recipients
    assert notifications.deliver() == (0, 0)


def test_counting_visible_nominations_is_one_query_whatever_their_number(
    demo: None, django_assert_num_queries: Any
) -> None:
    office, head = fresh("office1"), fresh("head-tkth")

    def counts(user: Person) -> dict[str, int]:
        rows = nominations_visible_to(user=user).values_list("state").annotate(n=Count("id")).order_by()
        return dict(rows)

    builders.draft(award="LDTT", nominee="staff-tkth-2")
    with django_assert_num_queries(1):
        assert counts(office) == {"draft": 1}
    for unit, n in (("tkth", 3), ("tkkt", 1), ("tkkt", 2)):
        builders.draft(award="LDTT", nominee=f"staff-{unit}-{n}")
    with django_assert_num_queries(1):
        assert counts(office) == {"draft": 4}
    with django_assert_num_queries(1):
        assert counts(head) == {"draft": 2}  # their own unit's only
    assert Nomination.objects.count() == 4


def test_the_audit_log_page_takes_the_same_queries_for_one_event_or_a_hundred(
    demo: None, django_assert_num_queries: Any
) -> None:
    head = fresh("head-tkth")
    for nominee in ("staff-tkth-2", "staff-tkth-3"):
        t.nomination_submit(nomination=builders.draft(award="LDTT", nominee=nominee), actor=head)
    client = builders.signed_in("auditor")
    client.get("/nhat-ky/")
    # The session, its user and the user's roles, the paginator's count, the page's events, then one
    # query per kind of object named on the page (workflow.audit.labels.object_names): here nominations and
    # people (the demo's role grants), never one per row.
    with django_assert_num_queries(3 + 1 + 1 + 2):
        response = client.get("/nhat-ky/")
    assert response.status_code == 200 and response.content.count(b"<tr>") > 3
