"""Benchmark 6: importing a unit's list of nominees from Excel (preview, then commit), next to its floor.

A unit with ROWS staff imports a ROWS-row sheet into its submission: the preview (read the sheet, check
every row, a handful of queries) and the commit (every row through `nomination_create`: its audit event,
rights and viewflow process, in one transaction) are timed apart. The floor is a bare `bulk_create` of the
same ROWS nominations with no audit, rights or process (rolled back). Target (issue 13): preview + commit
of 2,000 rows under 10 s on PostgreSQL.

Runs inside a worker (`python -m bench.worker imports`), with Django set up on bench.settings.
"""

from __future__ import annotations

import io
import time
from typing import Any

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from nominations.models import Award, Campaign, Nomination, OrgUnit, Person, Role, Submission
from workflow.rights.permissions import sync_unit_head_groups
from workflow.services.submission_import import HEADERS, submission_import, submission_import_preview
from workflow.services.submissions import submission_create

UNIT_CODE = "bench-import"


def _unit_with_staff(rows: int) -> tuple[OrgUnit, Person]:
    parent = OrgUnit.objects.get(code="ctk")
    unit, _created = OrgUnit.objects.get_or_create(
        code=UNIT_CODE,
        defaults={"name": "Đơn vị thử tải nhập danh sách", "kind": OrgUnit.Kind.DEPARTMENT, "parent": parent},
    )
    head = Person.objects.filter(username="head-bench-import").first()
    if head is None:
        head = Person.objects.create(
            username="head-bench-import", full_name="Trưởng đơn vị thử tải", unit=unit
        )
        from django.contrib.auth.models import Group

        head.groups.add(Group.objects.get(name=Role.UNIT_HEAD))
        sync_unit_head_groups(head)
    have = Person.objects.filter(unit=unit, username__startswith="bench-import-").count()
    Person.objects.bulk_create(
        Person(
            username=f"bench-import-{i:05d}", full_name=f"Cán bộ nhập thử {i:05d}", unit=unit, password="!"
        )
        for i in range(have, rows)
    )
    campaign = Campaign.objects.order_by("pk").first()
    if campaign is not None and campaign.units.exists():
        campaign.units.add(unit)
    return unit, Person.objects.get(pk=head.pk)


def _sheet(rows: int) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(HEADERS))
    for i in range(rows):
        sheet.append([f"Cán bộ nhập thử {i:05d}", "", "", "LDTT", "htxs", "Hoàn thành tốt nhiệm vụ.", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _floor(unit: OrgUnit, head: Person, campaign: Campaign, rows: int) -> float:
    """A bare bulk insert of the same rows (no checks, audit, rights or process), rolled back."""
    award = Award.objects.get(code="LDTT")
    people = list(
        Person.objects.filter(unit=unit, username__startswith="bench-import-").order_by("username")[:rows]
    )
    began = time.perf_counter()
    try:
        with transaction.atomic():
            Nomination.objects.bulk_create(
                [
                    Nomination(
                        campaign=campaign,
                        award=award,
                        nominating_unit=unit,
                        nominee_person=p,
                        summary="Hoàn thành tốt nhiệm vụ.",
                        rating="htxs",
                        created_by=head,
                    )
                    for p in people
                ],
                batch_size=1000,
            )
            seconds = time.perf_counter() - began
            raise _Rollback
    except _Rollback:
        pass
    return seconds


class _Rollback(Exception):
    pass


def run(*, rows: int = 2000) -> dict[str, Any]:
    unit, head = _unit_with_staff(rows)
    campaign = (
        Campaign.objects.order_by("-ends_on", "pk").filter(kind=Campaign.Kind.ANNUAL).first()
        or Campaign.objects.first()
    )
    assert campaign is not None
    if campaign.units.exists():
        campaign.units.add(unit)
    Submission.objects.filter(unit=unit, campaign=campaign).exists() or submission_create(
        actor=head, campaign=campaign
    )
    submission = Submission.objects.select_related("unit", "campaign").get(unit=unit, campaign=campaign)
    data = _sheet(rows)
    floor = _floor(unit, head, campaign, rows)
    began = time.perf_counter()
    with CaptureQueriesContext(connection) as preview_queries:
        plan = submission_import_preview(submission=submission, actor=head, data=data)
    preview = time.perf_counter() - began
    assert not plan.errors, plan.errors.as_list()[:3]
    began = time.perf_counter()
    created, unchanged = submission_import(submission=submission, actor=head, data=data)
    commit = time.perf_counter() - began
    began = time.perf_counter()
    again, unchanged_again = submission_import(submission=submission, actor=head, data=data)
    second = time.perf_counter() - began
    return {
        "rows": rows,
        "preview_seconds": preview,
        "preview_queries": len(preview_queries),
        "commit_seconds": commit,
        "created": len(created),
        "unchanged_before": len(unchanged),
        "second_import_seconds": second,
        "second_import_created": len(again),
        "second_import_unchanged": len(unchanged_again),
        "floor_seconds": floor,
        "total_seconds": preview + commit,
        "ratio_to_floor": (preview + commit) / floor if floor else None,
    }
