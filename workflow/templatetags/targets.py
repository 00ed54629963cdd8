"""The unit's rating confirmed at the year-end summary, shown where a collective's rating is read."""

from __future__ import annotations

from django import template

from nominations.models import Nomination, UnitRating
from nominations.selectors.targets import confirmed_year_rating

register = template.Library()


@register.simple_tag
def confirmed_unit_rating(nomination: Nomination) -> UnitRating | None:
    """None for an individual (no query): only a collective has a unit rating."""
    if nomination.is_individual or nomination.nominee_unit_id is None:
        return None
    return confirmed_year_rating(unit_id=nomination.nominee_unit_id, year=nomination.campaign.year)
