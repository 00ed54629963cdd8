"""The review's scoring (sơ kết 6 tháng, tổng kết năm): each unit's results scored by the campaign's rule,
its rating proposed with the computation line by line, then confirmed or corrected by the office.

Every write runs in one transaction with its audit event; only the office (Phòng TC-HC) writes here.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nominations.models import OrgUnit, Review, Role, ScoringRule, TargetResult, UnitRating
from nominations.models.campaigns import Campaign
from nominations.rules import targets as rules
from nominations.selectors.commitments import campaign_units
from nominations.selectors.targets import expected_periods, targets_of
from workflow.audit import log as audit
from workflow.base.errors import InvalidInput, WrongState
from workflow.models import AuditEvent
from workflow.services.targets import _office, _text


# --- the review's scoring ------------------------------------------------------------------------------------
def review_get_or_create(*, actor: Any, campaign: Campaign, kind: str) -> Review:
    _office(actor)
    if kind not in Review.Kind.values:
        raise InvalidInput(_("Loại sơ kết, tổng kết không hợp lệ."), field="kind")
    covers = datetime.date(campaign.ends_on.year, 6, 30) if kind == Review.Kind.HALF else campaign.ends_on
    if not campaign.starts_on <= covers <= campaign.ends_on:
        raise InvalidInput(_("Phong trào này không có kỳ sơ kết 6 tháng."), field="kind")
    with transaction.atomic():
        review, created = Review.objects.get_or_create(
            campaign=campaign, kind=kind, defaults={"covers_until": covers}
        )
        if created:
            audit.record(
                kind=AuditEvent.Kind.OTHER,
                obj=review,
                actor=actor,
                actor_role=Role.OFFICE_STAFF,
                transition_name="review_open",
                data={"campaign": campaign.pk, "kind": kind, "covers_until": covers},
            )
    return review


def scoring_rule_of(campaign: Campaign) -> ScoringRule:
    rule = ScoringRule.objects.filter(campaign=campaign).first()
    return rule if rule is not None else ScoringRule(campaign=campaign)  # the defaults, unsaved


def unit_score(*, review: Review, unit: OrgUnit) -> rules.Score:
    """The unit's score at the review, from its results of the periods ending by `covers_until`."""
    campaign = review.campaign
    targets = list(targets_of(campaign=campaign, unit=unit))
    results = {
        (r.target_id, r.period): r
        for r in TargetResult.objects.filter(target__in=targets, unit=unit).exclude(
            state=TargetResult.State.RETURNED
        )
    }
    lines = []
    for target in targets:
        cells = []
        for period in expected_periods(target, campaign, until=review.covers_until):
            result = results.get((target.pk, period.code))
            cells.append(
                rules.Cell(
                    period=period.code,
                    reported=result is not None,
                    met=bool(result and result.met),
                    late=bool(result and result.late),
                )
            )
        lines.append(
            rules.LineInput(target.code, target.name, target.weight, cells, target.alternative_group)
        )
    return rules.score(lines, scoring_rule_of(campaign).as_rule())


def _computation(result: rules.Score) -> dict[str, Any]:
    return {
        "lines": [
            {
                "target": line.target,
                "name": line.name,
                "weight": str(line.weight),
                "expected": line.expected,
                "met_on_time": line.met_on_time,
                "met_late": line.met_late,
                "not_met": line.not_met,
                "missing": line.missing,
                "ratio": str((line.ratio * 100).quantize(Decimal("0.01"))),
                "counted": line.counted,
                "text": line.text,
            }
            for line in result.lines
        ],
        "steps": result.steps,
        "percent": str(result.percent),
        "rating": result.rating,
    }


def review_propose(*, actor: Any, review: Review) -> list[UnitRating]:
    """Score every unit of the campaign and propose its rating; a rating already confirmed is kept."""
    _office(actor)
    units = list(campaign_units(review.campaign))
    with transaction.atomic():
        Review.objects.select_for_update().get(pk=review.pk)
        existing = {r.unit_id: r for r in UnitRating.objects.filter(review=review)}
        proposed: dict[str, str] = {}
        for unit in units:
            row = existing.get(unit.pk)
            if row is not None and row.state == UnitRating.State.CONFIRMED:
                continue
            result = unit_score(review=review, unit=unit)
            if row is None:
                row = UnitRating(review=review, unit=unit)
            row.percent = result.percent
            row.proposed = result.rating
            row.rating = result.rating
            row.computation = _computation(result)
            row.save()
            proposed[unit.code] = f"{result.rating}:{result.percent}"
        audit.record(
            kind=AuditEvent.Kind.OTHER,
            obj=review,
            actor=actor,
            actor_role=Role.OFFICE_STAFF,
            transition_name="review_propose",
            data={"proposed": proposed},
        )
    return list(
        UnitRating.objects.filter(review=review).select_related("unit").order_by("unit__order", "unit__code")
    )


def unit_rating_confirm(
    *, actor: Any, unit_rating: UnitRating, rating: Any = None, reason: Any = ""
) -> UnitRating:
    """The office confirms the proposed rating, or corrects it — a correction needs a reason."""
    _office(actor)
    wanted = str(rating or unit_rating.proposed).strip()
    if wanted not in rules.RATINGS:
        raise InvalidInput(_("Xếp loại phải là một trong: htxs, htt, ht, kht."), field="rating")
    text = _text(reason, field="reason")
    with transaction.atomic():
        try:
            locked = (
                UnitRating.objects.select_for_update().select_related("unit", "review").get(pk=unit_rating.pk)
            )
        except UnitRating.DoesNotExist:
            raise WrongState(_("Xếp loại không còn tồn tại.")) from None
        if locked.state == UnitRating.State.CONFIRMED:
            raise WrongState(_("Xếp loại của đơn vị này đã được xác nhận."))
        corrected = wanted != locked.proposed
        if corrected and not text:
            raise InvalidInput(_("Cần nêu lý do khi điều chỉnh xếp loại đề xuất."), field="reason")
        locked.rating = wanted
        locked.reason = text
        locked.state = UnitRating.State.CONFIRMED
        locked.confirmed_by = actor
        locked.confirmed_at = timezone.now()
        locked.save()
        audit.record(
            kind=AuditEvent.Kind.OTHER,
            obj=locked,
            actor=actor,
            actor_role=Role.OFFICE_STAFF,
            transition_name="unit_rating_correct" if corrected else "unit_rating_confirm",
            from_state=locked.proposed,
            to_state=wanted,
            comment=text,
            data={"unit": locked.unit.code, "review": locked.review_id, "percent": locked.percent},
        )
    return locked
