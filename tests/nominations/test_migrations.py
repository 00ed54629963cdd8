"""Migrations that change data run on a database holding data, as an upgrade would."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from nominations.models import Award, AwardRule, Person

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
