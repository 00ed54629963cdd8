"""Demo data of the targets (chỉ tiêu) of the 2023 plan and the demo units' results for 2023.

The plan (Kế hoạch thi đua 2023, mục II.3): 100% of the work programme; quality from 98.49% of the
plan's points *or* the national ranking up 1–2 places on 2022 (alternatives: the better one counts);
the 2022 Statistical Yearbook published on time (the general statistics department's own target).
The results make the year-end scoring differ between units: most meet everything, TKXH misses one
quarter, NP-TN reports one quarter late, NS-BA misses the year's quality and reports nothing for Q4.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from nominations.models import Campaign, OrgUnit, Person, ScoringRule, Target, TargetResult
from nominations.rules import targets as rules
from nominations.rules.workdays import add_working_days

D = Decimal
BASIS_NUMBER = "Kế hoạch /KH-CTK ngày 16/01/2023"
# code, name, kind, threshold, due_on, periods, weight, alternative group, article, own unit
TARGETS: list[
    tuple[str, str, str, Decimal | None, datetime.date | None, list[str], Decimal, str, str, str]
] = [
    (
        "chuong-trinh",
        "Hoàn thành 100% nhiệm vụ theo chương trình, kế hoạch công tác",
        rules.SHARE,
        D(100),
        None,
        [rules.QUARTER, rules.HALF, rules.NINE, rules.YEAR],
        D(2),
        "",
        "Mục II.3, gạch đầu dòng 1",
        "",
    ),
    (
        "chat-luong",
        "Chất lượng đạt từ 98,49% điểm kế hoạch trở lên",
        rules.POINTS,
        D("98.49"),
        None,
        [rules.HALF, rules.YEAR],
        D(2),
        "chat-luong-hoac-vi-thu",
        "Mục II.3, gạch đầu dòng 1",
        "",
    ),
    (
        "vi-thu",
        "Xếp vị thứ chung cả nước tăng từ 1-2 bậc so với năm 2022",
        rules.RANKING,
        D(1),
        None,
        [rules.YEAR],
        D(2),
        "chat-luong-hoac-vi-thu",
        "Mục II.3, gạch đầu dòng 1",
        "",
    ),
    (
        "nien-giam",
        "Biên soạn và phát hành Niên giám thống kê năm 2022 đúng thời gian quy định",
        rules.DELIVERABLE,
        None,
        datetime.date(2023, 6, 30),
        [rules.HALF],
        D(1),
        "",
        "Mục II.3, gạch đầu dòng 3",
        "tkth",
    ),
]
REPORT_DAYS = 5
# Exceptions to "met, on time": (unit, target, period) -> value, or None for "not reported".
SHARE_DEFAULT, POINTS_DEFAULT, RANKING_DEFAULT = D(100), D("98.80"), D(1)
EXCEPTIONS: dict[tuple[str, str, str], Decimal | None] = {
    ("tkxh", "chuong-trinh", "2023-Q3"): D(95),
    ("nsba", "chuong-trinh", "2023-Q4"): None,
    ("nsba", "chuong-trinh", "2023-Y"): None,
    ("nsba", "chat-luong", "2023-Y"): D("97.10"),
    ("nsba", "vi-thu", "2023-Y"): None,
}
LATE = {("nptn", "chuong-trinh", "2023-Q2"): 9}  # reported this many days after the deadline
YEARBOOK_DELIVERED = datetime.date(2023, 6, 28)


def load(
    upsert: Callable[[type[Any], dict[str, Any], dict[str, Any]], Any],
    campaign: Campaign,
    units: dict[str, OrgUnit],
    heads: dict[str, Person],
) -> None:
    upsert(
        ScoringRule,
        {"campaign": campaign},
        {
            "late_credit": D("0.5"),
            "htxs_from": D(95),
            "htt_from": D(80),
            "ht_from": D(50),
            "basis": "Quy chế thi đua, khen thưởng của Cục Thống kê (dữ liệu minh họa)",
        },
    )
    targets: list[Target] = []
    for order, (code, name, kind, threshold, due_on, periods, weight, group, article, own) in enumerate(
        TARGETS, 1
    ):
        targets.append(
            upsert(
                Target,
                {"campaign": campaign, "code": code, "unit": units[own] if own else None},
                {
                    "name": name,
                    "kind": kind,
                    "threshold": threshold,
                    "due_on": due_on,
                    "periods": periods,
                    "weight": weight,
                    "alternative_group": group,
                    "report_days": REPORT_DAYS,
                    "basis_number": BASIS_NUMBER,
                    "basis_article": article,
                    "order": order,
                },
            )
        )
    for unit_code, unit in units.items():
        if unit_code == "ctk":
            continue
        for target in targets:
            if target.unit_id is not None and target.unit_id != unit.pk:
                continue
            for period in rules.periods_between(campaign.starts_on, campaign.ends_on, target.periods):
                key = (unit_code, target.code, period.code)
                default = {
                    rules.SHARE: SHARE_DEFAULT,
                    rules.POINTS: POINTS_DEFAULT,
                    rules.RANKING: RANKING_DEFAULT,
                }
                value = EXCEPTIONS.get(key, default.get(target.kind))
                if key in EXCEPTIONS and value is None:
                    continue
                due = add_working_days(period.ends_on, target.report_days)
                reported_on = add_working_days(period.ends_on, 3)
                if key in LATE:
                    reported_on = due + datetime.timedelta(days=LATE[key])
                delivered = YEARBOOK_DELIVERED if target.kind == rules.DELIVERABLE else None
                upsert(
                    TargetResult,
                    {"target": target, "unit": unit, "period": period.code},
                    {
                        "period_ends_on": period.ends_on,
                        "value": None if target.kind == rules.DELIVERABLE else value,
                        "delivered_on": delivered,
                        "comment": "",
                        "met": rules.is_met(
                            kind=target.kind,
                            threshold=target.threshold,
                            value=value,
                            due_on=target.due_on,
                            delivered_on=delivered,
                        ),
                        "due_on": due,
                        "late": reported_on > due,
                        "state": TargetResult.State.REPORTED,
                        "reported_by": heads.get(unit_code),
                        "reported_at": datetime.datetime.combine(
                            reported_on, datetime.time(9, 0), tzinfo=datetime.UTC
                        ),
                    },
                )
