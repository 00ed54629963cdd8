"""Reads of the units' submissions (hồ sơ đề nghị của đơn vị)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from nominations import roles
from nominations.models import FINAL_STATES, State, Submission

# Who sees every unit's submission: those who see every nomination (the office, the Director and a
# Deputy, the auditor). A unit head sees their own unit's; nobody else sees any.


def submissions_visible_to(*, user: Any) -> QuerySet[Submission]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Submission.objects.none()
    if roles.reads_the_agency(user):
        return Submission.objects.all()
    if roles.heads_a_unit(user):
        return Submission.objects.filter(unit_id=user.unit_id)
    return Submission.objects.none()


def submissions_with_counts(queryset: QuerySet[Submission]) -> QuerySet[Submission]:
    """Each submission with its nominations counted by where they stand (one grouped query, not one per row)."""
    return queryset.select_related("unit", "campaign").annotate(
        n_total=Count("nominations", filter=~Q(nominations__state__in=FINAL_STATES)),
        n_draft=Count("nominations", filter=Q(nominations__state=State.DRAFT)),
        n_submitted=Count("nominations", filter=Q(nominations__state=State.SUBMITTED)),
        n_returned=Count("nominations", filter=Q(nominations__state=State.RETURNED)),
    )
