"""Who holds which right on a nomination: the one reader of rights.

A right is held at the level it applies to (issue 17), and read here at every level at once:
- **the agency**: a role that acts on every nomination (office staff, council secretary, Director,
  auditor — `AGENCY_ROLES`) holds its actions once, as permissions of its role group
  (`Group.permissions`). Only those groups are read: a global permission given to a person, or to any
  other group, admits nothing (django-fsm and `user.has_perm` would let one through);
- **the unit**: the nominating unit's heads hold theirs once per unit, as a django-guardian object
  permission of the unit's heads group on the `OrgUnit` (the same codenames, on the unit's content type:
  `view_nomination` on a unit = view that unit's nominations; `UNIT_LEVEL`);
- **the nomination**: a guardian grant on the nomination itself, only where that nomination really is the
  scope — a grant made to one person or one group on it (e.g. a Deputy entrusted with one decision).
Rights are granted by `workflow.rights.permissions`. This module only *reads* them, for every purpose: a
check (`holds`, `held_through`), a list (`filter_holding`, `codenames_held`), a task queue (`holding`),
the people a task or a notice goes to (`people_holding`), and the delegation an act was done under
(`delegation_acted_under`). The delegation rule (`DELEGABLE`, read with `delegations_live`) is applied
here and nowhere else, at every level alike. Superuser status is ignored as global grants are.

What a person holds is read once per person object, i.e. once per request (`_held`, one query): the
permissions held agency-wide, the units each is held on, and which are granted on single nominations at
all. The readers then build only the levels that can still answer (no sub-query for an agency-wide holder,
a literal unit list for a unit head, the per-nomination probe only where such a grant exists). Any change
of a right in this process (a grant, a membership, a group's permissions, a delegation: `watch_rights`)
makes every person object read theirs again, so a service that grants then checks sees the grant.
"""

from __future__ import annotations

