"""The figures of a form for a year, from the rows the office keeps.

- 0601.N counts the campaigns launched in the year (`Campaign.starts_on`): a column by the level of the
  body that launched it; rows by its scope, by its duration and by its method (the annual plan is
  "thường xuyên hằng năm", a phase or a thematic movement "theo chuyên đề") — three breakdowns, each
  adding up to the total.
- 0602.N and 0603.N count the awards received for the year: the award history (`AwardRecord`, which the
  office imports and which every decision and upward outcome adds to) and, in case a row is missing
  there, the granted or reported nominations of the year's campaigns. A row of the history that points
  to a nomination and that nomination are one award, counted once; a revoked decision has left the
  history and is not counted.

Only leaf cells are counted; every total is the sum of its parts, so the forms always add up.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count

from nominations.documents.layout import agency
from nominations.models import (
    GRANTED_STATES,
    AwardMethod,
    AwardRecord,
    Campaign,
    Nomination,
    PersonCategory,
    method_for_campaign,
)
from nominations.statistics.forms import AWARD_METHOD_ROWS, CAMPAIGNS, FORMS, MINISTRY_AWARDS, FormSpec

DEFAULT_RECEIVER = "Sở Nội vụ tỉnh Ninh Thuận (Ban Thi đua - Khen thưởng)"

LEVEL_COLUMNS: dict[str, str] = {
    Campaign.LaunchLevel.CENTRAL: "central",
    Campaign.LaunchLevel.MINISTRY_PROVINCE: "ministry_province",
    Campaign.LaunchLevel.AGENCY: "agency",
}
SCOPE_ROWS: dict[str, str] = {
    Campaign.Scope.NATIONAL: "02",
    Campaign.Scope.MINISTRY_LOCAL: "03",
    Campaign.Scope.BLOC: "04",
    Campaign.Scope.AGENCY: "05",
}
# The annual plan is "thường xuyên hằng năm"; a phase (đợt) or a thematic movement "theo chuyên đề".
METHOD_ROWS: dict[str, str] = {
    Campaign.Kind.ANNUAL: "12",
    Campaign.Kind.PHASE: "11",
    Campaign.Kind.THEMATIC: "11",
}
# 0603.N rows 11–17, in the order of AwardMethod.
AWARD_METHOD_ROW: dict[str, str] = dict(zip(AwardMethod.values, AWARD_METHOD_ROWS, strict=True))
COLLECTIVE_ROW = "02"
PERSON_ROWS = {
    PersonCategory.MINISTRY_LEADER: "06",
    PersonCategory.DEPARTMENT_LEADER: "07",
    PersonCategory.ENTREPRENEUR: "08",
    PersonCategory.OTHER_LEADER: "09",
    PersonCategory.WORKER: "10",
}


@dataclass
class StatisticsTable:
    spec: FormSpec
    year: int
    reporting_unit: str
    receiving_unit: str
    values: dict[str, dict[str, int]] = field(default_factory=dict)

    def value(self, row: str, column: str) -> int:
        return self.values[row][column]

    def as_data(self) -> dict[str, Any]:
        """The JSON of GET /api/statistics/{code}/ (API.md § Statistics)."""
        return {
            "code": self.spec.code,
            "form": self.spec.form,
            "title": str(self.spec.title),
            "year": self.year,
            "reporting_unit": self.reporting_unit,
            "receiving_unit": self.receiving_unit,
            "received_on": "15/12",
            "columns": [{"key": c.key, "label": str(c.label), "number": c.number} for c in self.spec.columns],
            "rows": [
                {
                    "code": r.code,
                    "label": str(r.label),
                    "section": str(r.section),
                    "unit_of_measure": str(r.unit_of_measure),
                    "values": dict(self.values[r.code]),
                }
                for r in self.spec.rows
            ],
        }


def _empty(spec: FormSpec) -> dict[str, dict[str, int]]:
    return {r.code: {c.key: 0 for c in spec.columns} for r in spec.rows}


def _add_totals(spec: FormSpec, values: dict[str, dict[str, int]]) -> None:
    """Fill each total from its parts: rows first (parts are leaves or totals listed later), then columns."""
    for row in reversed(spec.rows):
        if row.parts:
            for column in spec.columns:
                values[row.code][column.key] = sum(values[p][column.key] for p in row.parts)
    for row in spec.rows:
        for column in spec.columns:
            if column.parts:
                values[row.code][column.key] = sum(values[row.code][p] for p in column.parts)


def duration_row(starts_on: datetime.date, ends_on: datetime.date) -> str:
    """The row of 0601.N's "thời hạn thi đua": under a year, one year, 1–3, 3–5, five years or more."""
    end = ends_on + datetime.timedelta(days=1)  # the period includes its last day
    months = (end.year - starts_on.year) * 12 + end.month - starts_on.month - (end.day < starts_on.day)
    if months < 12:
        return "06"
    if months == 12:
        return "07"
    if months < 36:
        return "08"
    if months < 60:
        return "09"
    return "10"


