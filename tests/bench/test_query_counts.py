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
from django.db import connection, transaction
from django.db.models import Count

from nominations.models import Nomination, Person, State
from nominations.selectors.nominations import nominations_visible_to
from tests.builders import core as builders
from workflow.audit import log as audit
from workflow.models import AuditEvent, Notification
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
# The events inserted, written waiting with their own seal, in one statement (the actor's unit came with the
# lock); chained after commit by the transaction's hook (AUDIT_SEALING in tests/bench/test_query_counts.py).
AUDIT = 1  # was 3: the chain head locked, the event inserted, the head moved
# Every notice of the transition (the next step's holders; the unit told of an outcome) in one
# INSERT … SELECT that selects its recipients itself (workflow/notify/notifications.py, `queue_to`).
OUTBOX = 1
# viewflow's hand-off (workflow.process.sync.process_sync), as pinned in test_transition_query_counts.py.
VIEWFLOW_HANDOFF = 4
# The council's per-member ballot tasks (workflow/process/nodes.py): inserted in one INSERT … SELECT that reads
# the session's members itself (was 2: the members read, then their tasks inserted), linked to the vote task in
# the hand-off's own insert of links; at close, the ones still open cancelled in one UPDATE.
BALLOT_TASKS_OPENED = 1
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
    ):  # 13: 11 in production's transaction, then AUDIT_SEALING after commit (was 16, 19)
        nomination = t.nomination_schedule(nomination=nomination, actor=secretary, session=session)
    assert nomination.state == State.IN_VOTE


def test_closing_the_vote_takes_a_pinned_number_of_queries(
    demo: None, django_assert_num_queries: Any
) -> None:
    nomination = builders.in_state("in_vote", award="LDTT", nominee="staff-tkth-2")
    secretary = fresh("secretary")
    with django_assert_num_queries(
        SAVEPOINT + LOCK_AND_GRANT + WRITE + AUDIT + OUTBOX + VIEWFLOW_HANDOFF + BALLOT_TASKS_CANCELLED
    ):  # 12: 10 in production's transaction, then AUDIT_SEALING after commit (was 14, 16)
        nomination = t.nomination_close_vote(nomination=nomination, actor=secretary, passed=True)
    assert nomination.state == State.PROPOSED


def test_approving_takes_a_pinned_number_of_queries(demo: None, django_assert_num_queries: Any) -> None:
    nomination = builders.in_state("proposed", award="LDTT", nominee="staff-tkth-2")
    director = fresh("director")
    # The transition: as every other, in the one transaction of the approval (the transition's own
    # atomic block joins it: no savepoint of its own).
    transition = LOCK_AND_GRANT + RULE + WRITE + AUDIT + VIEWFLOW_HANDOFF + OUTBOX  # 10
    # What the approval leaves in the records: the certificate's verification code (as the award comes
    # into force); the award history's one read (the record to keep and the decision's method, as columns
    # of the nomination's row) and its one write (issue #18; was 4).
    award_records = 1 + 1 + 1
    # The decision document (every approval is a decision, workflow.services.decisions): the signer's roles
    # (the signature block) came with the grant's one read of the Director's rights (`access._held`), then
    # the number free, the base salary, the decision inserted (no savepoint of its
    # own: a number taken meanwhile refuses the whole approval), its annex line with the amount (the rule
    # in force on the decision's date came with the transition's rule read), its audit event.
    document = 1 + 1 + 1 + 1 + AUDIT
    with django_assert_num_queries(SAVEPOINT + transition + award_records + document):
        # 20: 18 in production's transaction, 10 of them the transition's, 3 the award's records and 5
        # the decision's, then AUDIT_SEALING after commit, one hook for both events (was 38: the grant
        # and state read before the transaction and the batch locked and loaded again, three savepoints,
        # the rule and the base salary read twice, the award history looked up three times, the approved
        # nomination read back)
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
    ):  # 10: nobody is told; 8 in production's transaction, then AUDIT_SEALING (was 12)
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
    mail_hooks = [callback for callback in callbacks if callback is not audit._seal_after_commit]
    assert mail_hooks  # the audit chain's hook is pinned below
    # The rows claimed and read in one UPDATE … RETURNING, the mails sent, the sent rows marked (UPDATE).
    with django_assert_num_queries(2):
        for callback in mail_hooks:
            callback()
    assert not Notification.objects.filter(event__nomination=nomination, sent_at__isnull=True).exists()
    assert len(mail.outbox) == recipients
    assert notifications.deliver() == (0, 0)


