"""Who holds which per-object permission on a nomination: the one reader of rights.

The permissions are named after actions and granted per object with django-guardian (the grants are
made by `workflow.rights.permissions`). This module only *reads* them, for every purpose: a check (`holds`,
`held_through`), a list (`filter_holding`, `codenames_held`), a task queue (`holding`), the people a task
or a notice goes to (`people_holding`), and the delegation an act was done under (`delegation_acted_under`).
The delegation rule (`DELEGABLE`, read with `delegations_live`) is applied here and nowhere else. It deliberately ignores global
permissions and superuser status: django-fsm would fall back to a global permission when the object
check fails, and a global grant would silently bypass the per-unit rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast
from django.db.models.lookups import In
from guardian.models import GroupObjectPermission, UserObjectPermission

from nominations.selectors.delegations import delegation_live_for, delegations_live

if TYPE_CHECKING:
    from django.db.models import Model


class Perm:
    VIEW = "view_nomination"
    CHANGE = "change_nomination"
    SUBMIT = "submit_nomination"  # submit, resubmit, withdraw — the nominating unit's head
    REVIEW = "review_nomination"  # return, mark_ineligible, evaluate, hold, release, propose, record_outcome, report
    SCHEDULE = "schedule_nomination"  # schedule onto a council session
    CLOSE_VOTE = "close_vote_nomination"  # close the vote (council secretary)
    DECIDE = "decide_nomination"  # approve, decline, forward, revoke — the Director


# What a live delegation lends, and from whose grants: the decision step, and reading what it decides,
# as the Director holds them (the group named by Role.DIRECTOR — a string here because the models
# import this module). A Deputy Director holding one holds these wherever the Director does; nothing
# else is lent (they do not review, schedule, vote or submit through it).
DELEGABLE: dict[str, str] = {Perm.DECIDE: "director", Perm.VIEW: "director"}


def _permission_pk(model: type[Model], codename: str) -> Subquery:
    """The permission's id as an uncorrelated sub-query: the database computes it once, and the grants are
    then read through guardian's (permission, group, content type, object) index — never by joining
    `auth_permission` per grant, which SQLite (no planner statistics) turned into a scan."""
    content_type = ContentType.objects.get_for_model(model)
    return Subquery(
        Permission.objects.filter(content_type=content_type, codename=codename).order_by().values("pk")[:1]
    )


def held_through_groups(user: Any, codename: str | None = None) -> Q:
    """A filter of `GroupObjectPermission` rows: grants to the user's groups — plus, for a delegable
    permission, the lending group's grants while the user holds a live delegation. `codename=None`
    means every permission. Use it wherever group grants are read, so delegation holds everywhere.

    The groups are an uncorrelated sub-query (computed once), not a join per grant row."""
    own = Q(user=user)
    lent = [(c, g) for c, g in DELEGABLE.items() if codename is None or c == codename]
    if not lent:
        return Q(group_id__in=Group.objects.filter(own).values("pk"))
    live = Q(Exists(delegations_live().filter(delegate=user)))
    if codename is not None:
        # One list of groups (one index probe per grant read), not an OR of two lists (a scan).
        (_lent_codename, group_name) = lent[0]
        return Q(group_id__in=Group.objects.filter(own | (Q(name=group_name) & live)).values("pk"))
    # Every permission: the one list of every group the user may act through (an index probe), then,
    # among those rows, a lending group's only for the permissions it lends.
    acting = Group.objects.filter(own | (Q(name__in=[g for _c, g in lent]) & live)).values("pk")
    precise = Q(group_id__in=Group.objects.filter(own).values("pk"))
    for lent_codename, group_name in lent:
        precise |= Q(group__name=group_name, permission__codename=lent_codename)
    return Q(group_id__in=acting) & precise


def _grants(model: type[Model], codename: str, user: Any) -> tuple[QuerySet[Any], QuerySet[Any]]:
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
    """The names of the groups through which `user` holds `codename` on this very object.

    Empty when they do not hold it; `[IN_PERSON]` when only a grant to the user in person gives it.
    One query when a group grants it (the usual case), two otherwise.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    by_group, by_user = _grants(type(obj), codename, user)
    object_pk = str(obj.pk)
    names = list(by_group.filter(object_pk=object_pk).values_list("group__name", flat=True))
    if not names and by_user.filter(object_pk=object_pk).exists():
        names = [IN_PERSON]
    return sorted(set(names))


def holds(user: Any, codename: str, obj: Model) -> bool:
    """True when `user` holds `codename` on this very object, through a group or in person."""
    return bool(held_through(user, codename, obj))


