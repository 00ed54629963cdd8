"""What the targets' pages share: the campaign and the period asked for (a campaign with targets, a period
its targets expect), read the same way by the unit's results, the matrix and the review."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils import timezone

from nominations.models import Campaign, OrgUnit
from nominations.rules import targets as rules
from nominations.selectors.targets import campaigns_with_targets, expected_periods, targets_of
from workflow.base.inputs import parse_id


def chosen_campaign(request: HttpRequest) -> Campaign | None:
    """The campaign named by `?campaign=` (or the form's field), else the latest with targets; 404 if unknown."""
    campaigns = campaigns_with_targets()
    raw = request.GET.get("campaign", "") or request.POST.get("campaign", "")
    if raw:
        # A malformed id ('²', 2⁶⁴) names no campaign: the same 404 as a missing one.
        pk = parse_id(raw)
        found = campaigns.filter(pk=pk).first() if pk is not None else None
        if found is None:
            raise Http404
        return found
    return campaigns.first()


def campaign_periods(campaign: Campaign, unit: OrgUnit | None) -> list[rules.Period]:
    """Every period the campaign's targets (of `unit`, or of every unit) expect a result for, in order."""
    seen: dict[str, rules.Period] = {}
    for target in targets_of(campaign=campaign, unit=unit):
        for period in expected_periods(target, campaign):
            seen[period.code] = period
    return sorted(seen.values(), key=lambda p: p.sort_key)


def _default_period(periods: list[rules.Period]) -> rules.Period | None:
    today = timezone.localdate()
    ended = [p for p in periods if p.ends_on < today]
    return ended[-1] if ended else (periods[0] if periods else None)


def chosen_period(request: HttpRequest, periods: list[rules.Period]) -> rules.Period | None:
    """The period named by `?period=`, else the last one ended (the first, when none has)."""
    raw = request.GET.get("period", "")
    for period in periods:
        if period.code == raw:
            return period
    return _default_period(periods)