# After commit, once per transaction however many events it wrote (workflow/audit/log.py, `seal_pending`):
# the chain head locked (waiting for a hook that holds it), the waiting events read, all placed in one
# UPDATE, the head moved. In the request, after its commit: see docs/decisions.md, "Audit events written
# in one statement".
AUDIT_SEALING = 4


def test_the_audit_chain_is_extended_after_commit_in_four_queries_whatever_the_events(
    demo: None, django_assert_num_queries: Any
) -> None:
    nomination = builders.draft(award="LDTT", nominee="staff-tkth-2")
    head, office = fresh("head-tkth"), fresh("office1")
    audit.seal_pending()  # what the builders' own commits would have chained
    with transaction.atomic():
        t.nomination_submit(nomination=nomination, actor=head)
        t.nomination_evaluate(nomination=nomination, actor=office, score=95, assessment="Đạt")
    # One hook for the whole transaction (here the test's, rolled back), however many events it wrote.
    hooks = [hook for _sids, hook, _robust in connection.run_on_commit if hook is audit._seal_after_commit]
    assert len(hooks) == 1
    waiting = list(AuditEvent.objects.filter(seq__isnull=True).order_by("id"))
    assert len(waiting) >= 2 and all(e.hash == audit.pending_hash(e) for e in waiting)
    with django_assert_num_queries(SAVEPOINT + AUDIT_SEALING):  # its transaction a savepoint in the test's
        hooks[0]()
    placed = list(AuditEvent.objects.filter(pk__in=[e.pk for e in waiting]).order_by("seq"))
    assert [e.pk for e in placed] == [e.pk for e in waiting]  # in the order they were written
    assert not AuditEvent.objects.filter(seq__isnull=True).exists()
    assert audit.verify().ok
    with django_assert_num_queries(SAVEPOINT + 2):  # a later hook: the head locked, nothing left waiting
        hooks[0]()


def test_counting_visible_nominations_takes_the_same_queries_whatever_their_number(
    demo: None, django_assert_num_queries: Any
) -> None:
    office, head = fresh("office1"), fresh("head-tkth")

    def counts(user: Person) -> dict[str, int]:
        rows = nominations_visible_to(user=user).values_list("state").annotate(n=Count("id")).order_by()
        return dict(rows)

    builders.draft(award="LDTT", nominee="staff-tkth-2")
    # The person's rights (with their roles) once for this object, then the count itself.
    with django_assert_num_queries(2):
        assert counts(office) == {"draft": 1}
    for unit, n in (("tkth", 3), ("tkkt", 1), ("tkkt", 2)):
        builders.draft(award="LDTT", nominee=f"staff-{unit}-{n}")
    with django_assert_num_queries(1):
        assert counts(office) == {"draft": 4}
    with django_assert_num_queries(2):
        assert counts(head) == {"draft": 2}  # their own unit's only
    with django_assert_num_queries(1):
        assert counts(head) == {"draft": 2}
    assert Nomination.objects.count() == 4


def test_the_audit_log_page_takes_the_same_queries_for_one_event_or_a_hundred(
    demo: None, django_assert_num_queries: Any
) -> None:
    head = fresh("head-tkth")
    for nominee in ("staff-tkth-2", "staff-tkth-3"):
        t.nomination_submit(nomination=builders.draft(award="LDTT", nominee=nominee), actor=head)
    client = builders.signed_in("auditor")
    client.get("/nhat-ky/")
    # The session, its user and the user's roles, the log's size (from the chain head), the page's events
    # with their actors' units by name, then one query per kind of object named on the page
    # (workflow.audit.labels.object_names): here nominations and people (the demo's role grants), never
    # one per row.
    with django_assert_num_queries(3 + 1 + 1 + 2):
        response = client.get("/nhat-ky/")
    assert response.status_code == 200 and response.content.count(b"<tr>") > 3
    assert b"(tkth)" not in response.content  # the unit by its name, its code only in the exports