def filter_holding(queryset: QuerySet[Any], user: Any, codename: str) -> QuerySet[Any]:
    """The rows of `queryset` on which `user` holds `codename`, in one SQL query.

    The form depends on the database, each chosen from its planner's behaviour at 100k nominations
    (docs/performance.md). PostgreSQL: a correlated EXISTS per row, which it runs as a hashed sub-plan
    for a list and as one index probe for a single row. SQLite has no statistics (Django never runs
    ANALYZE) and plans that EXISTS with the content-type index alone, scanning every grant for every
    row — 83 s for the home page's counts at 6,500 nominations; there the grants are read once instead,
    `pk IN (the user's grants)` — 40 ms.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    by_group, by_user = _grants(queryset.model, codename, user)
    if connections[queryset.db].vendor == "sqlite":
        pk_text = Cast("pk", output_field=CharField())
        return queryset.filter(
            Q(In(pk_text, by_group.values("object_pk"))) | Q(In(pk_text, by_user.values("object_pk")))
        )
    outer_pk_text = Cast(OuterRef("pk"), output_field=CharField())
    return queryset.filter(
        Q(Exists(by_group.filter(object_pk=outer_pk_text)))
        | Q(Exists(by_user.filter(object_pk=outer_pk_text)))
    )


def holding(user: Any, codename: str, model: type[Model], object_pk: Any) -> Q:
    """A condition: `user` holds `codename` on the `model` row whose pk, as text, is `object_pk` (an
    expression such as `OuterRef("owner_permission_obj_pk")`) — through a group, a live delegation
    or in person; never a global permission.

    Written for a short candidate list (the open tasks of a queue): a correlated EXISTS per candidate,
    with the permission and the user's groups as uncorrelated sub-queries that both databases compute
    once, so every probe is one lookup in guardian's (permission, group, content type, object) index.
    Joining the permission or the group inside the EXISTS instead made SQLite, which has no planner
    statistics, scan the grants per candidate (0.5 s for a queue count at 10k nominations, against 10 ms).
    """
    by_group, by_user = _grants(model, codename, user)
    by_group, by_user = by_group.filter(object_pk=object_pk), by_user.filter(object_pk=object_pk)
    return Q(Exists(by_group)) | Q(Exists(by_user))


def codenames_held(user: Any, objects: list[Any]) -> dict[str, set[str]]:
    """For many objects of one model at once: str(pk) → the codenames `user` holds on it, in one query.

    The same grants `holds` reads (through a group or in person, never global), so a list can tell what
    the caller may do on each row without one query per row.
    """
    if not objects or user is None or not user.is_authenticated or not user.is_active:
        return {}
    content_type = ContentType.objects.get_for_model(type(objects[0]))
    pks = [str(obj.pk) for obj in objects]
    fields = ("object_pk", "permission__codename")
    by_group = GroupObjectPermission.objects.filter(
        held_through_groups(user), content_type=content_type, object_pk__in=pks
    ).values_list(*fields)
    by_user = UserObjectPermission.objects.filter(
        content_type=content_type, user=user, object_pk__in=pks
    ).values_list(*fields)
    held: dict[str, set[str]] = {}
    for object_pk, codename in by_group.union(by_user):
        held.setdefault(object_pk, set()).add(codename)
    return held


def people_holding(codename: str, obj: Model) -> QuerySet[Any]:
    """The active people who hold `codename` on this object — the same grants `holds` reads, seen from the
    object: through a group, as a Deputy under a live delegation wherever the lending group holds it, or in
    person. For routing a task, reminding of it, and telling people of a step."""
    content_type = ContentType.objects.get_for_model(type(obj))
    permission = _permission_pk(type(obj), codename)
    object_pk = str(obj.pk)
    group_ids = GroupObjectPermission.objects.filter(
        permission_id=permission, content_type=content_type, object_pk=object_pk
    ).values("group_id")
    held = Q(groups__in=group_ids) | Q(
        pk__in=UserObjectPermission.objects.filter(
            permission_id=permission, content_type=content_type, object_pk=object_pk
        ).values("user_id")
    )
    lending_group = DELEGABLE.get(codename)
    if lending_group is not None:
        lent = Exists(group_ids.filter(group__name=lending_group))
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
    """`held_through` for many objects of one model: str(pk) → what it would answer for that object,
    in two queries at most (the group grants of all, then the grants in person of those without one).
    An object on which `user` does not hold `codename` is absent."""
    if not objects or user is None or not user.is_authenticated or not user.is_active:
        return {}
    by_group, by_user = _grants(type(objects[0]), codename, user)
    pks = [str(obj.pk) for obj in objects]
    names: dict[str, set[str]] = {}
    for object_pk, name in by_group.filter(object_pk__in=pks).values_list("object_pk", "group__name"):
        names.setdefault(object_pk, set()).add(name)
    without = [pk for pk in pks if pk not in names]
    if without:
        for object_pk in by_user.filter(object_pk__in=without).values_list("object_pk", flat=True):
            names[object_pk] = {IN_PERSON}
    return {pk: sorted(held) for pk, held in names.items()}


def people_holding_each(codename: str, objects: list[Any]) -> dict[str, list[Any]]:
    """`people_holding` for many objects of one model: str(pk) → the active people holding `codename` on
    it, by the same grants (a group, a Deputy under a live delegation where the lending group holds it,
    in person), in five queries at most whatever the number of objects."""
    if not objects:
        return {}
    model = type(objects[0])
    content_type = ContentType.objects.get_for_model(model)
    permission = _permission_pk(model, codename)
    pks = [str(obj.pk) for obj in objects]
    group_grants = list(
        GroupObjectPermission.objects.filter(
            permission_id=permission, content_type=content_type, object_pk__in=pks
        ).values_list("object_pk", "group_id", "group__name")
    )
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