import datetime
import functools
import itertools
import operator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.models import (
    BigIntegerField,
    BooleanField,
    CharField,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast
from django.db.models.lookups import In
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from guardian.models import GroupObjectPermission, UserObjectPermission

from nominations.models.org import OrgUnit, Role
from nominations.selectors.delegations import delegation_live_for, delegations_live

if TYPE_CHECKING:
    from django.db.models import Model


# --- what a person holds, read once per person object (issues 14 and 17) -------------------------------
_changes = itertools.count(1)
_generation = 0  # moved on by every change of a right in this process (`rights_changed`)
_HELD = "_access_held"  # on the person object: their `_Held`, for the rest of the request


def rights_changed(**kwargs: Any) -> None:
    """A right may have changed (a grant, a membership, a delegation): every person's rights are read again.

    Connected to the models' signals by `watch_rights`; call it after writing grants without them."""
    global _generation
    _generation = next(_changes)


def watch_rights() -> None:
    """Connect the signals of every model a right is read from, and let `Person.role_codes` read the roles
    with the rights (run once, from the app's `ready`)."""
    get_user_model().read_rights_with_roles = read_rights
    senders: list[type[Model]] = [
        GroupObjectPermission,
        UserObjectPermission,
        Group,
        apps.get_model("nominations", "Delegation"),
    ]
    for sender in senders:
        post_save.connect(rights_changed, sender=sender, dispatch_uid=f"access-save-{sender._meta.label}")
        post_delete.connect(rights_changed, sender=sender, dispatch_uid=f"access-delete-{sender._meta.label}")
    # Only these two through models: a receiver for every m2m would cost each `add` elsewhere a read
    # (Django adds without one only where nobody listens).
    for through in (get_user_model().groups.through, _GroupRight):
        m2m_changed.connect(rights_changed, sender=through, dispatch_uid=f"access-m2m-{through._meta.label}")


@dataclass
class _Held:
    """What one person holds on nominations, by level, with the groups it is held through."""

    generation: int
    agency: dict[str, set[str]] = field(default_factory=dict)  # codename → group names
    units: dict[str, dict[int, set[str]]] = field(default_factory=dict)  # codename → unit id → group names
    by_group: set[str] = field(default_factory=set)  # codenames a group of theirs holds on single nominations
    in_person: set[str] = field(default_factory=set)  # codenames granted to them on single nominations

    def unit_ids(self, codename: str) -> list[int]:
        return sorted(self.units.get(codename, {}))


def _held(user: Any) -> _Held:
    """What `user` holds on nominations at every level, read in one query and kept on this object until a
    right changes (`rights_changed`). Delegation is read as everywhere: a live delegation's lent group
    counts for the permissions it lends (`DELEGABLE`), and only for those."""
    held = _held_if_read(user)  # on the person (through `request.user`'s lazy wrapper)
    if held is not None:
        return held
    held = _Held(generation=_generation)
    rows = _held_rows(user)
    own = {group_name for kind, _codename, _pk, group_name in rows if kind == "member"}
    lent = any(kind == "lent" for kind, *_rest in rows)

    def counts(codename: str, group_name: str) -> bool:
        return group_name in own or (lent and DELEGABLE.get(codename) == group_name)

    for kind, codename, object_pk, group_name in rows:
        if kind in ("member", "lent") or (kind != "person" and not counts(codename, group_name)):
            continue
        if kind == "agency":
            held.agency.setdefault(codename, set()).add(group_name)
        elif kind == "unit":
            if codename in UNIT_LEVEL and str(object_pk).isdigit() and len(str(object_pk)) <= 18:
                held.units.setdefault(codename, {}).setdefault(int(object_pk), set()).add(group_name)
        elif kind == "group":
            held.by_group.add(codename)
        else:
            held.in_person.add(codename)
    setattr(user, _HELD, held)
    if hasattr(user, "forget_roles") and getattr(user, "_role_codes", None) is None:
        user._role_codes = own & set(Role.values)  # as `Person.role_codes` reads them
    return held


def _held_query(user: Any, at: datetime.datetime | None = None) -> QuerySet[Any]:
    """The one query of `_held`: the rows of every group `user` (a person or their id) may act through, at
    every level, with their own groups and whether a delegation to them is live at `at` (now by default).

    The groups read are their own and the lending ones (`DELEGABLE`) whether lent or not; `_held` keeps a
    lending group's rows only while the delegation is live, and only for what it lends. The delegation is
    read once, in its own arm, not inside each level's: PostgreSQL plans this statement on every request,
    and five copies of the delegation's joins made that planning 5–7 ms against 1–2 ms of execution."""
    nomination_type = ContentType.objects.get_for_model(_nomination_model())
    unit_type = ContentType.objects.get_for_model(OrgUnit)
    fields = ("level", "permission__codename", "object_pk", "group_name")
    lenders = sorted(set(DELEGABLE.values()))
    acting = Q(group_id__in=Group.objects.filter(Q(user=user) | Q(name__in=lenders)).values("pk"))

    def level(name: str) -> Value:
        return Value(name, output_field=CharField())

    agency = (
        _GroupRight.objects.filter(
            acting, group__name__in=AGENCY_ROLES, permission__content_type=nomination_type
        )
        .annotate(level=level("agency"), object_pk=level(""), group_name=F("group__name"))
        .values_list(*fields)
    )
    units = (
        GroupObjectPermission.objects.filter(
            acting, content_type=unit_type, permission__content_type=unit_type
        )
        .annotate(level=level("unit"), group_name=F("group__name"))
        .values_list(*fields)
    )
    single = (
        GroupObjectPermission.objects.filter(
            acting, content_type=nomination_type, permission__content_type=nomination_type
        )
        .annotate(level=level("group"), single_pk=level(""), group_name=F("group__name"))
        .values_list("level", "permission__codename", "single_pk", "group_name")
    )
    personal = (
        UserObjectPermission.objects.filter(
            user=user, content_type=nomination_type, permission__content_type=nomination_type
        )
        .annotate(level=level("person"), single_pk=level(""), group_name=level(""))
        .values_list("level", "permission__codename", "single_pk", "group_name")
    )
    # The person's own groups too, in the same query: their roles (`Person.role_codes`), which most pages
    # read anyway, need not be read again.
    member = (
        Group.objects.filter(user=user)
        .annotate(level=level("member"), codename=level(""), single_pk=level(""), group_name=F("name"))
        .values_list("level", "codename", "single_pk", "group_name")
    )
    delegated = (
        delegations_live(at=at)
        .filter(delegate=user)
        .order_by()
        .annotate(level=level("lent"), codename=level(""), single_pk=level(""), group_name=level(""))
        .values_list("level", "codename", "single_pk", "group_name")
    )
    return agency.union(units, single, personal, member, delegated)


# Stand-ins for the person and the moment in the compiled `_held_query`: values no real row has, found
# again among the statement's parameters and replaced there by the real ones.
_AS_USER = -7_340_211_913
_AS_AT = datetime.datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=datetime.UTC)
_USER_SLOT, _AT_SLOT, _AT_ADAPTED_SLOT = object(), object(), object()


