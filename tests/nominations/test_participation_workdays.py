from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from nominations.rules.workdays import add_working_days, is_working_day, working_days_between

D = datetime.date
WEDNESDAY, FRIDAY, SATURDAY, SUNDAY = D(2023, 12, 13), D(2023, 12, 15), D(2023, 12, 16), D(2023, 12, 17)
days = st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31))
# No deadline: these are pure functions whose result never depends on time, but an example takes up to
# ~15 ms here and the machine's cores are shared, so a stall past hypothesis's default 200 ms deadline made
# `test_working_days_between_undoes_add_working_days` fail once (DeadlineExceeded / Flaky) with nothing wrong.
# The property itself is checked exhaustively below, where it holds for every case.
pure = settings(deadline=None)


def test_a_five_working_day_notice_published_on_a_wednesday_ends_the_next_wednesday() -> None:
    assert add_working_days(WEDNESDAY, 5) == D(2023, 12, 20)


def test_the_day_of_publication_does_not_count_even_at_the_weekend() -> None:
    assert add_working_days(FRIDAY, 1) == D(2023, 12, 18)
    assert add_working_days(SATURDAY, 1) == D(2023, 12, 18)
    assert add_working_days(SUNDAY, 5) == D(2023, 12, 22)


def test_zero_days_is_the_day_itself_and_negative_days_count_backwards() -> None:
    assert add_working_days(SATURDAY, 0) == SATURDAY
    assert add_working_days(D(2023, 12, 18), -1) == FRIDAY
    assert add_working_days(WEDNESDAY, -5) == D(2023, 12, 6)


def test_holidays_are_skipped_when_given() -> None:
    new_year = D(2024, 1, 1)  # a Monday
    assert add_working_days(D(2023, 12, 29), 1) == new_year
    assert add_working_days(D(2023, 12, 29), 1, {new_year}) == D(2024, 1, 2)
    assert working_days_between(D(2023, 12, 29), D(2024, 1, 2), {new_year}) == 1
    assert not is_working_day(new_year, {new_year}) and not is_working_day(SUNDAY)


def test_working_days_between_counts_after_the_start_up_to_and_including_the_end() -> None:
    assert working_days_between(FRIDAY, D(2023, 12, 18)) == 1
    assert working_days_between(FRIDAY, SUNDAY) == 0
    assert working_days_between(WEDNESDAY, WEDNESDAY) == 0
    assert working_days_between(D(2023, 12, 20), WEDNESDAY) == -5


def test_working_days_between_undoes_add_working_days_from_every_weekday() -> None:
    """Without holidays both functions depend only on the start's weekday and n: 7 × 401 cases are all."""
    for offset in range(7):
        start = WEDNESDAY + datetime.timedelta(days=offset)
        for n in range(401):
            end = add_working_days(start, n)
            assert working_days_between(start, end) == n, (start, n)
            assert n == 0 or is_working_day(end), (start, n)


@pure
@given(start=days, n=st.integers(min_value=0, max_value=400))
def test_working_days_between_undoes_add_working_days(start: datetime.date, n: int) -> None:
    end = add_working_days(start, n)
    assert working_days_between(start, end) == n
    assert n == 0 or is_working_day(end)


@pure
@given(start=days, end=days)
def test_working_days_between_agrees_with_counting_day_by_day(
    start: datetime.date, end: datetime.date
) -> None:
    low, high = sorted((start, end))
    if (high - low).days > 3000:
        high = low + datetime.timedelta(days=3000)
    counted = sum(
        1 for i in range(1, (high - low).days + 1) if (low + datetime.timedelta(days=i)).weekday() < 5
    )
    assert working_days_between(low, high) == counted
