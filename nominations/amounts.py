"""Reward amounts: the award's multiple × the base salary (lương cơ sở) in force on the decision date.

ND152 Art. 49 (as ND98 Art. 73 before it) rounds the amount up to the next ten thousand đồng. Both the
multiple and the base salary are read as in force on the day the decision is signed: the amount is part
of the decision, so a later change of either never alters a decision already issued (the amount is
stored on the decision's line). Only `Decimal` arithmetic — money is never a float.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_CEILING, Decimal

from nominations.models import AwardRule, BaseSalary, Nomination, NoRuleInForce, rule_for

ROUNDING_STEP = Decimal(10_000)
ROUNDING_BASIS = "Nghị định 152/2025/NĐ-CP, Điều 49"


class NoBaseSalary(Exception):
    def __init__(self, day: datetime.date) -> None:
        super().__init__(f"No base salary is in force on {day.isoformat()}")
        self.day = day


def round_up(amount: Decimal, step: Decimal = ROUNDING_STEP) -> Decimal:
    """The smallest multiple of `step` not below `amount` (447,000 → 450,000; 540,000 stays).

    The rule, unchanged since ND91/2017 Art. 68(2) through ND98 Art. 73 to ND152 Art. 49: "tiền thưởng
    sau khi nhân với hệ số mức lương cơ sở được làm tròn số lên hàng chục nghìn đồng" — the product is
    rounded UP to a multiple of 10,000 đồng, never to the nearest and never to 1,000. So LĐTT at the base
    salary of ND73/2024 is 0.3 × 2,340,000 = 702,000 → 710,000 đồng, as the decision shows.
    """
    return (amount / step).to_integral_value(rounding=ROUND_CEILING) * step


def base_salary_on(day: datetime.date) -> BaseSalary:
    salary = BaseSalary.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
    if salary is None:
        raise NoBaseSalary(day)
    return salary


def reward_amount(*, multiple: Decimal, base_salary: Decimal | int) -> Decimal:
    if multiple < 0:
        raise ValueError("a reward multiple cannot be negative")
    return round_up(Decimal(multiple) * Decimal(base_salary))


def rule_on(nomination: Nomination, day: datetime.date) -> AwardRule:
    """The award's rule in force on `day`; the campaign's own version if none is (e.g. before any rule)."""
    try:
        return rule_for(nomination.award, day)
    except NoRuleInForce:
        return rule_for(nomination.award, nomination.campaign.ends_on)


def reward_multiple(nomination: Nomination, day: datetime.date) -> Decimal:
    return rule_on(nomination, day).reward_multiple_for(individual=nomination.is_individual)


def nomination_reward(
    nomination: Nomination, day: datetime.date, *, base_salary: Decimal | int | None = None
) -> tuple[Decimal, Decimal]:
    """(multiple, amount) of this nomination decided on `day`; `base_salary`, the one in force on `day`
    when the caller has read it already (a decision stores it)."""
    multiple = reward_multiple(nomination, day)
    if base_salary is None:
        base_salary = base_salary_on(day).amount
    return multiple, reward_amount(multiple=multiple, base_salary=base_salary)