@functools.cache
def _held_statement(alias: str, content_types: tuple[int, int]) -> tuple[str, tuple[Any, ...]]:
    """`_held_query` compiled once per database (and content-type ids, which it holds as literals).

    Building that query through the ORM cost ~11 ms of Python per person, on every page, for a query the
    database answers in ~0.3 ms (measured in session 7). The SQL does not depend on the person or the
    moment, only its parameters do: it is compiled with stand-ins, and each stand-in's parameter is marked
    as a slot to fill. A test checks the rows equal the ORM query's for every demo person."""
    del content_types  # part of the cache key only
    sql, params = _held_query(_AS_USER, _AS_AT).query.get_compiler(using=alias).as_sql()
    adapted = connections[alias].ops.adapt_datetimefield_value(_AS_AT)
    slots: list[Any] = []
    for param in params:
        if isinstance(param, int) and not isinstance(param, bool) and param == _AS_USER:
            slots.append(_USER_SLOT)
        elif isinstance(param, datetime.datetime) and param == _AS_AT:
            slots.append(_AT_SLOT)
        elif param == adapted and type(param) is type(adapted):
            slots.append(_AT_ADAPTED_SLOT)
        else:
            slots.append(param)
    if _USER_SLOT not in slots:
        raise RuntimeError("the rights query lost its person: `_held_query` changed shape")
    return sql, tuple(slots)


def _held_rows(user: Any) -> list[tuple[Any, ...]]:
    """The rows of `_held_query(user)`, through its compiled statement: one query."""
    alias = _GroupRight.objects.all().db
    content_types = (
        ContentType.objects.get_for_model(_nomination_model()).pk,
        ContentType.objects.get_for_model(OrgUnit).pk,
    )
    sql, slots = _held_statement(alias, content_types)
    now = timezone.now()
    connection = connections[alias]
    filled = {
        id(_USER_SLOT): user.pk,
        id(_AT_SLOT): now,
        id(_AT_ADAPTED_SLOT): connection.ops.adapt_datetimefield_value(now),
    }
    params = [filled.get(id(slot), slot) for slot in slots]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _held_if_read(user: Any) -> _Held | None:
    held = getattr(user, _HELD, None)
    return held if held is not None and held.generation == _generation else None


def read_rights(user: Any) -> None:
    """Read what `user` holds now, unless already read for this object (their roles come with it)."""
    _held(user)


def _active(user: Any) -> bool:
    return user is not None and user.is_authenticated and user.is_active


# Every row: a condition that is always true (an empty `Q()` would vanish from an OR).
ALWAYS = Q(Value(True, output_field=BooleanField()))
NOT_HELD = ~ALWAYS  # no row: what `holding_any` answers for a permission held at no level


class Perm:
    VIEW = "view_nomination"
    CHANGE = "change_nomination"
    SUBMIT = "submit_nomination"  # submit, resubmit, withdraw — the nominating unit's head
    REVIEW = "review_nomination"  # return, mark_ineligible, evaluate, hold, release, propose, record_outcome, report
    SCHEDULE = "schedule_nomination"  # schedule onto a council session
    CLOSE_VOTE = "close_vote_nomination"  # close the vote (council secretary)
    DECIDE = "decide_nomination"  # approve, decline, forward, revoke — the Director


# Which role acts on every nomination, and how: what its role group is given as group permissions (by
# `loaddemo`, and by the migration that moved the per-nomination rows). The reader does not read this
# table but the groups' permissions, and only those of these groups (`AGENCY_ROLES`): no other group's,
# and no person's, global permission admits anything.
ROLE_PERMS: dict[str, tuple[str, ...]] = {
    Role.OFFICE_STAFF: (Perm.VIEW, Perm.REVIEW, Perm.SCHEDULE),
    Role.COUNCIL_SECRETARY: (Perm.VIEW, Perm.SCHEDULE, Perm.CLOSE_VOTE),
    Role.DIRECTOR: (Perm.VIEW, Perm.DECIDE),
    Role.AUDITOR: (Perm.VIEW,),
}
AGENCY_ROLES: tuple[str, ...] = tuple(str(role) for role in ROLE_PERMS)
# The rights a group can hold on one unit's nominations (permissions of `OrgUnit`, same codenames): the
# unit heads' (`OrgUnit.heads_group`).
UNIT_LEVEL: tuple[str, ...] = (Perm.VIEW, Perm.CHANGE, Perm.SUBMIT)

