"""Rights granted at the level they apply to (issue 17): who may act on which nomination.

Rights go to groups, never to a person directly:
- a role that acts on every nomination holds its actions once, as permissions of its role group
  (`nominations.access.ROLE_PERMS`; given by `loaddemo` and the migration that moved the per-nomination
  rows, changed in the admin's group page like any group permission);
- a unit's heads hold `UNIT_HEAD_PERMS` on their unit's nominations once, as a guardian object permission of
  the unit's heads group on the `OrgUnit` (`grant_unit_permissions`, run whenever a unit is saved);
- a nomination carries a grant of its own only where it really is the scope (a right entrusted to one
  person or group on that nomination); creating a nomination writes none.
When a unit head is replaced or someone leaves a role, only group membership changes (see
`sync_unit_head_groups`), so nobody keeps rights they no longer hold and nobody new waits for a grant.
`nominations.access` reads them all.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models.constants import OnConflict
from guardian.models import GroupObjectPermission

from nominations.access import UNIT_LEVEL, rights_changed
from nominations.models import OrgUnit, Person, Role

# What the unit heads' group holds on its unit's nominations (the agency-wide roles' table,
# `nominations.access.ROLE_PERMS`, is beside the reader: `loaddemo` gives it too).
UNIT_HEAD_PERMS: tuple[str, ...] = UNIT_LEVEL


@cache
def _permission_ids() -> dict[str, int]:
    """The ids of the unit-level permissions (`OrgUnit`'s, named as the nomination's)."""
    content_type = ContentType.objects.get_for_model(OrgUnit)
    return dict(
        Permission.objects.filter(content_type=content_type, codename__in=UNIT_HEAD_PERMS).values_list(
            "codename", "id"
        )
    )


def forget_permission_ids(**kwargs: Any) -> None:
    """After a migrate or flush the permission rows may be new ones (new ids): read them again."""
    _permission_ids.cache_clear()


def grant_unit_permissions(units: list[OrgUnit]) -> int:
    """Let each unit's heads group hold UNIT_HEAD_PERMS on the unit's nominations (idempotent).

    Plain rows in one multi-row INSERT that ignores the rows already there, not model saves: a grant
    saved as a model is logged as a single grant (`signals.object_grant_changed`), and these follow from
    the unit itself, whose creation is logged.
    """
    perm_ids = _permission_ids()
    if len(perm_ids) < len(UNIT_HEAD_PERMS):  # read before the permissions were made (a fresh migrate)
        forget_permission_ids()
        perm_ids = _permission_ids()
    content_type = ContentType.objects.get_for_model(OrgUnit)
    rows = [
        (perm_ids[p], content_type.pk, str(unit.pk), unit.heads_group().pk)
        for unit in units
        for p in UNIT_HEAD_PERMS
    ]
    _insert_grants(rows)
    rights_changed()  # plain rows, no signal: the people's rights read so far are read again
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