def _campaign_values(year: int) -> dict[str, dict[str, int]]:
    values = _empty(CAMPAIGNS)
    campaigns = Campaign.objects.filter(starts_on__year=year).values_list(
        "launched_level", "kind", "scope", "starts_on", "ends_on"
    )
    for level, kind, scope, starts_on, ends_on in campaigns:
        column = LEVEL_COLUMNS[level]
        for row in (SCOPE_ROWS[scope], duration_row(starts_on, ends_on), METHOD_ROWS[kind]):
            values[row][column] += 1
    _add_totals(CAMPAIGNS, values)
    return values


def _recipient_row(person_category: str | None, unit_id: int | None) -> str:
    if unit_id is not None:
        return COLLECTIVE_ROW
    return PERSON_ROWS[PersonCategory(person_category or PersonCategory.WORKER)]


def _count_awards(
    values: dict[str, dict[str, int]], groups: Iterable[Any], *, person: str, unit: str, by_method: bool
) -> None:
    for group in groups:
        column = group["award__statistics_category"]
        values[_recipient_row(group[person], group[unit])][column] += group["n"]
        if by_method:
            values[AWARD_METHOD_ROW[group["method"]]][column] += group["n"]


def _unrecorded_method(group: dict[str, Any]) -> dict[str, Any]:
    """A granted nomination without a history row: its decision's method, else its campaign's."""
    method = group.pop("decision_item__decision__method") or method_for_campaign(group.pop("campaign__kind"))
    return {**group, "method": method}


def _award_values(spec: FormSpec, year: int) -> dict[str, dict[str, int]]:
    values = _empty(spec)
    categories = [c.key for c in spec.leaf_columns]
    by_method = spec is MINISTRY_AWARDS
    records = (
        AwardRecord.objects.filter(year=year, award__statistics_category__in=categories)
        .values("award__statistics_category", "person__statistics_category", "unit_id", "method")
        .annotate(n=Count("id"))
        .order_by()
    )
    _count_awards(values, records, person="person__statistics_category", unit="unit_id", by_method=by_method)
    unrecorded = (
        Nomination.objects.filter(
            state__in=GRANTED_STATES,
            campaign__ends_on__year=year,
            award__statistics_category__in=categories,
            award_record__isnull=True,
        )
        .values(
            "award__statistics_category",
            "nominee_person__statistics_category",
            "nominee_unit_id",
            "campaign__kind",
            "decision_item__decision__method",
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    _count_awards(
        values,
        (_unrecorded_method(g) for g in unrecorded),
        person="nominee_person__statistics_category",
        unit="nominee_unit_id",
        by_method=by_method,
    )
    _add_totals(spec, values)
    return values


def receiving_unit() -> str:
    return str(getattr(settings, "THIDUA_STATISTICS_RECEIVER", "") or DEFAULT_RECEIVER)


def statistics_table(*, code: str, year: int) -> StatisticsTable:
    """The form `code` ("0601", "0602", "0603") filled for `year`. Raises KeyError for an unknown code."""
    spec = FORMS[code]
    values = _campaign_values(year) if spec is CAMPAIGNS else _award_values(spec, year)
    return StatisticsTable(
        spec=spec,
        year=year,
        reporting_unit=agency().name_in_text,
        receiving_unit=receiving_unit(),
        values=values,
    )
