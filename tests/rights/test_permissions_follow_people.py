"""Per-object rights stay right when people change, and nothing but a per-object grant opens a transition."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django_fsm import has_transition_perm
from guardian.shortcuts import assign_perm

from nominations.access import Perm, filter_holding, held_through, holds
from nominations.models import Nomination, OrgUnit, Person, Role, State
from nominations.selectors.nominations import nominations_visible_to
from tests.builders import core as builders
from workflow.audit import log as audit
from workflow.base.errors import NotPermitted
from workflow.models import AuditEvent
from workflow.services import transitions as t
from workflow.services.decisions import nomination_approve

pytestmark = pytest.mark.django_db


def fresh(username: str) -> Person:
    return Person.objects.get(username=username)


def role_events(person: Person, since: int) -> list[tuple[str, str]]:
    """The permission events about `person` after the event of id `since`, as (kind, role or group)."""
    return list(
        AuditEvent.objects.filter(
            id__gt=since,
            object_type="nominations.person",
            object_id=str(person.pk),
            kind__in=[AuditEvent.Kind.PERMISSION_GRANTED, AuditEvent.Kind.PERMISSION_REVOKED],
        )
        .order_by(*audit.CHAIN_ORDER)
        .values_list("kind", "comment")
    )


def last_seq() -> int:
    """Where the log ends, by id: the events of this test's (never committed) transaction wait unchained."""
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def group(role: str) -> Group:
    return Group.objects.get(name=role)


GRANTED, REVOKED = AuditEvent.Kind.PERMISSION_GRANTED, AuditEvent.Kind.PERMISSION_REVOKED


def test_a_replaced_unit_head_loses_the_units_nominations_at_once_and_the_new_head_gains_them(
    demo: None,
) -> None:
    nomination = builders.draft(award="LDTT", nominee="staff-tkth-2")
    old, new = fresh("head-tkth"), fresh("staff-tkth-1")
    assert holds(old, Perm.SUBMIT, nomination)
    assert not holds(new, Perm.SUBMIT, nomination)
    since = last_seq()

    old.groups.remove(group(Role.UNIT_HEAD))
    new.groups.add(group(Role.UNIT_HEAD))

    assert role_events(old, since) == [(REVOKED, "unit_head"), (REVOKED, "unit:tkth:heads")]
    assert role_events(new, since) == [(GRANTED, "unit_head"), (GRANTED, "unit:tkth:heads")]
    with pytest.raises(NotPermitted):
        t.nomination_submit(nomination=nomination, actor=fresh("head-tkth"))
    assert not nominations_visible_to(user=fresh("head-tkth")).filter(pk=nomination.pk).exists()
    assert nominations_visible_to(user=fresh("staff-tkth-1")).filter(pk=nomination.pk).exists()
    submitted = t.nomination_submit(nomination=nomination, actor=fresh("staff-tkth-1"))
    assert submitted.state == State.SUBMITTED
    event = AuditEvent.objects.get(nomination=nomination, transition="submit")
    assert (event.actor.username, event.actor_role, event.actor_unit) == ("staff-tkth-1", "unit_head", "tkth")
    assert audit.verify().ok


def test_a_unit_head_moved_to_another_unit_acts_for_the_new_unit_only(demo: None) -> None:
    tkth_draft = builders.draft(award="LDTT", nominee="staff-tkth-2")
    tkkt_draft = builders.draft(award="LDTT", nominee="staff-tkkt-2")
    head = fresh("head-tkth")
    since = last_seq()

    head.unit = OrgUnit.objects.get(code="tkkt")
    head.save()

    assert role_events(head, since) == [(GRANTED, "unit:tkkt:heads"), (REVOKED, "unit:tkth:heads")]
    with pytest.raises(NotPermitted):
        t.nomination_submit(nomination=tkth_draft, actor=fresh("head-tkth"))
    assert Nomination.objects.get(pk=tkth_draft.pk).state == State.DRAFT
    assert t.nomination_submit(nomination=tkkt_draft, actor=fresh("head-tkth")).state == State.SUBMITTED


