"""Per-object grants with django-guardian: who may act on which nomination.

Grants go to groups, never to a person directly: the role groups of DOMAIN.md (office staff,
council secretary, Director, auditor) and, for the nominating unit, the group of that unit's heads.
When a unit head is replaced or someone leaves a role, only group membership changes (see
`sync_unit_head_groups`), so nobody keeps rights they no longer hold and nobody new waits for a grant.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models.constants import OnConflict
from guardian.models import GroupObjectPermission

from nominations.access import Perm
from nominations.models import Nomination, OrgUnit, Person, Role

# Which role holds which action on every nomination; the unit heads' group gets UNIT_HEAD_PERMS.
ROLE_PERMS: dict[str, tuple[str, ...]] = {
    Role.OFFICE_STAFF: (Perm.VIEW, Perm.REVIEW, Perm.SCHEDULE),
    Role.COUNCIL_SECRETARY: (Perm.VIEW, Perm.SCHEDULE, Perm.CLOSE_VOTE),
    Role.DIRECTOR: (Perm.VIEW, Perm.DECIDE),
    Role.AUDITOR: (Perm.VIEW,),
}
UNIT_HEAD_PERMS: tuple[str, ...] = (Perm.VIEW, Perm.CHANGE, Perm.SUBMIT)


@cache
def _permission_ids() -> dict[str, int]:
    content_type = ContentType.objects.get_for_model(Nomination)
    return dict(Permission.objects.filter(content_type=content_type).values_list("codename", "id"))


def forget_permission_ids(**kwargs: Any) -> None:
    """After a migrate or flush the permission rows may be new ones (new ids): read them again."""
    _permission_ids.cache_clear()


def _role_groups() -> dict[str, Group]:
    return {group.name: group for group in Group.objects.filter(name__in=list(ROLE_PERMS))}


def grant_nomination_permissions(nominations: list[Nomination]) -> int:
    """Grant every role its actions on these (new) nominations, in a few multi-row inserts.

    Written as plain rows, not model instances: an import of 2,000 nominations makes 26,000 grants, and
    building that many `GroupObjectPermission` objects cost seconds for nothing (issue 13's benchmark).
    """
    perm_ids = _permission_ids()
    content_type = ContentType.objects.get_for_model(Nomination)
    role_groups = _role_groups()
    head_groups: dict[int, int] = {}
    rows: list[tuple[int, int, str, int]] = []
    shared = [
        (role_groups[role].pk, perm_ids[p])
        for role, perms in ROLE_PERMS.items()
        if role in role_groups
        for p in perms
    ]
    for nomination in nominations:
        unit: OrgUnit = nomination.nominating_unit
        if unit.pk not in head_groups:
            head_groups[unit.pk] = unit.heads_group().pk
        pk = str(nomination.pk)
        rows.extend((perm_ids[p], content_type.pk, pk, head_groups[unit.pk]) for p in UNIT_HEAD_PERMS)
        rows.extend((perm, content_type.pk, pk, group) for group, perm in shared)
    _insert_grants(rows)
    return len(rows)


def _insert_grants(rows: list[tuple[int, int, str, int]]) -> None:
    """INSERT … ON CONFLICT DO NOTHING (SQLite: INSERT OR IGNORE), as bulk_create(ignore_conflicts=True)."""
    table = GroupObjectPermission._meta.db_table
    ops = connection.ops
    chunk = min(2000, (connection.features.max_query_params or 8000) // 4)
    head = ops.insert_statement(on_conflict=OnConflict.IGNORE)
    tail = ops.on_conflict_suffix_sql([], OnConflict.IGNORE, [], [])
    with connection.cursor() as cursor:
        for start in range(0, len(rows), chunk):
            part = rows[start : start + chunk]
            values = ", ".join(["(%s, %s, %s, %s)"] * len(part))
            cursor.execute(
                f"{head} {table} (permission_id, content_type_id, object_pk, group_id) VALUES {values} {tail}",
                [value for row in part for value in row],
            )


def expected_unit_head_groups(person: Person) -> set[str]:
    if person.is_active and person.unit_id is not None and person.has_role(Role.UNIT_HEAD):
        return {OrgUnit.objects.get(pk=person.unit_id).heads_group_name}
    return set()


def sync_unit_head_groups(person: Person) -> tuple[set[str], set[str]]:
    """Make the person's membership of unit-head groups match their unit and roles.

    Returns the group names added and removed, for the audit log.
    """
    person.forget_roles()
    current = set(person.groups.filter(name__startswith="unit:").values_list("name", flat=True))
    wanted = expected_unit_head_groups(person)
    added, removed = wanted - current, current - wanted
    for name in added:
        group, _ = Group.objects.get_or_create(name=name)
        person.groups.add(group)
    if removed:
        person.groups.remove(*Group.objects.filter(name__in=removed))
    return added, removed