# What a live delegation lends, and from whose rights: the decision step, and reading what it decides,
# as the Director's group holds them, at whatever level. A Deputy Director holding one holds these
# wherever the Director does; nothing else is lent (they do not review, schedule, vote or submit through it).
DELEGABLE: dict[str, str] = {Perm.DECIDE: Role.DIRECTOR, Perm.VIEW: Role.DIRECTOR}

_NOMINATION = "nominations.nomination"
# The group-permission rows (`auth_group_permissions`): the agency-wide level.
_GroupRight = Group.permissions.through


def _is_nomination(model: type[Model]) -> bool:
    return model._meta.label_lower == _NOMINATION


def _permission_pk(model: type[Model], codename: str) -> Subquery:
    """The permission's id as an uncorrelated sub-query: the database computes it once, and the grants are
    then read through guardian's (permission, group, content type, object) index — never by joining
    `auth_permission` per grant, which SQLite (no planner statistics) turned into a scan."""
    content_type = ContentType.objects.get_for_model(model)
    return Subquery(
        Permission.objects.filter(content_type=content_type, codename=codename).order_by().values("pk")[:1]
    )


def held_through_groups(
    user: Any,
    codename: str | None = None,
    *,
    among: tuple[str, ...] = (),
) -> Q:
    """A filter of rows with a `group` and a `permission` (guardian's `GroupObjectPermission`, or a group
    permission): those of the user's groups — plus, for a delegable permission, the lending group's while
    the user holds a live delegation. `codename=None` means every permission; `among` keeps only the
    groups of those names. Use it wherever group rights are read, so delegation holds at every level; the
    one exception is `_held_query`, which reads the delegation once for all its levels and leaves the same
    rule to `_held`.

    The groups are an uncorrelated sub-query (computed once), not a join per grant row."""
    named = Q(name__in=among) if among else Q()
    own = Q(user=user)
    lent = [(c, g) for c, g in DELEGABLE.items() if codename is None or c == codename]
    if not lent:
        return Q(group_id__in=Group.objects.filter(own, named).values("pk"))
    live = Q(Exists(delegations_live().filter(delegate=user)))
    if codename is not None:
        # One list of groups (one index probe per grant read), not an OR of two lists (a scan).
        (_lent_codename, group_name) = lent[0]
        return Q(group_id__in=Group.objects.filter(own | (Q(name=group_name) & live), named).values("pk"))
    # Every permission: the one list of every group the user may act through (an index probe), then,
    # among those rows, a lending group's only for the permissions it lends.
    acting = Group.objects.filter(own | (Q(name__in=[g for _c, g in lent]) & live), named).values("pk")
    precise = Q(group_id__in=Group.objects.filter(own, named).values("pk"))
    for lent_codename, group_name in lent:
        precise |= Q(group__name=group_name, permission__codename=lent_codename)
    return Q(group_id__in=acting) & precise


def _agency_rights(user: Any, codename: str) -> QuerySet[Any]:
    """The group permissions through which `user` holds `codename` on every nomination."""
    return _GroupRight.objects.filter(
        held_through_groups(user, codename, among=AGENCY_ROLES),
        permission_id=_permission_pk(_nomination_model(), codename),
    )


def _unit_rights(user: Any, codename: str) -> QuerySet[Any] | None:
    """The unit-level grants through which `user` holds `codename` on the units' nominations (None: no such
    right is held per unit)."""
    if codename not in UNIT_LEVEL:
        return None
    return GroupObjectPermission.objects.filter(
        held_through_groups(user, codename),
        content_type=ContentType.objects.get_for_model(OrgUnit),
        permission_id=_permission_pk(OrgUnit, codename),
    )


class _TextToId(Func):
    """A pk stored as text (guardian's `object_pk`, viewflow's `owner_permission_obj_pk`) as an integer, to
    compare with an integer key through its index. PostgreSQL refuses to cast text that is not a number,
    so there a non-numeric text becomes NULL (SQLite's CAST never fails)."""

    output_field = BigIntegerField()
    template = "CAST(%(expressions)s AS integer)"

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(CASE WHEN {sql} ~ '^[0-9]{{1,18}}$' THEN CAST({sql} AS bigint) END)", [*params, *params]


def _nomination_model() -> type[Model]:
    """The model by name: it imports this module."""
    return apps.get_model("nominations", "Nomination")


def _grants(model: type[Model], codename: str, user: Any) -> tuple[QuerySet[Any], QuerySet[Any]]:
    """The grants on single objects of `model`: to the user's groups (and a lending group's), in person."""
    content_type = ContentType.objects.get_for_model(model)
    permission = _permission_pk(model, codename)
    by_group = GroupObjectPermission.objects.filter(
        held_through_groups(user, codename), content_type=content_type, permission_id=permission
    )
    by_user = UserObjectPermission.objects.filter(
        content_type=content_type, permission_id=permission, user=user
    )
    return by_group, by_user


