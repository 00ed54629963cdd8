"""The pure rules of targets: periods, what "met" means, the review's scoring line by line."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from nominations.rules import targets as rules

D = Decimal
RULE = rules.Rule(late_credit=D("0.5"), htxs_from=D(95), htt_from=D(80), ht_from=D(50))
YEAR_START, YEAR_END = datetime.date(2023, 1, 1), datetime.date(2023, 12, 31)


def cells(*marks: str) -> list[rules.Cell]:
    """'m' met on time, 'l' met late, 'n' not met, '-' missing."""
    return [
        rules.Cell(period=f"2023-Q{i}", reported=m != "-", met=m in "ml", late=m == "l")
        for i, m in enumerate(marks, 1)
    ]


def test_period_codes_read_as_the_plan_counts_them() -> None:
    assert rules.parse_period("2023-M02").ends_on == datetime.date(2023, 2, 28)
    assert rules.parse_period("2023-Q3").starts_on == datetime.date(2023, 7, 1)
    assert rules.parse_period("2023-H1").ends_on == datetime.date(2023, 6, 30)
    assert rules.parse_period("2023-9M").ends_on == datetime.date(2023, 9, 30)
    assert rules.parse_period("2023-Y").kind == rules.YEAR
    periods = rules.periods_between(YEAR_START, YEAR_END, [rules.QUARTER, rules.HALF, rules.NINE, rules.YEAR])
    assert [p.code for p in periods] == [
        "2023-Q1",
        "2023-Q2",
        "2023-H1",
        "2023-Q3",
        "2023-9M",
        "2023-Q4",
        "2023-Y",
    ]


@pytest.mark.parametrize("code", ["2023-M13", "2023-Q5", "23-Q1", "", "2023-h1", "2023-Y "])
def test_a_malformed_period_is_refused_with_an_example(code: str) -> None:
    if code == "2023-Y ":
        assert rules.parse_period(code).code == "2023-Y"  # surrounding spaces are forgiven
        return
    with pytest.raises(rules.PeriodError, match="2023-M01"):
        rules.parse_period(code)


def test_a_period_outside_the_campaign_or_of_another_kind_is_refused() -> None:
    phase_two = (datetime.date(2023, 7, 1), datetime.date(2023, 12, 31))
    with pytest.raises(rules.PeriodError, match="ngoài thời gian"):
        rules.check_period("2023-Q1", kinds=[rules.QUARTER], starts_on=phase_two[0], ends_on=phase_two[1])
    with pytest.raises(rules.PeriodError, match="không theo dõi"):
        rules.check_period("2023-M08", kinds=[rules.QUARTER], starts_on=phase_two[0], ends_on=phase_two[1])
    assert (
        rules.check_period(
            "2023-Q3", kinds=[rules.QUARTER], starts_on=phase_two[0], ends_on=phase_two[1]
        ).code
        == "2023-Q3"
    )


def test_met_is_inclusive_of_the_threshold_and_a_deliverable_must_be_on_time() -> None:
    assert rules.is_met(kind=rules.POINTS, threshold=D("98.49"), value=D("98.49"))
    assert not rules.is_met(kind=rules.POINTS, threshold=D("98.49"), value=D("98.48"))
    assert rules.is_met(kind=rules.RANKING, threshold=D(1), value=D(2))
    due = datetime.date(2023, 6, 30)
    assert rules.is_met(kind=rules.DELIVERABLE, threshold=None, value=None, due_on=due, delivered_on=due)
    assert not rules.is_met(
        kind=rules.DELIVERABLE, threshold=None, value=None, due_on=due, delivered_on=datetime.date(2023, 7, 3)
    )


def test_the_score_weights_lines_credits_late_reports_and_counts_the_best_alternative() -> None:
    lines = [
        rules.LineInput("programme", "Chương trình", D(2), cells("m", "l", "m", "-")),  # 2.5 / 4
        rules.LineInput("points", "Điểm", D(2), cells("n", "m"), group="quality"),  # 1 / 2
        rules.LineInput("ranking", "Vị thứ", D(2), cells("m"), group="quality"),  # 1 / 1, beats points
    ]
    result = rules.score(lines, RULE)
    assert [line.counted for line in result.lines] == [True, False, True]
    assert result.lines[0].ratio == D("0.625")
    # (2 × 0.625 + 2 × 1) / 4 = 81.25 %
    assert result.percent == D("81.25")
    assert result.rating == "htt"
    assert "1 đạt nộp muộn × 0.5 trên 4 kỳ" in result.lines[0].text
    assert "không tính" in result.lines[1].text
    assert "81.25%" in result.steps[0]


@pytest.mark.parametrize(
    ("percent", "rating"), [("95", "htxs"), ("94.99", "htt"), ("80", "htt"), ("50", "ht"), ("49.99", "kht")]
)
def test_the_rating_is_the_best_whose_threshold_the_score_reaches(percent: str, rating: str) -> None:
    assert rules.rating_for(D(percent), RULE) == rating


def test_no_expected_period_scores_zero_not_a_division_error() -> None:
    assert rules.score([rules.LineInput("x", "X", D(1), [])], RULE).percent == D("0.00")
