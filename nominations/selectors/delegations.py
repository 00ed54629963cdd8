"""Delegations of the decision step that are in force."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from nominations import roles

# The model modules themselves, not the package: the models import `nominations.access`, which reads
# live delegations from here.
from nominations.models.org import Role
from nominations.models.participation import Delegation


def delegations_live(*, at: datetime.datetime | None = None) -> QuerySet[Delegation]:
    """Delegations in their period, not revoked, from an active Director to an active Deputy Director.

    Both roles are read at the moment of use: a Director who leaves office, or a Deputy moved to
    another post, ends the delegation without anyone having to revoke it.
    """
    at = at or timezone.now()
    return Delegation.objects.filter(
        revoked_at__isnull=True,
        starts_at__lte=at,
        ends_at__gte=at,
        delegate__is_active=True,
        delegate__groups__name=Role.DEPUTY_DIRECTOR,
        delegator__is_active=True,
        delegator__groups__name=Role.DIRECTOR,
    )


def delegation_live_for(*, user: Any, at: datetime.datetime | None = None) -> Delegation | None:
    """The live delegation `user` acts under, if any (the latest, should several overlap)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return (
        delegations_live(at=at)
        .filter(delegate=user)
        .select_related("delegator")
        .order_by("-starts_at", "-id")
        .first()
    )


def delegations_visible_to(*, user: Any) -> QuerySet[Delegation]:
    """The Director, the office and the auditor see every delegation; a Deputy sees their own."""
    qs = Delegation.objects.select_related("delegator", "delegate", "revoked_by")
    if not user.is_authenticated:
        return qs.none()
    if roles.is_director(user) or roles.reads_all_records(user):
        return qs
    return qs.filter(delegate=user)