# What `held_through` answers for a grant made to the user in person rather than through a group.
IN_PERSON = ""


def held_through(user: Any, codename: str, obj: Model) -> list[str]:
    """The names of the groups through which `user` holds `codename` on this very object: a role group
    (agency-wide), the unit's heads group (on the nominating unit), or a group granted it on the object.

    Empty when they do not hold it; `[IN_PERSON]` when only a grant to the user in person gives it.
    One query when a group holds it (the usual case), two otherwise.
    """
    if not _active(user):
        return []
    if _is_nomination(type(obj)):
        return _held_through_nomination(user, codename, obj)
    by_group, by_user = _grants(type(obj), codename, user)
    object_pk = str(obj.pk)
    found = list(by_group.filter(object_pk=object_pk).values_list("group__name", flat=True))
    if not found and by_user.filter(object_pk=object_pk).exists():
        found = [IN_PERSON]
    return sorted(set(found))


def _held_through_nomination(user: Any, codename: str, obj: Model) -> list[str]:
    """`held_through` for a nomination, from what the person holds (`_held`): no query when a group holds it
    agency-wide or on the nominating unit, one per level of single grants the person has at all."""
    held = _held(user)
    found = set(held.agency.get(codename, set()))
    found |= held.units.get(codename, {}).get(obj.nominating_unit_id, set())  # type: ignore[attr-defined]
    by_group, by_user = _grants(type(obj), codename, user)
    object_pk = str(obj.pk)
    if codename in held.by_group:
        found |= set(by_group.filter(object_pk=object_pk).values_list("group__name", flat=True))
    if not found and codename in held.in_person and by_user.filter(object_pk=object_pk).exists():
        found = {IN_PERSON}
    return sorted(found)


def holds(user: Any, codename: str, obj: Model) -> bool:
    """True when `user` holds `codename` on this very object, at any level, through a group or in person."""
    return bool(held_through(user, codename, obj))


def filter_holding(queryset: QuerySet[Any], user: Any, codename: str) -> QuerySet[Any]:
    """The rows of `queryset` on which `user` holds `codename`.

    For nominations the person's rights are read first (`_held`: one compiled query, once per request, and
    their roles come with it), then only the levels that can answer are built: every row when a role group
    of the user holds it agency-wide, the rows of the units the user's groups hold it on
    (`nominating_unit_id IN (…)` with the ids as literals, through its index), and the rows granted one by
    one only when such grants exist. Building those as ORM subqueries instead, for a person not read yet,
    cost ~8 ms of Python on every list page for the one query it saved (bench/NOTES.md).

    The form of the single-grant arms depends on the database, each chosen from its planner's behaviour at
    100k nominations (docs/performance.md). PostgreSQL: a correlated EXISTS per row, which it runs as a
    hashed sub-plan for a list and as one index probe for a single row. SQLite has no statistics (Django
    never runs ANALYZE) and plans that EXISTS with the content-type index alone, scanning every grant for
    every row; there the grants are read once instead, `pk IN (the user's grants)`.
    """
    if not _active(user):
        return queryset.none()
    if not _is_nomination(queryset.model):
        group_arm, person_arm = _single_arms(queryset, user, codename)
        return queryset.filter(group_arm | person_arm)
    held = _held(user)
    if codename in held.agency:
        return queryset.all()
    arms = []
    if held.units.get(codename):
        arms.append(Q(nominating_unit_id__in=held.unit_ids(codename)))
    if codename in held.by_group or codename in held.in_person:
        group_arm, person_arm = _single_arms(queryset, user, codename)
        if codename in held.by_group:
            arms.append(group_arm)
        if codename in held.in_person:
            arms.append(person_arm)
    if not arms:
        return queryset.none()
    return queryset.filter(functools.reduce(operator.or_, arms))


def _single_arms(queryset: QuerySet[Any], user: Any, codename: str) -> tuple[Q, Q]:
    """The conditions "granted to one of the user's groups on this row" and "granted to the user in person
    on this row", in the form `filter_holding` says each database plans best."""
    by_group, by_user = _grants(queryset.model, codename, user)
    if connections[queryset.db].vendor == "sqlite":
        pk_text = Cast("pk", output_field=CharField())
        return Q(In(pk_text, by_group.values("object_pk"))), Q(In(pk_text, by_user.values("object_pk")))
    outer_pk_text = Cast(OuterRef("pk"), output_field=CharField())
    return (
        Q(Exists(by_group.filter(object_pk=outer_pk_text))),
        Q(Exists(by_user.filter(object_pk=outer_pk_text))),
    )


