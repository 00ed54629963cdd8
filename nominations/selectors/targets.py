"""Reads about targets, results and the review's ratings, scoped to who may see them.

The office, the Director, the Deputies and the auditor follow every unit; a unit head sees their own
unit only; anyone else sees nothing. Every entry point (page, API, admin, export) reads through here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from nominations import roles
from nominations.models import OrgUnit, Review, Target, TargetResult, UnitRating
from nominations.models.campaigns import Campaign
from nominations.rules import targets as rules
from nominations.selectors.commitments import campaign_units


def follows_all_units(user: Any) -> bool:
    return roles.is_active(user) and roles.reads_the_agency(user)


def reporting_unit(user: Any) -> OrgUnit | None:
    """The unit whose results this user reports: a unit head's own unit."""
    if roles.is_active(user) and roles.heads_a_unit(user):
        return user.unit  # type: ignore[no-any-return]
    return None


def units_visible_to(*, user: Any, campaign: Campaign) -> QuerySet[OrgUnit]:
    units = campaign_units(campaign)
    if follows_all_units(user):
        return units
    own = reporting_unit(user)
    return units.filter(pk=own.pk) if own is not None else units.none()


def targets_of(*, campaign: Campaign, unit: OrgUnit | None = None) -> QuerySet[Target]:
    """The campaign's targets: those for every unit, plus `unit`'s own (all units' own when None)."""
    targets = Target.objects.filter(campaign=campaign)
    if unit is not None:
        targets = targets.filter(Q(unit__isnull=True) | Q(unit=unit))
    return targets.select_related("unit").order_by("order", "code", "pk")


def targets_visible_to(*, user: Any) -> QuerySet[Target]:
    if follows_all_units(user):
        return Target.objects.select_related("campaign", "unit").order_by("campaign", "order", "code")
    own = reporting_unit(user)
    if own is None:
        return Target.objects.none()
    return (
        Target.objects.filter(Q(unit__isnull=True) | Q(unit=own), campaign__units=own)
        .select_related("campaign", "unit")
        .order_by("campaign", "order", "code")
        .distinct()
    )


def results_visible_to(*, user: Any) -> QuerySet[TargetResult]:
    results = TargetResult.objects.select_related("target", "target__campaign", "unit")
    if follows_all_units(user):
        return results
    own = reporting_unit(user)
    return results.filter(unit=own) if own is not None else results.none()


def ratings_visible_to(*, user: Any) -> QuerySet[UnitRating]:
    ratings = UnitRating.objects.select_related("review", "review__campaign", "unit", "confirmed_by")
    if follows_all_units(user):
        return ratings
    own = reporting_unit(user)
    # A unit head reads their unit's rating once the office confirmed it, not the office's draft.
    if own is None:
        return ratings.none()
    return ratings.filter(unit=own, state=UnitRating.State.CONFIRMED)


def campaigns_with_targets() -> QuerySet[Campaign]:
    return Campaign.objects.filter(targets__isnull=False).distinct().order_by("-starts_on", "kind", "name")


# --- the matrix (unit × target × period) ---------------------------------------------------------------
MET, NOT_MET, MISSING, PENDING = "met", "not_met", "missing", "pending"


@dataclass(frozen=True)
class MatrixCell:
    unit: OrgUnit
    target: Target
    period: rules.Period
    status: str  # met / not_met / missing (deadline passed, nothing reported) / pending (not due yet)
    late: bool
    result: TargetResult | None

    @property
    def returned(self) -> bool:
        return self.result is not None and self.result.state == TargetResult.State.RETURNED


def expected_periods(
    target: Target, campaign: Campaign, until: datetime.date | None = None
) -> list[rules.Period]:
    periods = rules.periods_between(campaign.starts_on, campaign.ends_on, target.periods)
    return [p for p in periods if until is None or p.ends_on <= until]


def matrix(
    *,
    campaign: Campaign,
    units: list[OrgUnit],
    targets: list[Target],
    periods: list[str] | None,
    today: datetime.date,
    due: Any,
) -> list[MatrixCell]:
    """Every expected cell for `units` × `targets` (× `periods`, or every period), in one query of results.

    `due(period_end, days)` is the report deadline (working days, from the holiday calendar: the
    workflow passes it in, so this module stays free of the calendar's storage).
    """
    results = {
        (r.unit_id, r.target_id, r.period): r
        for r in TargetResult.objects.filter(target__in=targets, unit__in=units).select_related("target")
    }
    cells: list[MatrixCell] = []
    for unit in units:
        for target in targets:
            if target.unit_id is not None and target.unit_id != unit.pk:
                continue
            for period in expected_periods(target, campaign):
                if periods and period.code not in periods:
                    continue
                result = results.get((unit.pk, target.pk, period.code))
                if result is None or result.state == TargetResult.State.RETURNED:
                    status = MISSING if today > due(period.ends_on, target.report_days) else PENDING
                    cells.append(MatrixCell(unit, target, period, status, False, result))
                else:
                    status = MET if result.met else NOT_MET
                    cells.append(MatrixCell(unit, target, period, status, result.late, result))
    return cells


def review_of(*, campaign: Campaign, kind: str) -> Review | None:
    return Review.objects.filter(campaign=campaign, kind=kind).first()


def confirmed_year_rating(*, unit_id: int, year: int) -> UnitRating | None:
    """The unit's rating confirmed at the year-end summary of a campaign ending in `year`."""
    return (
        UnitRating.objects.filter(
            unit_id=unit_id,
            review__kind=Review.Kind.YEAR,
            review__campaign__ends_on__year=year,
            state=UnitRating.State.CONFIRMED,
        )
        .select_related("review")
        .order_by("-review__covers_until")
        .first()
    )


# --- the year's ratings in the results report --------------------------------------------------------
@dataclass(frozen=True)
class ReportedRating:
    """A unit's line in the report's "Kết quả xếp loại đơn vị": its confirmed year rating, or none yet."""

    unit: OrgUnit
    rating: UnitRating | None  # confirmed only: the office's draft never leaves the office

    @property
    def corrected(self) -> bool:
        return self.rating is not None and self.rating.rating != self.rating.proposed


def year_ratings_for_report(
    *, campaign: Campaign, as_of: datetime.datetime | None = None
) -> list[ReportedRating] | None:
    """Every unit of `campaign` with its confirmed year-end (tổng kết) rating, in four queries.

    `as_of` (an issued report's moment) leaves out ratings confirmed after it, so an issued report
    reads the same later, as its frozen counts do. None when the campaign follows no targets and holds no year-end review: its report then has
    nothing to say about unit ratings (a thematic campaign's, a phase's).
    """
    followed = Campaign.objects.filter(
        Q(reviews__kind=Review.Kind.YEAR) | Q(targets__isnull=False), pk=campaign.pk
    ).exists()
    if not followed:
        return None
    ratings = UnitRating.objects.filter(
        review__campaign=campaign, review__kind=Review.Kind.YEAR, state=UnitRating.State.CONFIRMED
    )
    if as_of is not None:
        ratings = ratings.filter(confirmed_at__lte=as_of)
    confirmed = {rating.unit_id: rating for rating in ratings.select_related("confirmed_by")}
    units = list(campaign_units(campaign))
    listed = {unit.pk for unit in units}
    # A unit rated at the review but since taken off the campaign's list still appears: it was rated.
    extra = [r.unit_id for r in confirmed.values() if r.unit_id not in listed]
    if extra:
        units += list(OrgUnit.objects.filter(pk__in=extra).order_by("order", "code"))
    return [ReportedRating(unit, confirmed.get(unit.pk)) for unit in units]
