"""Keep rights right when people and units change: a unit head replaced, someone leaving a role, a unit made."""

from __future__ import annotations

import threading
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from guardian.models import GroupObjectPermission, UserObjectPermission

from nominations.admin_audit import admin_changed
from nominations.models import Award, AwardRule, BaseSalary, Nomination, OrgUnit, Person, Role
from workflow.audit import log as audit
from workflow.models import AuditEvent, Deadline, Holiday
from workflow.rights.permissions import grant_unit_permissions, sync_unit_head_groups


class _Syncing(threading.local):
    """The people whose unit-head groups this thread is re-deriving (their own changes are not re-logged)."""

    def __init__(self) -> None:
        self.pks: set[int] = set()


_syncing = _Syncing()


def _sync(person: Person) -> None:
    if person.pk in _syncing.pks:
        return
    _syncing.pks.add(person.pk)
    try:
        with transaction.atomic():
            added, removed = sync_unit_head_groups(person)
            for name in sorted(added):
                audit.record(
                    kind=AuditEvent.Kind.PERMISSION_GRANTED,
                    obj=person,
                    comment=name,
                    data={"group": name, "person": person.username},
                )
            for name in sorted(removed):
                audit.record(
                    kind=AuditEvent.Kind.PERMISSION_REVOKED,
                    obj=person,
                    comment=name,
                    data={"group": name, "person": person.username},
                )
    finally:
        _syncing.pks.discard(person.pk)


@receiver(post_save, sender=OrgUnit)
def unit_saved(sender: type[OrgUnit], instance: OrgUnit, raw: bool = False, **kwargs: Any) -> None:
    """A unit's heads hold its nominations from the start (and a renamed unit's new heads group too)."""
    if not raw:
        grant_unit_permissions([instance])


@receiver(post_save, sender=Person)
def person_saved(sender: type[Person], instance: Person, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        _sync(instance)


@receiver(m2m_changed, sender=Person.groups.through)
def person_groups_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    """Roles are groups: log every role granted or revoked, then re-derive the unit-head grants."""
    if action == "pre_clear":
        # `clear()` does not say what it removes: remember it, to log it after the fact.
        if reverse:  # group.user_set.clear()
            instance._cleared_pks = set(instance.user_set.values_list("pk", flat=True))
        else:  # person.groups.clear()
            instance._cleared_pks = set(instance.groups.values_list("pk", flat=True))
        return
    if action == "post_clear":
        action, pk_set = "post_remove", instance.__dict__.pop("_cleared_pks", set())
    if action not in {"post_add", "post_remove"} or not pk_set:
        return
    if reverse:  # group.user_set.add(person, ...)
        pairs = [(person, [instance]) for person in Person.objects.filter(pk__in=pk_set)]
    else:  # person.groups.add(group, ...)
        pairs = [(instance, list(Group.objects.filter(pk__in=pk_set)))]
    kind = AuditEvent.Kind.PERMISSION_GRANTED if action == "post_add" else AuditEvent.Kind.PERMISSION_REVOKED
    for person, groups in pairs:
        if person.pk in _syncing.pks:
            continue  # the change is `_sync`'s own, and `_sync` logs it
        with transaction.atomic():
            for name in sorted(g.name for g in groups):
                key = "group" if name.startswith("unit:") else "role"
                audit.record(kind=kind, obj=person, comment=name, data={key: name, "person": person.username})
        _sync(person)


def _object_grant_changed(grant: Any, kind: str) -> None:
    """A single per-object grant made or withdrawn one by one (e.g. a decision entrusted to a Deputy).

    The unit-level grants that follow from a unit (`grant_unit_permissions`) are written as rows, not
    saved models, and so are not logged here: the unit's creation is.
    """
    holder: Any
    data = {
        "permission": grant.permission.codename,
        "object_type": grant.content_type.model,
        "object_id": grant.object_pk,
    }
    if isinstance(grant, UserObjectPermission):
        holder = grant.user
        data["person"] = holder.username
    else:
        holder = grant.group
        data["group"] = holder.name
    nomination = None
    if grant.content_type.model_class() is Nomination:
        nomination = Nomination.objects.filter(pk=grant.object_pk).first()
    with transaction.atomic():
        audit.record(
            kind=kind,
            obj=holder,
            nomination=nomination,
            comment=grant.permission.codename,
            data=data,
        )


@receiver(post_save, sender=UserObjectPermission)
@receiver(post_save, sender=GroupObjectPermission)
def object_grant_saved(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if created and not raw:
        _object_grant_changed(instance, AuditEvent.Kind.PERMISSION_GRANTED)


@receiver(post_delete, sender=UserObjectPermission)
@receiver(post_delete, sender=GroupObjectPermission)
def object_grant_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    _object_grant_changed(instance, AuditEvent.Kind.PERMISSION_REVOKED)


# Rules the engine applies (award rules and catalogue, deadlines, holidays): logged as rule changes.
_RULE_MODELS: tuple[type, ...] = (Award, AwardRule, BaseSalary, Deadline, Holiday)


@receiver(admin_changed)
def admin_change_recorded(
    sender: type,
    actor: Any,
    obj: Any,
    action: str,
    object_id: Any,
    object_repr: str,
    changes: dict[str, Any],
    **kwargs: Any,
) -> None:
    """An administrator's change in the Django admin (nominations/admin_audit.py), in its transaction."""
    kind = AuditEvent.Kind.RULE_CHANGED if issubclass(sender, _RULE_MODELS) else AuditEvent.Kind.ADMIN
    label = obj._meta.label_lower
    if action == "password_changed":
        comment = f"{label} {object_repr}: password changed"
    else:
        comment = f"{label} {object_repr}: {action}" + (f" ({', '.join(changes)})" if changes else "")
    audit.record(
        kind=kind,
        obj=obj,
        actor=actor,
        actor_role=Role.ADMINISTRATOR,
        transition_name=action,
        comment=comment[:1000],
        data={"model": label, "object": object_repr, "changes": changes},
    )
