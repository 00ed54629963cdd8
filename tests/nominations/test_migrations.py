"""Migrations that change data run on a database holding data, as an upgrade would."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from guardian.models import GroupObjectPermission, UserObjectPermission
from guardian.shortcuts import assign_perm

from nominations.access import AGENCY_ROLES, Perm, holds
from nominations.models import Award, AwardRule, Nomination, OrgUnit, Person, Role
from tests.builders import core as builders
from workflow.rights.permissions import forget_permission_ids

BEFORE = [("nominations", "0004_participation")]


def _migrate_to_latest() -> None:
    """Back to the latest migrations (the models' schema), whatever later branches add after 0006."""
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_members_rules_keep_their_values_and_name_ldtt_and_cstdcs(demo: None) -> None:
    """0005 renames the LĐTT/CSTĐCS-specific fields and 0006 names those awards in the rules that set them.

    Run on the demo's rows: PostgreSQL refuses indexes created in a transaction that has already
    updated rows, which an empty test table never shows.
    """
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps.get_model("nominations", "AwardRule")
        old.objects.all().update(min_member_ratio_ldtt=None, min_member_cstdcs=0)
        old.objects.filter(award__code="TTLDXS").update(
            min_member_ratio_ldtt=Decimal("0.7"), min_member_cstdcs=1
        )
        old.objects.filter(award__code="TTLDTT").update(min_member_ratio_ldtt=Decimal("0.7"))
    finally:
        _migrate_to_latest()

    try:
        check_rules()
    finally:
        # Back to the latest migrations: later ones (other areas' tables) must exist for the tests after this.
        latest = MigrationExecutor(connection)
        latest.migrate(latest.loader.graph.leaf_nodes())


def check_rules() -> None:
    rules = {(r.award.code, r.effective_from): r for r in AwardRule.objects.select_related("award")}
    assert rules
    for (code, _start), rule in rules.items():
        if code in ("TTLDXS", "TTLDTT"):
            assert rule.min_member_share == Decimal("0.7")
            assert rule.member_award is not None and rule.member_award.code == "LDTT"
        else:
            assert rule.min_member_share is None and rule.member_award is None
        if code == "TTLDXS":
            assert rule.min_member_distinctions == 1
            assert rule.member_distinction is not None and rule.member_distinction.code == "CSTDCS"
        else:
            assert rule.min_member_distinctions == 0 and rule.member_distinction is None


@pytest.mark.django_db(transaction=True)
def test_the_statistics_migration_classifies_the_shipped_awards_and_the_leaders(demo: None) -> None:
    """0008 counts the shipped upward awards in biểu 0603.N and the unit heads / Director as leaders."""
    executor = MigrationExecutor(connection)
    executor.migrate([("nominations", "0006_name_member_awards")])
    try:
        state = executor.loader.project_state([("nominations", "0006_name_member_awards")])
        assert "statistics_category" not in {
            f.name for f in state.apps.get_model("nominations", "Award")._meta.fields
        }
    finally:
        _migrate_to_latest()
    categories = dict(
        Award.objects.exclude(statistics_category="").values_list("code", "statistics_category")
    )
    assert categories["BANG_KHEN"] == "bang_khen"
    assert categories["CSTD_TINH"] == "cstd_bo_tinh"
    assert categories["CO_THI_DUA"] == "co_thi_dua"
    assert "LDTT" not in categories
    assert Person.objects.get(username="head-tkth").statistics_category == "other_leader"
    assert Person.objects.get(username="director").statistics_category == "department_leader"
    assert Person.objects.get(username="staff-tkth-1").statistics_category == "worker"


# --- 0012: rights at the level they apply to (issue 17) ------------------------------------------------
RIGHTS_BEFORE = [("nominations", "0011_award_method")]
PEOPLE = ["head-tkth", "head-tkkt", "staff-tkth-1", "office1", "secretary", "director", "deputy", "auditor"]
CODENAMES = [Perm.VIEW, Perm.CHANGE, Perm.SUBMIT, Perm.REVIEW, Perm.SCHEDULE, Perm.CLOSE_VOTE, Perm.DECIDE]


def _rights_seen(nominations: list[Nomination]) -> dict[tuple[str, str, int], bool]:
    people = [Person.objects.get(username=u) for u in PEOPLE]
    return {(p.username, c, n.pk): holds(p, c, n) for p in people for c in CODENAMES for n in nominations}


def _rows_on(nomination: Nomination) -> int:
    content_type = ContentType.objects.get_for_model(Nomination)
    return GroupObjectPermission.objects.filter(
        content_type=content_type, object_pk=str(nomination.pk)
    ).count()


@pytest.mark.django_db(transaction=True)
def test_the_rights_move_to_their_level_and_back_and_everyone_holds_what_they_held(demo: None) -> None:
    """0012 deletes the 12 rows each nomination carried (the unit's heads 3, the four roles 9) for rights held
    once per role group and once per unit, keeps a grant made on one nomination, and back again; at every
    step each person holds exactly what they held (read by the one reader, which reads every level)."""
    nominations = [
        builders.draft(award="LDTT", nominee="staff-tkth-2", files=False),
        builders.draft(award="LDTT", nominee="staff-tkkt-1", files=False),
    ]
    entrusted, other = nominations
    assign_perm(f"nominations.{Perm.DECIDE}", Person.objects.get(username="deputy"), entrusted)
    assign_perm(f"nominations.{Perm.REVIEW}", Group.objects.get(name=Role.COUNCIL_CHAIR), other)
    seen = _rights_seen(nominations)
    assert seen[("deputy", Perm.DECIDE, entrusted.pk)] and not seen[("deputy", Perm.DECIDE, other.pk)]
    assert seen[("head-tkkt", Perm.SUBMIT, other.pk)] and not seen[("head-tkkt", Perm.SUBMIT, entrusted.pk)]
    assert [_rows_on(n) for n in nominations] == [0, 1]  # only the grant made on that nomination
    unit_type = ContentType.objects.get_for_model(OrgUnit)
    try:
        MigrationExecutor(connection).migrate(RIGHTS_BEFORE)
        assert [_rows_on(n) for n in nominations] == [12, 13]  # as nomination_create made them
        assert not GroupObjectPermission.objects.filter(content_type=unit_type).exists()
        agency = Group.permissions.through.objects.filter(group__name__in=AGENCY_ROLES)
        assert not agency.filter(
            permission__content_type=ContentType.objects.get_for_model(Nomination)
        ).exists()
        assert _rights_seen(nominations) == seen
    finally:
        _migrate_to_latest()
        forget_permission_ids()  # as after any migrate (post_migrate does it for manage.py migrate)
    assert [_rows_on(n) for n in nominations] == [0, 1]
    assert UserObjectPermission.objects.filter(object_pk=str(entrusted.pk)).count() == 1
    tkth = OrgUnit.objects.get(code="tkth")
    assert set(
        GroupObjectPermission.objects.filter(content_type=unit_type, object_pk=str(tkth.pk)).values_list(
            "group__name", "permission__codename"
        )
    ) == {("unit:tkth:heads", c) for c in (Perm.VIEW, Perm.CHANGE, Perm.SUBMIT)}
    assert _rights_seen(nominations) == seen
