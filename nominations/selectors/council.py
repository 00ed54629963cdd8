"""Reads for the council area. None of them can return a choice linked to a member: the database
holds no such link (see docs/voting.md)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet

from nominations import roles
from nominations.models import (
    BallotParticipation,
    BallotReceipt,
    CouncilSession,
    Nomination,
    Person,
    Role,
    State,
)

_active = roles.is_active


def oversees_sessions(user: Any) -> bool:
    """The roles that see every session (prepare, run, audit, decide); members see the sessions they sit on."""
    return _active(user) and roles.oversees_sessions(user)


def council_sessions_visible_to(*, user: Any) -> QuerySet[CouncilSession]:
    if not _active(user):
        return CouncilSession.objects.none()
    if oversees_sessions(user):
        return CouncilSession.objects.all()
    return CouncilSession.objects.filter(members=user)


def is_member(session: CouncilSession, user: Any) -> bool:
    return _active(user) and session.members.filter(pk=user.pk).exists()


def council_members_eligible() -> QuerySet[Person]:
    """People who may sit on a session: the council's members (the chair and secretary are members too)."""
    return (
        Person.objects.filter(is_active=True, groups__name=Role.COUNCIL_MEMBER)
        .select_related("unit")
        .order_by("username")
    )


def agenda_of(session: CouncilSession) -> QuerySet[Nomination]:
    return (
        Nomination.objects.filter(council_session=session)
        .select_related("award", "nominee_person", "nominee_unit", "nominating_unit", "campaign")
        .order_by("pk")
    )


def nominations_schedulable() -> QuerySet[Nomination]:
    """Evaluated nominations that wait for a session (the `schedule` transition's source)."""
    return (
        Nomination.objects.filter(state=State.EVALUATED)
        .select_related("award", "nominee_person", "nominee_unit", "nominating_unit", "campaign")
        .order_by("pk")
    )


def ballots_pending_for(*, user: Any) -> QuerySet[Nomination]:
    """The agenda items `user` still has to vote on, in open sessions they sit on (one query).

    Each nomination carries its `council_session`. In an open session these are the items whose ballot
    task (in the viewflow process, `workflow.process.nodes.MemberBallot`) is still open for `user`.
    """
    if not _active(user):
        return Nomination.objects.none()
    voted = BallotParticipation.objects.filter(
        nomination=OuterRef("pk"), session=OuterRef("council_session"), member=user
    )
    return (
        Nomination.objects.filter(
            state=State.IN_VOTE,
            council_session__state=CouncilSession.State.OPEN,
            council_session__members=user,
        )
        .exclude(Exists(voted))
        .select_related("council_session", "award", "nominee_person", "nominee_unit")
        .order_by("council_session_id", "pk")
    )


def items_voted_by(*, session: CouncilSession, user: Any) -> set[int]:
    """The agenda items `user` has voted on (their own participation, never a choice)."""
    if not _active(user):
        return set()
    return set(
        BallotParticipation.objects.filter(session=session, member=user).values_list(
            "nomination_id", flat=True
        )
    )


def participation_counts(*, session: CouncilSession) -> dict[int, int]:
    return dict(
        BallotParticipation.objects.filter(session=session)
        .values_list("nomination_id")
        .annotate(n=Count("id"))
        .order_by()
    )


def receipt_counted(*, session: CouncilSession, receipt: str) -> bool:
    """Whether a ballot with this receipt went into this session's ballot box (and so into its count)."""
    if not BallotReceipt.normalise(receipt):
        return False
    return BallotReceipt.objects.filter(session=session, digest=BallotReceipt.digest_of(receipt)).exists()
