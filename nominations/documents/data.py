"""What the documents print, read from the database in a few queries (the builders only lay it out)."""

from __future__ import annotations

from collections import Counter, OrderedDict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from nominations.models import (
    AWARDED_STATES,
    ENDED_STATES,
    REFUSED_STATES,
    Award,
    Campaign,
    Decision,
    Nomination,
    OrgUnit,
    Report,
    State,
    UpwardSubmission,
)
from nominations.selectors.decisions import campaign_nominations, reportable_nominations
from nominations.selectors.targets import ReportedRating, year_ratings_for_report

COUNT_COLUMNS = (
    "Đề nghị",
    "Được khen thưởng",
    "Không được khen thưởng",
    "Đang xét",
    "Rút, hủy bỏ",
)


def nominee_name(nomination: Nomination) -> str:
    if nomination.nominee_person_id:
        person = nomination.nominee_person
        return person.full_name or person.username if person else ""
    return nomination.nominee_unit.name if nomination.nominee_unit else ""


def nominee_position(nomination: Nomination) -> str:
    """ "Công chức, Phòng Thống kê Tổng hợp" for a person; "Tập thể" for a unit."""
    if nomination.nominee_person_id and nomination.nominee_person:
        person = nomination.nominee_person
        unit = person.unit.name if person.unit else nomination.nominating_unit.name
        return f"{person.position}, {unit}" if person.position else unit
    return "Tập thể"


def _with_people(queryset: QuerySet[Nomination]) -> QuerySet[Nomination]:
    return queryset.select_related(
        "award", "nominating_unit", "nominee_person__unit", "nominee_unit", "campaign"
    )


@dataclass(frozen=True)
class DecisionLine:
    nominee_key: str  # the same person or unit may hold two lines (LĐTT and CSTĐCS)
    position: int
    name: str
    where: str
    award: str
    award_order: int
    individual: bool
    multiple: Decimal
    amount: Decimal
    revoked: bool


def decision_lines(decision: Decision) -> list[DecisionLine]:
    items = decision.items.select_related(
        "nomination__award",
        "nomination__nominating_unit",
        "nomination__nominee_person__unit",
        "nomination__nominee_unit",
    ).order_by("position")
    return [
        DecisionLine(
            nominee_key=f"p{item.nomination.nominee_person_id}"
            if item.nomination.nominee_person_id
            else f"u{item.nomination.nominee_unit_id}",
            position=item.position,
            name=nominee_name(item.nomination),
            where=nominee_position(item.nomination),
            award=item.nomination.award.name,
            award_order=item.nomination.award.order,
            individual=item.nomination.is_individual,
            multiple=item.reward_multiple,
            amount=item.amount,
            revoked=item.nomination.state == State.REVOKED,
        )
        for item in items
    ]


def submission_nominations(submission: UpwardSubmission) -> list[Nomination]:
    return [
        item.nomination
        for item in submission.items.select_related(
            "nomination__award",
            "nomination__nominating_unit",
            "nomination__nominee_person__unit",
            "nomination__nominee_unit",
        ).order_by("position")
    ]


def _outcome_column(state: str) -> int:
    if state in AWARDED_STATES:
        return 1
    if state in REFUSED_STATES:
        return 2
    if state in ENDED_STATES:
        return 4
    return 3


def campaign_counts(campaign: Campaign) -> dict[str, Any]:
    """Counts by award, by nominating unit and by state of a campaign's nominations (drafts excluded).

    The result is plain JSON: an issued report stores it, so its documents keep printing the numbers of
    the day it was issued.
    """
    rows: list[tuple[int, int, str]] = [
        (award, unit, state)
        for award, unit, state in campaign_nominations(campaign)
        .exclude(state=State.DRAFT)
        .values_list("award_id", "nominating_unit_id", "state")
    ]
    awards = OrderedDict(Award.objects.order_by("order", "code").values_list("pk", "name"))
    units = OrderedDict(OrgUnit.objects.order_by("order", "code").values_list("pk", "name"))

    def table(keys: OrderedDict[int, str], index: int) -> list[list[Any]]:
        counts: dict[int, list[int]] = {}
        for row in rows:
            key = row[0] if index == 0 else row[1]
            line = counts.setdefault(key, [0] * len(COUNT_COLUMNS))
            line[0] += 1
            line[_outcome_column(row[2])] += 1
        result: list[list[Any]] = [[name, *counts[pk]] for pk, name in keys.items() if pk in counts]
        result.append(
            ["Tổng cộng", *[sum(line[i] for line in counts.values()) for i in range(len(COUNT_COLUMNS))]]
        )
        return result

    by_state = Counter(row[2] for row in rows)
    return {
        "columns": list(COUNT_COLUMNS),
        "by_award": table(awards, 0),
        "by_unit": table(units, 1),
        "by_outcome": [[str(State(s).label), by_state[s]] for s in State.values if by_state.get(s)],
        "total": len(rows),
    }


@dataclass(frozen=True)
class ReportLine:
    position: int
    name: str
    where: str
    unit: str
    award: str
    level: str
    decision_number: str
    decision_date: str
    nomination_id: int


def _report_line(position: int, nomination: Nomination) -> ReportLine:
    granted_upward = bool(nomination.outcome_decision_number) and not nomination.decision_number
    outcome_date = ""
    if granted_upward:
        item = getattr(nomination, "submission_item", None)
        outcome_date = f"{item.outcome_date:%d/%m/%Y}" if item and item.outcome_date else ""
    return ReportLine(
        position=position,
        name=nominee_name(nomination),
        where=nominee_position(nomination),
        unit=nomination.nominating_unit.name,
        award=nomination.award.name,
        level="Cấp trên" if granted_upward else "Cục trưởng",
        decision_number=nomination.outcome_decision_number if granted_upward else nomination.decision_number,
        decision_date=outcome_date
        if granted_upward
        else (f"{nomination.decision_date:%d/%m/%Y}" if nomination.decision_date else ""),
        nomination_id=nomination.pk,
    )


def report_nominations(report: Report) -> list[Nomination]:
    """The nominations an issued report carried, or those a draft would carry if issued now."""
    if report.is_issued:
        items = report.items.select_related(
            "nomination__award",
            "nomination__nominating_unit",
            "nomination__nominee_person__unit",
            "nomination__nominee_unit",
            "nomination__submission_item",
        ).order_by("position")
        return [item.nomination for item in items]
    return list(
        _with_people(reportable_nominations(report.campaign))
        .select_related("submission_item")
        .order_by("award__order", "nominating_unit__order", "pk")
    )


def report_lines(report: Report) -> list[ReportLine]:
    return [_report_line(i, n) for i, n in enumerate(report_nominations(report), start=1)]


def report_counts(report: Report) -> dict[str, Any]:
    return report.counts if report.is_issued and report.counts else campaign_counts(report.campaign)


def report_ratings(report: Report) -> list[ReportedRating] | None:
    """The units' year ratings as the report states them: an issued report, as they stood when issued."""
    as_of = report.issued_at if report.is_issued else None
    return year_ratings_for_report(campaign=report.campaign, as_of=as_of)
