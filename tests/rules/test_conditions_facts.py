"""`Facts` reads the rule in force and the conditions' facts in one query; the answers stay the rules' own.

`nominations.rules.conditions.ELIGIBLE` runs `eligibility.check_submission` check by check, asking the
query-backed ones only when the fact read with the rule says they would refuse: here the two are held to
the same refusals, in the same order, for a clean nomination and for each refusal that reads other rows.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from nominations.models import Campaign, Case, Nomination
from nominations.rules import eligibility
from nominations.rules.conditions import ELIGIBLE, NO_HOLD, NOTICE_OVER, Facts
from tests.builders import core as builders

pytestmark = pytest.mark.django_db


def facts(name: str, nomination: Nomination) -> Facts:
    locked = Nomination.objects.select_related("campaign", "award").get(pk=nomination.pk)
    return Facts.for_transition(name, locked, {})


def test_a_clean_submission_is_judged_in_one_query_with_no_refusal(
    demo: None, django_assert_num_queries: Any
) -> None:
    nomination = builders.draft(award="LDTT", nominee="staff-tkth-2")
    submit_facts = facts("submit", nomination)
    with django_assert_num_queries(1):  # the rule with the dossier's kinds, open cases, duplicates
        assert ELIGIBLE.check(submit_facts) == []
    assert eligibility.check_submission(nomination) == []


def test_each_refusal_that_reads_other_rows_is_the_same_as_the_rules_own(demo: None) -> None:
    no_files = builders.draft(award="LDTT", nominee="staff-tkth-2", files=False)
    open_case = builders.draft(award="LDTT", nominee="staff-nsba-2")  # the demo's open disciplinary case
    Case.objects.create(
        kind=Case.Kind.COMPLAINT, person=builders.person("staff-tkth-3"), opened_on=datetime.date(2023, 12, 1)
    )
    both = builders.draft(award="LDTT", nominee="staff-tkth-3", files=False, rating="ht")
    old = Campaign.objects.create(
        name="Phong trào năm 2022", kind=Campaign.Kind.ANNUAL, starts_on=datetime.date(2022, 1, 1),
        ends_on=datetime.date(2022, 12, 31),
    )  # fmt: skip
    no_rule = builders.draft(award="LDTT", nominee="staff-tkkt-2", campaign=old)
    expected_rules = {
        no_files.pk: ["dossier_complete"],
        open_case.pk: ["no_pending_case"],
        no_rule.pk: ["rule_in_force"],
    }
    for nomination in (no_files, open_case, both, no_rule):
        refusals = ELIGIBLE.check(facts("submit", nomination))
        assert refusals == eligibility.check_submission(nomination)
        if nomination.pk in expected_rules:
            assert [r.rule for r in refusals] == expected_rules[nomination.pk]
    # Several at once, in the rules' order: the dossier, the rating, the open case.
    rules = [r.rule for r in ELIGIBLE.check(facts("submit", both))]
    assert "dossier_complete" in rules and "no_pending_case" in rules
    assert rules.index("dossier_complete") < rules.index("no_pending_case")


def test_an_open_case_the_fact_finds_is_refused_by_the_rules_own_check(demo: None) -> None:
    nomination = builders.in_state("proposed", award="LDTT", nominee="staff-tkth-2")
    assert NO_HOLD.check(facts("approve", nomination)) == []
    assert NOTICE_OVER.check(facts("approve", nomination)) == []
    Case.objects.create(
        kind=Case.Kind.INSPECTION, person=builders.person("staff-tkth-2"), opened_on=datetime.date(2024, 1, 2)
    )
    (refusal,) = NO_HOLD.check(facts("approve", nomination))
    assert (refusal.rule, refusal.legal_basis) == ("no_pending_case", eligibility.HOLD_BASIS)
    assert refusal == eligibility.check_holds(nomination)[0]
