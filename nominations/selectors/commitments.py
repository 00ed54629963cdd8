"""Reads about emulation commitments (đăng ký thi đua): who registered what, and who has not."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet

from nominations import roles
from nominations.models import Campaign, Commitment, Nomination, OrgUnit, Person, Role


def commitment_deadline(campaign: Campaign) -> datetime.date:
    """The last day to register: the campaign's deadline, or its last day when it sets none."""
    return campaign.commitment_deadline or campaign.ends_on


def campaign_units(campaign: Campaign) -> QuerySet[OrgUnit]:
    """The units taking part (every unit below the Office when the campaign names none)."""
    units = campaign.units.all()
    if not units.exists():
        units = OrgUnit.objects.exclude(kind=OrgUnit.Kind.OFFICE)
    return units.order_by("order", "code")


@dataclass
class UnitCommitments:
    unit: OrgUnit
    unit_awards: list[str] = field(default_factory=list)
    people_total: int = 0
    people_registered: set[int] = field(default_factory=set)
    registered_at: datetime.datetime | None = None
    registered_by: str = ""

    @property
    def registered(self) -> bool:
        return bool(self.unit_awards or self.people_registered)

    @property
    def people_registered_count(self) -> int:
        return len(self.people_registered)


def commitment_status_by_unit(*, campaign: Campaign) -> list[UnitCommitments]:
    """Per taking-part unit: what it registered for itself, how many of its people are registered, when
    and by whom. A unit with no commitment at all has not registered. Four queries, any number of units."""
    units = list(campaign_units(campaign))
    rows = {unit.pk: UnitCommitments(unit=unit) for unit in units}
    staff = (
        Person.objects.filter(unit__in=units, is_active=True)
        .values("unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in staff:
        rows[row["unit_id"]].people_total = row["n"]
    commitments = (
        Commitment.objects.filter(campaign=campaign, unit__in=units)
        .select_related("award", "registered_by")
        .order_by("registered_at", "pk")
    )
    for c in commitments:
        entry = rows[c.unit_id]
        if c.person_id is None:
            entry.unit_awards.append(c.award.name)
        else:
            entry.people_registered.add(c.person_id)
        entry.registered_at = c.registered_at
        entry.registered_by = str(c.registered_by) if c.registered_by else ""
    return [rows[unit.pk] for unit in units]


def units_not_registered(*, campaign: Campaign) -> list[OrgUnit]:
    return [row.unit for row in commitment_status_by_unit(campaign=campaign) if not row.registered]


def unit_heads(unit: OrgUnit) -> QuerySet[Person]:
    return Person.objects.filter(unit=unit, is_active=True, groups__name=Role.UNIT_HEAD)


def commitments_of_unit(*, campaign: Campaign, unit: OrgUnit) -> QuerySet[Commitment]:
    return (
        Commitment.objects.filter(campaign=campaign, unit=unit)
        .select_related("award", "person", "registered_by")
        .order_by("person__username", "award__order")
    )


def commitments_visible_to(*, user: Any) -> QuerySet[Commitment]:
    """The office, the Director and the auditor see every unit's; a unit head their unit's; anyone their own."""
    qs = Commitment.objects.select_related("campaign", "unit", "person", "award", "registered_by")
    if not user.is_authenticated:
        return qs.none()
    if roles.reads_the_agency(user):
        return qs
    mine = Q(person=user)
    if roles.heads_a_unit(user):
        mine |= Q(unit_id=user.unit_id)
    return qs.filter(mine)


def _registration_of(nomination_campaign: Any, nominee: Q) -> QuerySet[Commitment]:
    return Commitment.objects.filter(nominee).filter(
        Q(campaign=nomination_campaign) | Q(campaign__children=nomination_campaign)
    )


def nominee_registered(nomination: Nomination) -> bool:
    """Had the nominee registered, for this award, in the nomination's campaign or the plan above it?"""
    if nomination.nominee_person_id is not None:
        nominee = Q(person_id=nomination.nominee_person_id)
    else:
        nominee = Q(person__isnull=True, unit_id=nomination.nominee_unit_id)
    return _registration_of(nomination.campaign_id, nominee).filter(award_id=nomination.award_id).exists()


def annotate_nominee_registered(queryset: QuerySet[Nomination]) -> QuerySet[Nomination]:
    """`nominee_registered` for a whole list in the list's own query (no query per row)."""
    campaign_match = Q(campaign_id=OuterRef("campaign_id")) | Q(campaign__children=OuterRef("campaign_id"))
    by_person = Commitment.objects.filter(
        campaign_match, person_id=OuterRef("nominee_person_id"), award_id=OuterRef("award_id")
    )
    by_unit = Commitment.objects.filter(
        campaign_match,
        person__isnull=True,
        unit_id=OuterRef("nominee_unit_id"),
        award_id=OuterRef("award_id"),
    )
    return queryset.annotate(
        nominee_registered=ExpressionWrapper(
            Q(Exists(by_person)) | Q(Exists(by_unit)), output_field=BooleanField()
        )
    )
