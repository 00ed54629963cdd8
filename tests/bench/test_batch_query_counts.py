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
import time
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.imports import _sheet
from nominations.models import (
    Campaign,
    CouncilSession,
    DossierFile,
    Nomination,
    OrgUnit,
    Person,
    Role,
    State,
    Submission,
)
from workflow.rights.permissions import sync_unit_head_groups
from workflow.services import council_ballots, council_count, council_sessions, decisions, reports
from workflow.services import transitions as t
from workflow.services.submission_import import submission_import
from workflow.services.submissions import submission_create, submission_submit

pytestmark = pytest.mark.django_db

COUNCIL = ["director", "secretary", *[f"council{i}" for i in range(1, 8)]]
DAY = datetime.date(2024, 1, 10)

# Per nomination, beyond the batch's constant:
PER_NOMINATION = {
    # its rule in force with the facts its conditions need (one read, `Facts.for_transition`) and its UPDATE;
    # the rest is viewflow entering its process (`resume`): an imported draft has none until its first
    # transition
    "submission": 20,
    # its UPDATE and its public notice
    "council_close": 2,
    # its UPDATE, its rule with its facts (one read), what the rules still read themselves (the notice
    # period, decided together), its certificate code, its award history, its reward amount
    "decision": 9,
    # its UPDATE
    "report": 1,
}
# The batch's own reads and bulk writes, whatever its size: the document, the locks, the grants read once,
# the chain's append, the processes' hand-off in three statements, the people told and the mail. Rights are
# read at each level they are held at (the role's, the unit's, the nomination's): one query per level.
# The chain's append is one INSERT of the batch's events (was 3 statements: the head locked, the insert, the
# head moved); they are chained after commit in AUDIT_SEALING = 4 more (tests/bench/test_query_counts.py),
# once per transaction, which these counts leave out like the mail.
CONSTANT = {"submission": 22, "council_close": 34, "decision": 35, "report": 31}


def _world(n: int) -> tuple[Submission, list[int], Person]:
    """A unit with n staff whose list of n LĐTT drafts, each with its dossier, waits to be submitted."""
    code = f"pin-batch-{n}"
    unit = OrgUnit.objects.create(
        code=code,
        name=f"Đơn vị thử {n}",
        kind=OrgUnit.Kind.DEPARTMENT,
        parent=OrgUnit.objects.get(code="ctk"),
    )
    head = Person.objects.create(username=f"head-{code}", full_name="Trưởng đơn vị thử", unit=unit)
    head.groups.add(Group.objects.get(name=Role.UNIT_HEAD))
    sync_unit_head_groups(head)
    Person.objects.bulk_create(
        Person(username=f"{code}-{i:05d}", full_name=f"Cán bộ nhập thử {i:05d}", unit=unit, password="!")
        for i in range(n)
    )
    campaign = Campaign.objects.create(
        name=f"Phong trào thử {n} {time.time_ns()}",
        kind=Campaign.Kind.ANNUAL,
        starts_on=datetime.date(2023, 1, 1),
        ends_on=datetime.date(2023, 12, 31),
    )
    campaign.units.add(unit)
    head = Person.objects.get(pk=head.pk)
    submission_create(actor=head, campaign=campaign)
    submission = Submission.objects.select_related("unit", "campaign").get(unit=unit, campaign=campaign)
    ids, _unchanged = submission_import(submission=submission, actor=head, data=_sheet(n))
    kinds = [
        DossierFile.Kind.SUBMISSION,
        DossierFile.Kind.ACHIEVEMENT_REPORT,
        DossierFile.Kind.EVALUATION_MINUTES,
    ]
    DossierFile.objects.bulk_create(
        DossierFile(
            nomination_id=pk,
            kind=kind,
            file="dossiers/pin/ho-so.pdf",
            original_name="ho-so.pdf",
            content_type="application/pdf",
            size=1024,
            uploaded_by=head,
        )
        for pk in ids
        for kind in kinds
    )
    return submission, ids, head


def _queries(call: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def _batches(n: int) -> dict[str, int]:
    """The queries of each of the four batches of n (the steps between them unmeasured)."""
    submission, ids, head = _world(n)
    office, secretary, director = (
        Person.objects.get(username=u) for u in ("office1", "secretary", "director")
    )
    counts = {"submission": _queries(lambda: submission_submit(submission=submission, actor=head))}
    nominations = list(Nomination.objects.filter(pk__in=ids).order_by("pk"))
    for nomination in nominations:
        t.nomination_evaluate(nomination=nomination, actor=office, score=95, assessment="Đạt")
    members = list(Person.objects.filter(username__in=COUNCIL))
    session = CouncilSession.objects.create(name=f"Phiên thử {n}", date=datetime.date(2023, 12, 20))
    session.members.set(members)
    council_sessions.council_agenda_add_many(session=session, nominations=nominations, actor=secretary)
    council_sessions.council_session_open(session=session, actor=secretary)
    session.refresh_from_db()
    for nomination in nominations:
        for member in members:
            council_ballots.ballot_cast(session=session, nomination=nomination.pk, voter=member, choice="yes")
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
    office = Person.objects.get(pk=office.pk)

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
