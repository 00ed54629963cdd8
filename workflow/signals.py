"""Keep per-object rights right when people change: a unit head replaced, someone leaving a role."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models.signals import m2m_changed, post_migrate, post_save
from django.dispatch import receiver

from nominations.models import Person
from workflow import audit
from workflow.models import AuditEvent
from workflow.permissions import _permission_ids, sync_unit_head_groups

_syncing: set[int] = set()


def _sync(person: Person) -> None:
    if person.pk in _syncing:
        return
    _syncing.add(person.pk)
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
        _syncing.discard(person.pk)


@receiver(post_save, sender=Person)
def person_saved(sender: type[Person], instance: Person, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        _sync(instance)


@receiver(m2m_changed, sender=Person.groups.through)
def person_groups_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    """Roles are groups: log every role granted or revoked, then re-derive the unit-head grants."""
    if action not in {"post_add", "post_remove"} or not pk_set:
        return
    if reverse:  # group.user_set.add(person, ...)
        pairs = [(person, [instance]) for person in Person.objects.filter(pk__in=pk_set)]
    else:  # person.groups.add(group, ...)
        pairs = [(instance, list(Group.objects.filter(pk__in=pk_set)))]
    kind = AuditEvent.Kind.PERMISSION_GRANTED if action == "post_add" else AuditEvent.Kind.PERMISSION_REVOKED
    for person, groups in pairs:
        roles = sorted(g.name for g in groups if not g.name.startswith("unit:"))
        if roles:
            with transaction.atomic():
                for role in roles:
                    audit.record(
                        kind=kind, obj=person, comment=role, data={"role": role, "person": person.username}
                    )
        _sync(person)


@receiver(post_migrate)
def forget_permission_ids(sender: Any, **kwargs: Any) -> None:
    """Permission rows get new ids after a flush (e.g. between transactional tests): drop the cached ids."""
    _permission_ids.cache_clear()