def holding(user: Any, codename: str, model: type[Model], object_pk: Any) -> Q:
    """A condition: `user` holds `codename` on the `model` row whose pk, as text, is `object_pk` (an
    expression such as `OuterRef("owner_permission_obj_pk")`) — at any level, through a group, a live
    delegation or in person; never a global permission.

    Written for a short candidate list (the open tasks of a queue): a correlated EXISTS per candidate,
    with the permission and the user's groups as uncorrelated sub-queries that both databases compute
    once, so every probe is one lookup in an index. Joining the permission or the group inside the EXISTS
    instead made SQLite, which has no planner statistics, scan the grants per candidate.
    """
    if not _is_nomination(model):
        by_group, by_user = _grants(model, codename, user)
        return Q(Exists(by_group.filter(object_pk=object_pk))) | Q(
            Exists(by_user.filter(object_pk=object_pk))
        )
    return holding_any(user, [codename], model, object_pk)[codename]


def holding_any(user: Any, codenames: list[str], model: type[Model], object_pk: Any) -> dict[str, Q]:
    """`holding` for several permissions of nominations at once: codename → its condition, built from what
    the person holds (`_held`), each only of the levels that can still answer — `ALWAYS` for a permission
    held agency-wide, a probe of the nomination's unit against a literal list of units, the per-nomination
    probes only for a permission the person or their groups hold on some single nomination. Permissions
    held on the same units share one condition (the same `Q`), so a caller can OR them as one."""
    conditions: dict[str, Q] = {}
    if not _active(user):
        return dict.fromkeys(codenames, NOT_HELD)
    held = _held(user)
    on_units: dict[tuple[int, ...], Q] = {}
    for codename in codenames:
        if codename in held.agency:
            conditions[codename] = ALWAYS
            continue
        arms = []
        units = tuple(held.unit_ids(codename))
        if units:
            if units not in on_units:
                in_units = model._default_manager.filter(
                    pk=_TextToId(object_pk), nominating_unit_id__in=units
                )
                on_units[units] = Q(Exists(in_units))
            arms.append(on_units[units])
        by_group, by_user = _grants(model, codename, user)
        if codename in held.by_group:
            arms.append(Q(Exists(by_group.filter(object_pk=object_pk))))
        if codename in held.in_person:
            arms.append(Q(Exists(by_user.filter(object_pk=object_pk))))
        condition = arms[0] if arms else NOT_HELD
        for arm in arms[1:]:
            condition = condition | arm
        conditions[codename] = condition
    return conditions


def codenames_held(user: Any, objects: list[Any]) -> dict[str, set[str]]:
    """For many objects of one model at once: str(pk) → the codenames `user` holds on it, in one query.

    The same rights `holds` reads (at every level, through a group or in person, never global), so a list
    can tell what the caller may do on each row without one query per row.
    """
    if not objects or not _active(user):
        return {}
    model = type(objects[0])
    if _is_nomination(model):
        return _codenames_held_nominations(user, objects)
    content_type = ContentType.objects.get_for_model(model)
    pks = [str(obj.pk) for obj in objects]
    fields = ("level", "object_pk", "permission__codename")
    by_object = Value("object", output_field=CharField())
    rows = (
        GroupObjectPermission.objects.filter(
            held_through_groups(user), content_type=content_type, object_pk__in=pks
        )
        .annotate(level=by_object)
        .values_list(*fields)
    )
    by_user = (
        UserObjectPermission.objects.filter(content_type=content_type, user=user, object_pk__in=pks)
        .annotate(level=by_object)
        .values_list(*fields)
    )
    levels: list[QuerySet[Any]] = [by_user]
    if _is_nomination(model):
        units = sorted({str(obj.nominating_unit_id) for obj in objects})
        levels.append(
            GroupObjectPermission.objects.filter(
                held_through_groups(user),
                content_type=ContentType.objects.get_for_model(OrgUnit),
                object_pk__in=units,
            )
            .annotate(level=Value("unit", output_field=CharField()))
            .values_list(*fields)
        )
        levels.append(
            _GroupRight.objects.filter(
                held_through_groups(user, among=AGENCY_ROLES), permission__content_type=content_type
            )
            .annotate(level=Value("agency", output_field=CharField()), object_pk=Value("", CharField()))
            .values_list(*fields)
        )
    found: dict[str, dict[str, set[str]]] = {"object": {}, "unit": {}, "agency": {}}
    for level, object_pk, codename in rows.union(*levels):
        found[level].setdefault(object_pk, set()).add(codename)
    everywhere = found["agency"].get("", set())
    held: dict[str, set[str]] = {}
    for obj in objects:
        codenames = everywhere | found["object"].get(str(obj.pk), set())
        if _is_nomination(model):
            codenames = codenames | found["unit"].get(str(obj.nominating_unit_id), set())
        if codenames:
            held[str(obj.pk)] = codenames
    return held


