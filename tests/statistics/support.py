"""Checks shared by the statistics tests: every total is the sum of its parts."""

from __future__ import annotations

from nominations.statistics import StatisticsTable
from nominations.statistics.forms import CAMPAIGNS, OF_WHICH


def assert_adds_up(table: StatisticsTable) -> None:
    spec = table.spec
    for row in spec.rows:
        for column in spec.columns:
            if column.parts:
                parts = sum(table.value(row.code, p) for p in column.parts)
                assert table.value(row.code, column.key) == parts, (spec.code, row.code, column.key)
            for parts in (row.parts, *row.also) if row.parts else ():
                total = sum(table.value(p, column.key) for p in parts)
                assert table.value(row.code, column.key) == total, (spec.code, row.code, column.key, parts)
    for part, whole in OF_WHICH.items():
        if spec is not CAMPAIGNS:
            for column in spec.columns:
                assert table.value(part, column.key) <= table.value(whole, column.key)
