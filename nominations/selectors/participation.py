"""Reads for the public notice, complaints and award history."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from nominations import roles
from nominations.models import (
    AwardRecord,
    Complaint,
    Nomination,
    NoticePublication,
    Person,
)
from nominations.selectors.commitments import annotate_nominee_registered


def _latest_only(queryset: QuerySet[NoticePublication]) -> QuerySet[NoticePublication]:
    newer = NoticePublication.objects.filter(nomination_id=OuterRef("nomination_id"), pk__gt=OuterRef("pk"))
    return queryset.exclude(Exists(newer))


def notices_running(*, today: datetime.date) -> QuerySet[NoticePublication]:
    """The results on public notice on `today`: the latest publication of each nomination, still running.

    What is shown is the result only — nominee, award, unit, outcome — never a ballot or a tally.
    """
    notices = _latest_only(NoticePublication.objects.filter(ends_on__gte=today)).select_related(
        "nomination__award",
        "nomination__campaign",
        "nomination__nominating_unit",
        "nomination__nominee_person__unit",
        "nomination__nominee_unit",
    )
    return notices.annotate(
        complaints_open=Count("complaints", filter=Q(complaints__state=Complaint.State.OPEN))
    ).order_by("-published_at", "-id")


def notice_running_for(*, nomination_id: int, today: datetime.date) -> NoticePublication | None:
    """The running notice of this nomination, if its result is on notice today (else None)."""
    return (
        _latest_only(NoticePublication.objects.filter(nomination_id=nomination_id, ends_on__gte=today))
        .select_related("nomination__award", "nomination__nominee_person", "nomination__nominee_unit")
        .first()
    )


def nominee_registered_map(notices: list[NoticePublication]) -> dict[int, bool]:
    """Whether each noticed nominee had registered for the award (one query for the whole list)."""
    ids = [n.nomination_id for n in notices]
    if not ids:
        return {}
    # values_list, not model instances: a deferred `state` would cost a query per row (the fsm mixin reads it).
    annotated = annotate_nominee_registered(Nomination.objects.filter(pk__in=ids))
    rows = annotated.values_list("pk", "nominee_registered")  # type: ignore[misc]
    return {pk: bool(registered) for pk, registered in rows}


def complaints_visible_to(*, user: Any) -> QuerySet[Complaint]:
    """The office and the auditor see every complaint; anyone else only those they lodged."""
    qs = Complaint.objects.select_related(
        "nomination__award",
        "nomination__nominee_person",
        "nomination__nominee_unit",
        "notice",
        "lodged_by",
        "resolved_by",
    )
    if not user.is_authenticated:
        return qs.none()
    if roles.reads_all_records(user):
        return qs
    return qs.filter(lodged_by=user)


def may_read_history(user: Any, person: Person) -> bool:
    """Everyone reads their own award history; the office and the auditor read anyone's."""
    if not user.is_authenticated:
        return False
    return user.pk == person.pk or roles.reads_all_records(user)


def may_edit_history(user: Any) -> bool:
    return roles.is_active(user) and roles.is_office(user)


def award_records_of(*, person: Person) -> QuerySet[AwardRecord]:
    return (
        AwardRecord.objects.filter(person=person)
        .select_related("award", "nomination")
        .order_by("-year", "award__order", "pk")
    )


def people_with_history(*, query: str = "") -> QuerySet[Person]:
    """People, with how many records each has (the office's index of award histories)."""
    people = Person.objects.filter(is_active=True).select_related("unit")
    if query:
        people = people.filter(Q(full_name__icontains=query) | Q(username__icontains=query))
    return people.annotate(records=Count("award_records")).order_by("unit__order", "username")