def test_someone_removed_from_office_staff_can_no_longer_review_and_a_newcomer_can(demo: None) -> None:
    nomination = builders.in_state("submitted", award="LDTT", nominee="staff-tkth-2")
    since = last_seq()

    group(Role.OFFICE_STAFF).user_set.remove(fresh("office2"))  # from the group's side
    fresh("staff-tchc-1").groups.add(group(Role.OFFICE_STAFF))

    assert role_events(fresh("office2"), since) == [(REVOKED, "office_staff")]
    assert role_events(fresh("staff-tchc-1"), since) == [(GRANTED, "office_staff")]
    with pytest.raises(NotPermitted):
        t.nomination_evaluate(nomination=nomination, actor=fresh("office2"), score=90, assessment="Đạt")
    evaluated = t.nomination_evaluate(
        nomination=nomination, actor=fresh("staff-tchc-1"), score=90, assessment="Đạt"
    )
    assert evaluated.state == State.EVALUATED


def test_all_roles_cleared_at_once_are_each_logged_as_revoked(demo: None) -> None:
    nomination = builders.draft(award="LDTT", nominee="staff-tkth-2")
    head = fresh("head-tkth")
    since = last_seq()
    head.groups.clear()
    assert sorted(role_events(head, since)) == [(REVOKED, "unit:tkth:heads"), (REVOKED, "unit_head")]
    with pytest.raises(NotPermitted):
        t.nomination_submit(nomination=nomination, actor=fresh("head-tkth"))


def test_a_secretary_leaving_the_council_can_no_longer_close_votes(demo: None) -> None:
    session = builders.session()
    nomination = builders.in_state("in_vote", award="LDTT", nominee="staff-tkth-2", council_session=session)
    secretary = fresh("secretary")
    since = last_seq()

    secretary.groups.remove(group(Role.COUNCIL_SECRETARY), group(Role.COUNCIL_MEMBER))

    assert sorted(role_events(secretary, since)) == [
        (REVOKED, "council_member"),
        (REVOKED, "council_secretary"),
    ]
    assert not fresh("secretary").has_role(Role.COUNCIL_MEMBER)
    with pytest.raises(NotPermitted):
        t.nomination_close_vote(nomination=nomination, actor=fresh("secretary"), passed=True)
    assert Nomination.objects.get(pk=nomination.pk).state == State.IN_VOTE
    # The new secretary closes it.
    fresh("council2").groups.add(group(Role.COUNCIL_SECRETARY))
    closed = t.nomination_close_vote(nomination=nomination, actor=fresh("council2"), passed=True)
    assert closed.state == State.PROPOSED


def test_a_council_member_leaving_the_council_is_logged(demo: None) -> None:
    member = fresh("council3")
    since = last_seq()
    member.groups.remove(group(Role.COUNCIL_MEMBER))
    assert role_events(member, since) == [(REVOKED, "council_member")]
    assert not fresh("council3").has_role(Role.COUNCIL_MEMBER)


def test_a_deactivated_person_loses_every_right(demo: None) -> None:
    nomination = builders.draft(award="LDTT", nominee="staff-tkth-2")
    head = fresh("head-tkth")
    since = last_seq()
    head.is_active = False
    head.save()
    assert role_events(head, since) == [(REVOKED, "unit:tkth:heads")]
    with pytest.raises(NotPermitted):
        t.nomination_submit(nomination=nomination, actor=fresh("head-tkth"))


# --- nothing but a per-object grant -------------------------------------------------------------------
def test_a_global_permission_does_not_open_a_transition(demo: None) -> None:
    nomination = builders.draft(award="LDTT", nominee="staff-tkth-2")
    outsider = fresh("head-tkkt")
    outsider.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="nominations", codename__in=[Perm.SUBMIT, Perm.VIEW, Perm.CHANGE]
        )
    )
    outsider = fresh("head-tkkt")
    assert outsider.has_perm(f"nominations.{Perm.SUBMIT}")  # the global grant is real…
    assert not has_transition_perm(nomination.submit, outsider)  # …but django-fsm does not fall back to it
    with pytest.raises(NotPermitted):
        t.nomination_submit(nomination=nomination, actor=outsider)
    assert not nominations_visible_to(user=outsider).filter(pk=nomination.pk).exists()
    assert Nomination.objects.get(pk=nomination.pk).state == State.DRAFT


