"""Rights held at the level they apply to (issue 17).

Until now every nomination carried 12 guardian rows: the nominating unit's heads group (view, change,
submit) and the four agency-wide role groups (office staff 3, council secretary 3, Director 2, auditor 1),
the same role-wide rights repeated on every nomination. Forwards, each role group holds its rights once,
as group permissions, and each unit's heads group holds its three once, as an object permission on the
`OrgUnit`; the per-nomination rows they replace are deleted. Any other per-nomination row (a grant made to
one person or group on one nomination) is kept: there the nomination is the scope.

Backwards, the rows are written again on every nomination from the rights held at the role and unit levels
(INSERT … SELECT, one statement per right), and those rights withdrawn (the units' permission rows stay,
unused, as Django leaves any permission a model no longer declares). One thing is not restored exactly:
a nomination permission that one of the four role groups held as a group permission before this
migration (none is given by the code) is withdrawn too.

The tables are frozen below as they were when the migration was written; the code's own tables may change.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.models import CharField, IntegerField, Value
from django.db.models.constants import OnConflict
from django.db.models.functions import Cast

ROLE_PERMS: dict[str, tuple[str, ...]] = {
    "office_staff": ("view_nomination", "review_nomination", "schedule_nomination"),
    "council_secretary": ("view_nomination", "schedule_nomination", "close_vote_nomination"),
    "director": ("view_nomination", "decide_nomination"),
    "auditor": ("view_nomination",),
}
UNIT_HEAD_PERMS: tuple[str, ...] = ("view_nomination", "change_nomination", "submit_nomination")


def _heads_group_name(code: str) -> str:
    return f"unit:{code}:heads"


def _create_permissions(apps: Any) -> None:
    """The permissions of this state of the models, as `migrate` makes them after the last migration:
    this one needs the units' new ones (and, on a fresh database, the nominations') already."""
    from django.contrib.auth.management import create_permissions

    config = apps.get_app_config("nominations")
    config.models_module = True  # the historical app has no module; create_permissions skips it otherwise
    try:
        create_permissions(config, apps=apps, verbosity=0)
    finally:
        config.models_module = None


def _types(apps: Any) -> tuple[Any, Any]:
    content_type = apps.get_model("contenttypes", "ContentType")
    nomination = content_type.objects.get_by_natural_key("nominations", "nomination")
    unit = content_type.objects.get_by_natural_key("nominations", "orgunit")
    return nomination, unit


def forwards(apps: Any, schema_editor: Any) -> None:
    _create_permissions(apps)
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    grant_model = apps.get_model("guardian", "GroupObjectPermission")
    nomination_model = apps.get_model("nominations", "Nomination")
    unit_model = apps.get_model("nominations", "OrgUnit")
    db = schema_editor.connection.alias
    nomination_type, unit_type = _types(apps)

    for role, codenames in ROLE_PERMS.items():
        group = group_model.objects.using(db).filter(name=role).first()
        if group is None:  # a fresh database: loaddemo makes the groups with their rights
            continue
        rights = list(
            permission_model.objects.using(db).filter(content_type=nomination_type, codename__in=codenames)
        )
        group.permissions.add(*rights)
        grant_model.objects.using(db).filter(
            content_type=nomination_type, group=group, permission__in=rights
        ).delete()

    unit_rights = list(
        permission_model.objects.using(db).filter(content_type=unit_type, codename__in=UNIT_HEAD_PERMS)
    )
    nomination_rights = list(
        permission_model.objects.using(db).filter(content_type=nomination_type, codename__in=UNIT_HEAD_PERMS)
    )
    for unit in unit_model.objects.using(db).all():
        group, _created = group_model.objects.using(db).get_or_create(name=_heads_group_name(unit.code))
        grant_model.objects.using(db).bulk_create(
            [
                grant_model(content_type=unit_type, object_pk=str(unit.pk), group=group, permission=p)
                for p in unit_rights
            ],
            ignore_conflicts=True,
        )
        of_unit = (
            nomination_model.objects.using(db)
            .filter(nominating_unit=unit)
            .annotate(pk_text=Cast("pk", CharField()))
            .values("pk_text")
        )
        grant_model.objects.using(db).filter(
            content_type=nomination_type, group=group, permission__in=nomination_rights, object_pk__in=of_unit
        ).delete()


def _grant_on_each(
    schema_editor: Any, nominations: Any, permission: Any, content_type: Any, group: Any
) -> None:
    """One INSERT … SELECT: `group` holds `permission` on each of `nominations` (rows already there stay)."""
    connection = schema_editor.connection
    rows = nominations.annotate(
        g_permission=Value(permission.pk, IntegerField()),
        g_type=Value(content_type.pk, IntegerField()),
        g_object=Cast("pk", CharField()),
        g_group=Value(group.pk, IntegerField()),
    ).values_list("g_permission", "g_type", "g_object", "g_group")
    sql, params = rows.query.sql_with_params()
    head = connection.ops.insert_statement(on_conflict=OnConflict.IGNORE)
    tail = connection.ops.on_conflict_suffix_sql([], OnConflict.IGNORE, [], [])
    table = "guardian_groupobjectpermission"
    with connection.cursor() as cursor:
        cursor.execute(
            f"{head} {table} (permission_id, content_type_id, object_pk, group_id) {sql} {tail}", params
        )


def backwards(apps: Any, schema_editor: Any) -> None:
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    grant_model = apps.get_model("guardian", "GroupObjectPermission")
    nomination_model = apps.get_model("nominations", "Nomination")
    db = schema_editor.connection.alias
    nomination_type, unit_type = _types(apps)
    nominations = nomination_model.objects.using(db).order_by()

    for group in group_model.objects.using(db).filter(name__in=list(ROLE_PERMS)):
        rights = list(group.permissions.filter(content_type=nomination_type))
        for permission in rights:
            _grant_on_each(schema_editor, nominations, permission, nomination_type, group)
        group.permissions.remove(*rights)

    by_codename = {
        p.codename: p
        for p in permission_model.objects.using(db).filter(
            content_type=nomination_type, codename__in=UNIT_HEAD_PERMS
        )
    }
    unit_grants = (
        grant_model.objects.using(db).filter(content_type=unit_type).select_related("permission", "group")
    )
    for grant in unit_grants:
        permission = by_codename.get(grant.permission.codename)
        if permission is not None:
            of_unit = nominations.filter(nominating_unit_id=int(grant.object_pk))
            _grant_on_each(schema_editor, of_unit, permission, nomination_type, grant.group)
    # The unit-level grants go. The units' permission rows stay, as Django leaves any permission a model no
    # longer declares (deleting them through the ORM's cascade fails in a longer backwards run).
    grant_model.objects.using(db).filter(content_type=unit_type).delete()
    apps.get_model("guardian", "UserObjectPermission").objects.using(db).filter(
        content_type=unit_type
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("guardian", "0003_remove_groupobjectpermission_guardian_gr_content_ae6aec_idx_and_more"),
        ("nominations", "0011_award_method"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="orgunit",
            options={
                "ordering": ["order", "code"],
                "permissions": [
                    ("view_nomination", "Xem hồ sơ đề nghị của đơn vị"),
                    ("change_nomination", "Sửa hồ sơ đề nghị của đơn vị"),
                    ("submit_nomination", "Gửi, gửi lại, rút hồ sơ đề nghị của đơn vị"),
                ],
                "verbose_name": "đơn vị",
                "verbose_name_plural": "đơn vị",
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
