"""Helpers of the targets' tests: the demo's 2023 plan, its targets, a day to stand on."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from nominations.models import Campaign, Target, TargetResult
from tests.builders import core as builders


def annual() -> Campaign:
    return builders.annual_campaign()


def target(code: str) -> Target:
    return Target.objects.get(campaign=annual(), code=code)


def clear_results(*units: str) -> None:
    """Take the demo's results of `units` away, so a test can enter their year itself."""
    TargetResult.objects.filter(unit__code__in=units).delete()


def stand_on(monkeypatch: pytest.MonkeyPatch, day: datetime.date) -> None:
    """Make `day` today for the code under test (the 2023 plan's deadlines are long past in real time).

    Only the calendar is moved: every rule, row and request is real.
    """
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)


def sheet_rows(content: bytes) -> list[tuple[Any, ...]]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    sheet = book.worksheets[0]
    return list(sheet.iter_rows(values_only=True))
