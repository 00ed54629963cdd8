"""Working days (ngày làm việc): Monday to Friday, less any public holidays the caller passes.

Periods set in working days are counted the way Vietnamese law counts a period given in days: the day
of the event that starts it does not count, the period starts on the next day (Bộ luật Dân sự 2015,
Điều 147). So a 5-working-day notice published on a Wednesday runs Thursday to the next Wednesday.
These are pure functions: no database, no clock — the caller passes the day and the holidays.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection

ONE_DAY = datetime.timedelta(days=1)
NO_HOLIDAYS: frozenset[datetime.date] = frozenset()


def is_working_day(day: datetime.date, holidays: Collection[datetime.date] = NO_HOLIDAYS) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_days(
    start: datetime.date, days: int, holidays: Collection[datetime.date] = NO_HOLIDAYS
) -> datetime.date:
    """The `days`-th working day after `start` (before it, if `days` is negative); `start` if 0.

    `start` itself never counts, whether or not it is a working day.
    """
    step = ONE_DAY if days >= 0 else -ONE_DAY
    day = start
    remaining = abs(days)
    while remaining:
        day += step
        if is_working_day(day, holidays):
            remaining -= 1
    return day


def working_days_between(
    start: datetime.date, end: datetime.date, holidays: Collection[datetime.date] = NO_HOLIDAYS
) -> int:
    """How many working days fall after `start` up to and including `end` (negative if `end` < `start`).

    The inverse of `add_working_days`: `working_days_between(d, add_working_days(d, n)) == n`.
    """
    if end < start:
        return -working_days_between(end, start, holidays)
    weeks, extra = divmod((end - start).days, 7)
    count = weeks * 5
    day = start + datetime.timedelta(weeks=weeks)
    for _ in range(extra):
        day += ONE_DAY
        if day.weekday() < 5:
            count += 1
    if holidays:
        count -= sum(1 for h in holidays if start < h <= end and h.weekday() < 5)
    return count
