"""Migrations that change data run on a database holding data, as an upgrade would."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from nominations.models import AwardRule

BEFORE = [("nominations", "0004_participation")]


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
        # Back to every app's latest migration, not only 0006: later migrations (0009_certificates …)
        # were unapplied with it, and the tests after this one need their tables.
        after = MigrationExecutor(connection)
        after.migrate(after.loader.graph.leaf_nodes())

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