def _codenames_held_nominations(user: Any, objects: list[Any]) -> dict[str, set[str]]:
    """`codenames_held` for nominations, from what the person holds (`_held`): no query unless the person or
    their groups hold some right on single nominations (then one, for those objects)."""
    held = _held(user)
    everywhere = set(held.agency)
    single: dict[str, set[str]] = {}
    if held.by_group or held.in_person:
        content_type = ContentType.objects.get_for_model(type(objects[0]))
        pks = [str(obj.pk) for obj in objects]
        fields = ("object_pk", "permission__codename")
        rows = GroupObjectPermission.objects.filter(
            held_through_groups(user), content_type=content_type, object_pk__in=pks
        ).values_list(*fields)
        by_user = UserObjectPermission.objects.filter(
            content_type=content_type, user=user, object_pk__in=pks
        ).values_list(*fields)
        for object_pk, codename in rows.union(by_user):
            single.setdefault(object_pk, set()).add(codename)
    found: dict[str, set[str]] = {}
    for obj in objects:
        codenames = everywhere | single.get(str(obj.pk), set())
        codenames |= {c for c, units in held.units.items() if obj.nominating_unit_id in units}
        if codenames:
            found[str(obj.pk)] = codenames
    return found


def _groups_holding(codename: str, obj: Model) -> QuerySet[Any]:
    """The groups holding `codename` on this object, at any level (delegation aside)."""
    content_type = ContentType.objects.get_for_model(type(obj))
    object_pk = str(obj.pk)
    on_object = GroupObjectPermission.objects.filter(
        permission_id=_permission_pk(type(obj), codename), content_type=content_type, object_pk=object_pk
    ).values("group_id")
    held = Q(pk__in=on_object)
    if _is_nomination(type(obj)):
        agency = _GroupRight.objects.filter(permission_id=_permission_pk(type(obj), codename))
        held |= Q(pk__in=agency.values("group_id"), name__in=AGENCY_ROLES)
        if codename in UNIT_LEVEL:
            on_unit = GroupObjectPermission.objects.filter(
                permission_id=_permission_pk(OrgUnit, codename),
                content_type=ContentType.objects.get_for_model(OrgUnit),
                object_pk=str(obj.nominating_unit_id),  # type: ignore[attr-defined]
            )
            held |= Q(pk__in=on_unit.values("group_id"))
    return Group.objects.filter(held)


def people_holding(codename: str, obj: Model) -> QuerySet[Any]:
    """The active people who hold `codename` on this object — the same rights `holds` reads, seen from the
    object: through a group at any level, as a Deputy under a live delegation wherever the lending group
    holds it, or in person. For routing a task, reminding of it, and telling people of a step."""
    content_type = ContentType.objects.get_for_model(type(obj))
    groups = _groups_holding(codename, obj)
    held = Q(groups__in=groups.values("pk")) | Q(
        pk__in=UserObjectPermission.objects.filter(
            permission_id=_permission_pk(type(obj), codename),
            content_type=content_type,
            object_pk=str(obj.pk),
        ).values("user_id")
    )
    lending_group = DELEGABLE.get(codename)
    if lending_group is not None:
        lent = Exists(groups.filter(name=lending_group))
        held |= Q(pk__in=delegations_live().filter(lent).values("delegate_id"))
    return get_user_model().objects.filter(held, is_active=True).distinct()


def delegation_acted_under(actor: Any, codename: str) -> Any:
    """The live delegation through which `actor` holds `codename`, or None: a permission the Director
    lends, used by someone who is not themselves of the lending role (`holds` let them through)."""
    lending_group = DELEGABLE.get(codename)
    if lending_group is None or actor.has_role(lending_group):
        return None
    return delegation_live_for(user=actor)


