from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from nominations.models import Award, AwardRule, NoRuleInForce, rule_for

pytestmark = pytest.mark.django_db


def test_the_rule_in_force_on_the_day_applies(demo: None) -> None:
    cstdcs = Award.objects.get(code="CSTDCS")
    assert "98/2023" in rule_for(cstdcs, datetime.date(2023, 12, 31)).legal_basis
    assert "98/2023" in rule_for(cstdcs, datetime.date(2025, 6, 30)).legal_basis
    assert "152/2025" in rule_for(cstdcs, datetime.date(2025, 7, 1)).legal_basis
    assert "152/2025" in rule_for(cstdcs, datetime.date(2031, 1, 1)).legal_basis


def test_no_rule_before_the_first_version(demo: None) -> None:
    with pytest.raises(NoRuleInForce):
        rule_for(Award.objects.get(code="LDTT"), datetime.date(2020, 1, 1))


def test_a_changed_threshold_applies_only_from_its_date(demo: None) -> None:
    award = Award.objects.get(code="LDTT")
    current = rule_for(award, datetime.date(2026, 1, 1))
    current.effective_to = datetime.date(2026, 12, 31)
    current.save()
    AwardRule.objects.create(
        award=award,
        effective_from=datetime.date(2027, 1, 1),
        legal_basis="Quy định mới",
        authority="director",
        threshold="0.6",
    )
    assert rule_for(award, datetime.date(2026, 12, 31)).threshold == current.threshold
    assert str(rule_for(award, datetime.date(2027, 1, 1)).threshold) == "0.600"


def test_overlapping_versions_are_refused(demo: None) -> None:
    award = Award.objects.get(code="LDTT")
    clash = AwardRule(
        award=award, effective_from=datetime.date(2024, 1, 1), legal_basis="x", authority="director"
    )
    with pytest.raises(ValidationError):
        clash.full_clean()
