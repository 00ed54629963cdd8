"""Deadlines in working days, with the public holidays stored in `Holiday`.

The counting itself is `nominations.rules.workdays` (pure: the caller passes the holidays); this module
is the one place that reads the Holiday rows (`holidays_around`), for task deadlines, reminders, report
deadlines and notice periods alike. Deadlines in DOMAIN.md are counted in working days from the day a
step was received; the day of receipt itself does not count.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass

from django.utils import timezone

from nominations.rules.workdays import ONE_DAY, add_working_days
from workflow.models import Deadline, Holiday


def latest_start_overdue(
    today: datetime.date, days: int, holidays: Collection[datetime.date]
) -> datetime.date:
    """The latest day of receipt for which a `days`-working-day deadline has passed by `today`.

    `add_working_days` grows with its start, so a step is overdue exactly when it was received on or
    before this day — which lets a list filter overdue steps in SQL.
    """
    day = today - ONE_DAY
    while add_working_days(day, days, holidays) >= today:
        day -= ONE_DAY
    return day


def holidays_around(today: datetime.date, *, years: int = 2) -> frozenset[datetime.date]:
    """The Holiday rows from `years` before `today` to a year after it (one query)."""
    return frozenset(
        Holiday.objects.filter(
            day__gte=today - datetime.timedelta(days=366 * years),
            day__lte=today + datetime.timedelta(days=366),
        ).values_list("day", flat=True)
    )


def local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


@dataclass(frozen=True)
class Due:
    deadline: Deadline
    due_on: datetime.date

    def overdue(self, today: datetime.date) -> bool:
        return today > self.due_on


class Calendar:
    """The deadlines and holidays, loaded once per request or command run (two queries)."""

    def __init__(self, today: datetime.date | None = None) -> None:
        self.today = today or timezone.localdate()
        self.holidays = holidays_around(self.today)
        self.by_node: dict[str, list[Deadline]] = {}
        for deadline in Deadline.objects.filter(active=True).order_by("working_days"):
            self.by_node.setdefault(deadline.node, []).append(deadline)

    def dues(self, node: str, received: datetime.datetime) -> list[Due]:
        start = local_date(received)
        return [
            Due(d, add_working_days(start, d.working_days, self.holidays)) for d in self.by_node.get(node, [])
        ]

    def final_due(self, node: str, received: datetime.datetime) -> Due | None:
        dues = self.dues(node, received)
        return dues[-1] if dues else None

    def is_overdue(self, node: str, received: datetime.datetime) -> bool:
        due = self.final_due(node, received)
        return due is not None and due.overdue(self.today)


# The defaults of DOMAIN.md, also installed by migration 0003 (which keeps its own copy, as migrations do).
DEFAULT_DEADLINES = [
    ("return-incomplete", "appraise", "Trả lại hồ sơ chưa đầy đủ", 5),
    ("appraise", "appraise", "Thẩm định hồ sơ đầy đủ", 20),
]


def deadlines_install_defaults() -> None:
    """Create the default deadlines that are missing (e.g. after a test database was flushed)."""
    for code, node, label, days in DEFAULT_DEADLINES:
        Deadline.objects.get_or_create(
            code=code,
            defaults={
                "node": node,
                "label": label,
                "working_days": days,
                "legal_basis": "Mặc định của hệ thống (DOMAIN.md), quản trị có thể điều chỉnh",
            },
        )