# --- batches: the same readers for many objects of one model at once (issue #17) ----------------------
def held_through_each(user: Any, codename: str, objects: list[Any]) -> dict[str, list[str]]:
    """`held_through` for many objects of one model: str(pk) → what it would answer for that object, at
    every level (a role group agency-wide, the unit's groups on the nominating unit, a group on the object,
    in person), in a few queries whatever the number of objects. An object on which `user` does not hold
    `codename` is absent."""
    if not objects or user is None or not user.is_authenticated or not user.is_active:
        return {}
    model = type(objects[0])
    by_group, by_user = _grants(model, codename, user)
    pks = [str(obj.pk) for obj in objects]
    names: dict[str, set[str]] = {pk: set() for pk in pks}
    for object_pk, name in by_group.filter(object_pk__in=pks).values_list("object_pk", "group__name"):
        names[object_pk].add(name)
    if _is_nomination(model):
        everywhere = set(_agency_rights(user, codename).values_list("group__name", flat=True))
        on_unit: dict[str, set[str]] = {}
        unit_rights = _unit_rights(user, codename)
        if unit_rights is not None:
            units = sorted({str(obj.nominating_unit_id) for obj in objects})
            for unit_pk, name in unit_rights.filter(object_pk__in=units).values_list(
                "object_pk", "group__name"
            ):
                on_unit.setdefault(unit_pk, set()).add(name)
        for obj in objects:
            names[str(obj.pk)] |= everywhere | on_unit.get(str(obj.nominating_unit_id), set())
    without = [pk for pk in pks if not names[pk]]
    if without:
        for object_pk in by_user.filter(object_pk__in=without).values_list("object_pk", flat=True):
            names[object_pk] = {IN_PERSON}
    return {pk: sorted(held) for pk, held in names.items() if held}


def people_holding_each(codename: str, objects: list[Any]) -> dict[str, list[Any]]:
    """`people_holding` for many objects of one model: str(pk) → the active people holding `codename` on
    it, by the same rights (a group at any level, a Deputy under a live delegation where the lending group
    holds it, in person), in a few queries whatever the number of objects."""
    if not objects:
        return {}
    model = type(objects[0])
    content_type = ContentType.objects.get_for_model(model)
    permission = _permission_pk(model, codename)
    pks = [str(obj.pk) for obj in objects]
    # (object pk, group id, group name) for every group holding it on each object, at every level.
    group_grants = list(
        GroupObjectPermission.objects.filter(
            permission_id=permission, content_type=content_type, object_pk__in=pks
        ).values_list("object_pk", "group_id", "group__name")
    )
    if _is_nomination(model):
        agency = list(
            _GroupRight.objects.filter(permission_id=permission, group__name__in=AGENCY_ROLES).values_list(
                "group_id", "group__name"
            )
        )
        on_unit: dict[str, list[tuple[int, str]]] = {}
        if codename in UNIT_LEVEL:
            units = sorted({str(obj.nominating_unit_id) for obj in objects})
            for unit_pk, group_id, name in GroupObjectPermission.objects.filter(
                permission_id=_permission_pk(OrgUnit, codename),
                content_type=ContentType.objects.get_for_model(OrgUnit),
                object_pk__in=units,
            ).values_list("object_pk", "group_id", "group__name"):
                on_unit.setdefault(unit_pk, []).append((group_id, name))
        for obj in objects:
            for group_id, name in [*agency, *on_unit.get(str(obj.nominating_unit_id), [])]:
                group_grants.append((str(obj.pk), group_id, name))
    user_grants = list(
        UserObjectPermission.objects.filter(
            permission_id=permission, content_type=content_type, object_pk__in=pks
        ).values_list("object_pk", "user_id")
    )
    people = get_user_model()
    members: dict[int, set[int]] = {}
    for group_id, person_id in people.groups.through.objects.filter(
        group_id__in={group_id for _pk, group_id, _name in group_grants}
    ).values_list("group_id", people.groups.field.m2m_field_name() + "_id"):
        members.setdefault(group_id, set()).add(person_id)
    lending_group = DELEGABLE.get(codename)
    delegates: set[int] = set()
    if lending_group is not None and any(name == lending_group for _pk, _g, name in group_grants):
        delegates = set(delegations_live().values_list("delegate_id", flat=True))
    held: dict[str, set[int]] = {pk: set() for pk in pks}
    for object_pk, group_id, name in group_grants:
        held[object_pk] |= members.get(group_id, set())
        if name == lending_group:
            held[object_pk] |= delegates
    for object_pk, user_id in user_grants:
        held[object_pk].add(user_id)
    active = people.objects.filter(is_active=True).in_bulk(set().union(*held.values()))
    return {pk: [active[i] for i in sorted(ids) if i in active] for pk, ids in held.items()}