def test_a_superuser_without_grants_cannot_run_a_transition(demo: None) -> None:
    nomination = builders.in_state("proposed", award="LDTT", nominee="staff-tkth-2")
    admin = fresh("admin")
    admin.is_superuser = True
    admin.save()
    admin = fresh("admin")
    assert admin.has_perm(f"nominations.{Perm.DECIDE}", nomination)
    assert not has_transition_perm(nomination.approve, admin)
    events = AuditEvent.objects.filter(kind=AuditEvent.Kind.TRANSITION).count()
    with pytest.raises(NotPermitted):
        nomination_approve(
            nomination=nomination,
            actor=admin,
            decision_number="1/QĐ",
            decision_date=datetime.date(2024, 1, 2),
        )
    with pytest.raises(NotPermitted):
        t.nomination_hold(nomination=nomination, actor=admin, comment="Thử quyền quản trị.")
    assert Nomination.objects.get(pk=nomination.pk).state == State.PROPOSED
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.TRANSITION).count() == events


def test_a_deputy_with_a_delegation_on_one_nomination_decides_that_one_only(demo: None) -> None:
    delegated = builders.in_state("proposed", award="LDTT", nominee="staff-tkth-2")
    other = builders.in_state("proposed", award="LDTT", nominee="staff-tkth-3")
    assign_perm(f"nominations.{Perm.DECIDE}", fresh("deputy"), delegated)
    decide = dict(decision_number="3/QĐ-CTK", decision_date=datetime.date(2024, 1, 3))
    with pytest.raises(NotPermitted):
        nomination_approve(nomination=other, actor=fresh("deputy"), **decide)
    assert nomination_approve(nomination=delegated, actor=fresh("deputy"), **decide).state == State.APPROVED
    event = AuditEvent.objects.get(nomination=delegated, transition="approve")
    assert (event.actor.username, event.actor_role) == ("deputy", "deputy_director")
    granted = AuditEvent.objects.get(kind=AuditEvent.Kind.PERMISSION_GRANTED, nomination=delegated)
    assert (granted.object_type, granted.comment) == ("nominations.person", Perm.DECIDE)
    assert granted.data["person"] == "deputy"


def test_withdrawing_a_delegation_is_logged_and_takes_effect_at_once(demo: None) -> None:
    from guardian.shortcuts import remove_perm

    nomination = builders.in_state("proposed", award="LDTT", nominee="staff-tkth-2")
    assign_perm(f"nominations.{Perm.DECIDE}", fresh("deputy"), nomination)
    since = last_seq()
    remove_perm(f"nominations.{Perm.DECIDE}", fresh("deputy"), nomination)
    assert role_events(fresh("deputy"), since) == [(REVOKED, Perm.DECIDE)]
    with pytest.raises(NotPermitted):
        t.nomination_decline(nomination=nomination, actor=fresh("deputy"), comment="Không đủ tiêu biểu.")


def test_a_right_changed_through_one_person_object_is_read_again_by_another_of_the_same_person(
    demo: None,
) -> None:
    """The rights read once per person object (`access._held`) are read again, on every object, once any
    right changes: two objects of one person in one request (say `request.user` and a form's copy)."""
    nomination = builders.draft(award="LDTT", nominee="staff-tkth-2")
    seen, other = fresh("head-tkth"), fresh("head-tkth")
    assert held_through(seen, Perm.SUBMIT, nomination) == ["unit:tkth:heads"]  # read now, kept on `seen`
    other.groups.remove(group(Role.UNIT_HEAD))  # the unit's heads group goes with the role
    assert not holds(seen, Perm.SUBMIT, nomination)
    assert not filter_holding(Nomination.objects.filter(pk=nomination.pk), seen, Perm.SUBMIT).exists()
    assert not nominations_visible_to(user=seen).filter(pk=nomination.pk).exists()
    other.groups.add(group(Role.UNIT_HEAD))
    assert holds(seen, Perm.SUBMIT, nomination) and holds(other, Perm.SUBMIT, nomination)
