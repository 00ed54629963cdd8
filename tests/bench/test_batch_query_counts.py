"""The query counts of benchmark 7's four batches (issue #17), pinned at two sizes.

Each batch carries N nominations through one transition each, with its document's rows: a unit's submission,
a council session's close, one decision, one report (bench/batch.py runs them through the API at N = 200).
What is the same for the whole batch (the actor's grants, the rule in force, the audit chain's append, the
processes' hand-off, the people told and the mail) is read and written once; what stays per nomination is
its own: its rules' reads, its UPDATE and the follow-up rows of its new state. So the count is a constant
plus a small, pinned number per nomination, the same at 5 and at 20.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench import batch as bench_batch
from nominations.models import Nomination, Person, State
from workflow.services import council_count, decisions, reports
from workflow.services.submissions import submission_submit

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 1, 10)

# Per nomination, beyond the batch's constant:
PER_NOMINATION = {
    # its rule in force with the facts its conditions need (one read, `Facts.for_transition`) and its UPDATE;
    # an imported draft's process is entered with the batch's (`sync._start_many`, in the constant)
    "submission": 2,
    # its UPDATE and its public notice
    "council_close": 2,
    # its UPDATE, its rule with its facts (one read, which also says whether the version in force on the
    # decision's date is the same: then the amount and the rules' own `rule_for` read nothing more), its
    # certificate code, its award history (one read, one write); the base salary is read once per decision
    # (was 9: the award history's four, the amount's rule and base salary)
    "decision": 5,
    # its UPDATE
    "report": 1,
}
# The batch's own reads and bulk writes, whatever its size: the document, the locks, the grants read once,
# the chain's append, the processes' hand-off in three statements, the people told and the mail. Rights are
# read at each level they are held at (the role's, the unit's, the nomination's): one query per level.
# The submission's +7 over one nomination's: the processes entered in bulk — which have none (one read), the
# processes, their `NominationProcess` rows, the `resume` tasks, the gateway's, the steps', their links (one
# INSERT each). The decision's reward rule comes with its rule in force (`rules_read_once`), so no +1.
# The chain's append is one INSERT of the batch's events (was 3 statements: the head locked, the insert, the
# head moved); they are chained after commit in AUDIT_SEALING = 4 more (tests/bench/test_query_counts.py),
# once per transaction, which these counts leave out like the mail.
CONSTANT = {"submission": 29, "council_close": 34, "decision": 35, "report": 31}


def _queries(call: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def _batches(n: int) -> dict[str, int]:
    """The queries of each of the four batches of n (the steps between them unmeasured)."""
    submission, ids, head = bench_batch.world(n, f"pin-batch-{n}")  # benchmark 7's own world, at n
    secretary, director = (Person.objects.get(username=u) for u in ("secretary", "director"))
    counts = {"submission": _queries(lambda: submission_submit(submission=submission, actor=head))}
    session = bench_batch.council_voted(ids)
    secretary = Person.objects.get(pk=secretary.pk)
    counts["council_close"] = _queries(
        lambda: council_count.council_session_close(session=session, actor=secretary)
    )
    assert Nomination.objects.filter(pk__in=ids, state=State.PROPOSED).count() == n
    director = Person.objects.get(pk=director.pk)
    counts["decision"] = _queries(
        lambda: decisions.decision_issue(
            nominations=ids, actor=director, number=f"{n}/QĐ-PIN", date=DAY, signer=director
        )
    )
    office = Person.objects.get(username="office1")

    def report() -> None:
        created = reports.report_create(
            campaign=submission.campaign, actor=office, number=f"{n}/BC-PIN", date=DAY, signer=director
        )
        reports.report_issue(report=created, actor=office)

    counts["report"] = _queries(report)
    assert Nomination.objects.filter(pk__in=ids, state=State.REPORTED).count() == n
    return counts


def test_each_batch_costs_a_constant_and_a_pinned_few_queries_per_nomination(demo: None) -> None:
    small, large = _batches(5), _batches(20)
    per_nomination = {batch: (large[batch] - small[batch]) / 15 for batch in small}
    assert per_nomination == PER_NOMINATION, (small, large)
    constant = {batch: small[batch] - 5 * PER_NOMINATION[batch] for batch in small}
    assert constant == CONSTANT, (small, large)
