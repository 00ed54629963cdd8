"""Shared helpers of the decisions tests: proposed nominations made through the real services."""

from __future__ import annotations

import datetime
from typing import Any

from nominations.models import Campaign, CouncilSession, Nomination, State
from tests.builders import core as builders

DAY = datetime.date(2024, 1, 10)


def phase_two() -> Campaign:
    return Campaign.objects.get(kind=Campaign.Kind.PHASE, starts_on=datetime.date(2023, 7, 1))


def proposed(
    *,
    award: str = "LDTT",
    nominee: str = "staff-tkth-2",
    session: CouncilSession | None = None,
    campaign: Campaign | None = None,
    **options: Any,
) -> Nomination:
    """A nomination the council has passed (`proposed`), awaiting the Director."""
    nomination = builders.draft(award=award, nominee=nominee, campaign=campaign, **options)
    return builders.to_state(nomination, State.PROPOSED, session=session or builders.session())


def eligible_staff() -> list[str]:
    """Staff of the demo without a pending case (staff-nsba-2 has one)."""
    units = ["tchc", "tkth", "tkkt", "tkxh", "ttth", "prtc", "nhtb", "nptn", "nsba"]
    return [f"staff-{u}-{n}" for u in units for n in (1, 2, 3) if f"staff-{u}-{n}" != "staff-nsba-2"]
