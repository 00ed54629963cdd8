from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from nominations.amounts import NoBaseSalary, base_salary_on, nomination_reward, reward_amount, round_up
from nominations.models import BaseSalary
from tests.builders import core as builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def salaries(db: None) -> None:
    """The base salaries of the demo (Decrees 38/2019, 24/2023, 73/2024)."""
    BaseSalary.objects.update_or_create(
        effective_from=datetime.date(2019, 7, 1), defaults={"amount": 1_490_000, "legal_basis": "ND 38/2019"}
    )
    BaseSalary.objects.update_or_create(
        effective_from=datetime.date(2023, 7, 1), defaults={"amount": 1_800_000, "legal_basis": "ND 24/2023"}
    )
    BaseSalary.objects.update_or_create(
        effective_from=datetime.date(2024, 7, 1), defaults={"amount": 2_340_000, "legal_basis": "ND 73/2024"}
    )


@pytest.mark.parametrize(
    ("day", "amount"),
    [
        (datetime.date(2023, 6, 30), 1_490_000),
        (datetime.date(2023, 7, 1), 1_800_000),
        (datetime.date(2024, 6, 30), 1_800_000),
        (datetime.date(2024, 7, 1), 2_340_000),
        (datetime.date(2030, 1, 1), 2_340_000),
    ],
)
def test_the_base_salary_in_force_changes_on_its_effective_date(
    salaries: None, day: datetime.date, amount: int
) -> None:
    assert base_salary_on(day).amount == amount


def test_no_base_salary_before_the_first_one_is_an_error_not_zero(salaries: None) -> None:
    with pytest.raises(NoBaseSalary):
        base_salary_on(datetime.date(2019, 6, 30))


@pytest.mark.parametrize(
    ("multiple", "base", "expected"),
    [
        ("0.3", 1_800_000, 540_000),  # exact: no rounding
        ("0.3", 1_490_000, 450_000),  # 447,000 rounds UP to the next ten thousand
        ("0.3", 2_340_000, 710_000),  # 702,000 → 710,000: up to the ten thousand, not 702,000
        ("0.8", 1_490_000, 1_200_000),  # 1,192,000 → 1,200,000
        ("1.5", 1_490_000, 2_240_000),  # 2,235,000 → 2,240,000
        ("1.0", 1_800_000, 1_800_000),
        ("0.6", 2_340_000, 1_410_000),  # 1,404,000 → 1,410,000
        ("0", 2_340_000, 0),
    ],
)
def test_an_amount_is_the_multiple_times_the_base_salary_rounded_up_to_ten_thousand(
    multiple: str, base: int, expected: int
) -> None:
    amount = reward_amount(multiple=Decimal(multiple), base_salary=base)
    assert isinstance(amount, Decimal)
    assert amount == Decimal(expected)


def test_rounding_up_never_rounds_down_and_keeps_exact_multiples() -> None:
    assert round_up(Decimal("447000")) == Decimal("450000")
    assert round_up(Decimal("440001")) == Decimal("450000")
    assert round_up(Decimal("440000")) == Decimal("440000")
    assert round_up(Decimal("0.01")) == Decimal("10000")


def test_a_negative_multiple_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        reward_amount(multiple=Decimal("-0.3"), base_salary=1_800_000)


def test_amounts_of_a_decision_follow_the_base_salary_of_the_decision_date(demo: None) -> None:
    """The demo's LĐTT (0.3) and CSTĐCS (1.0) on each side of the two changes of base salary."""
    ldtt = builders.draft(award="LDTT", nominee="staff-tkth-2", files=False)
    cstdcs = builders.draft(award="CSTDCS", nominee="staff-tkth-1", files=False)
    expected = {
        datetime.date(2023, 6, 30): (450_000, 1_490_000),
        datetime.date(2023, 7, 1): (540_000, 1_800_000),
        datetime.date(2024, 6, 30): (540_000, 1_800_000),
        datetime.date(2024, 7, 1): (710_000, 2_340_000),
    }
    for day, (ldtt_amount, cstdcs_amount) in expected.items():
        assert nomination_reward(ldtt, day) == (Decimal("0.30"), Decimal(ldtt_amount)), day
        assert nomination_reward(cstdcs, day) == (Decimal("1.00"), Decimal(cstdcs_amount)), day


def test_the_ldtt_amount_at_todays_base_salary_is_rounded_up_to_the_ten_thousand_not_kept_exact() -> None:
    """The walk read 710.000 đ as a bug (0.3 × 2.340.000 = 702.000): the decree rounds the product up to
    the next ten thousand đồng (ND152 Art. 49, as ND98 Art. 73 and ND91/2017 Art. 68(2) before it)."""
    exact = Decimal("0.3") * Decimal(2_340_000)
    assert exact == Decimal(702_000)
    amount = reward_amount(multiple=Decimal("0.3"), base_salary=2_340_000)
    assert amount == Decimal(710_000)
    assert amount % 10_000 == 0 and amount - exact < 10_000 and amount >= exact
