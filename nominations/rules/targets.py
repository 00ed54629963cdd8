"""Emulation targets (chỉ tiêu thi đua): periods, what "met" means, and the review's scoring.

Pure functions — no database, no clock — so the scoring the office confirms can be shown line by line
and tested on its own. The plan sets targets to be met "hàng tháng, hàng quý, 6 tháng, 9 tháng và kế
hoạch năm" (Kế hoạch thi đua 2023, mục II.1); the review (sơ kết 6 tháng, tổng kết năm) scores each
unit's results against a rule stored as data (`ScoringRule`): the weights of the targets, the credit of
a late report, and the score each rating needs.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

# Period kinds, in the plan's words. A period's code is "<year>-<part>": 2023-M01 … 2023-M12,
# 2023-Q1 … 2023-Q4, 2023-H1 (6 tháng), 2023-9M (9 tháng), 2023-Y (cả năm).
MONTH, QUARTER, HALF, NINE, YEAR = "month", "quarter", "half", "nine", "year"
PERIOD_KINDS = (MONTH, QUARTER, HALF, NINE, YEAR)
# ASCII digits only (`\d` takes "٢٠٢٣"), no year 0000 (no such date), nothing after the code.
_CODE = re.compile(r"^(?P<year>[1-9][0-9]{3})-(?P<part>M(0[1-9]|1[0-2])|Q[1-4]|H1|9M|Y)\Z", re.ASCII)

# Target kinds (Target.Kind's values): how a value is read and compared with the threshold.
SHARE, POINTS, RANKING, DELIVERABLE = "share", "points", "ranking", "deliverable"
# Ratings from the best: the same codes as `nominations.models.Rating`.
RATINGS = ("htxs", "htt", "ht", "kht")


class PeriodError(ValueError):
    """A period code that is malformed, of a kind the target does not follow, or outside the campaign."""


@dataclass(frozen=True)
class Period:
    ends_on: datetime.date
    starts_on: datetime.date
    kind: str
    code: str

    @property
    def sort_key(self) -> tuple[datetime.date, int]:
        """By the end, the shorter period first (2023-Q2 before 2023-H1, both ending 30/6)."""
        return (self.ends_on, -self.starts_on.toordinal())

    @property
    def label(self) -> str:
        year, part = self.code.split("-")
        if self.kind == MONTH:
            return _("Tháng %(m)s/%(y)s") % {"m": int(part[1:]), "y": year}
        if self.kind == QUARTER:
            return _("Quý %(q)s/%(y)s") % {"q": part[1:], "y": year}
        if self.kind == HALF:
            return _("6 tháng %(y)s") % {"y": year}
        if self.kind == NINE:
            return _("9 tháng %(y)s") % {"y": year}
        return _("Năm %(y)s") % {"y": year}


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def parse_period(code: str) -> Period:
    match = _CODE.match(str(code or "").strip())
    if match is None:
        raise PeriodError(
            _("Kỳ báo cáo “%(code)s” không hợp lệ (ví dụ: 2023-M01, 2023-Q2, 2023-H1, 2023-9M, 2023-Y).")
            % {"code": code}
        )
    year, part = int(match["year"]), match["part"]
    start = datetime.date(year, 1, 1)
    if part.startswith("M"):
        month = int(part[1:])
        return Period(_month_end(year, month), datetime.date(year, month, 1), MONTH, match[0])
    if part.startswith("Q"):
        quarter = int(part[1:])
        first = 3 * quarter - 2
        return Period(_month_end(year, first + 2), datetime.date(year, first, 1), QUARTER, match[0])
    if part == "H1":
        return Period(datetime.date(year, 6, 30), start, HALF, match[0])
    if part == "9M":
        return Period(datetime.date(year, 9, 30), start, NINE, match[0])
    return Period(datetime.date(year, 12, 31), start, YEAR, match[0])


def periods_between(starts_on: datetime.date, ends_on: datetime.date, kinds: Iterable[str]) -> list[Period]:
    """The periods of `kinds` lying wholly inside [starts_on, ends_on], by their end."""
    wanted = set(kinds)
    found: list[Period] = []
    for year in range(starts_on.year, ends_on.year + 1):
        parts = [f"M{m:02d}" for m in range(1, 13)] + [f"Q{q}" for q in range(1, 5)] + ["H1", "9M", "Y"]
        for part in parts:
            period = parse_period(f"{year}-{part}")
            if period.kind in wanted and period.starts_on >= starts_on and period.ends_on <= ends_on:
                found.append(period)
    return sorted(found, key=lambda p: p.sort_key)


def check_period(
    code: str, *, kinds: Sequence[str], starts_on: datetime.date, ends_on: datetime.date
) -> Period:
    """The period of `code`, if the target follows its kind and it lies inside the campaign."""
    period = parse_period(code)
    if period.kind not in kinds:
        raise PeriodError(_("Chỉ tiêu này không theo dõi kỳ %(period)s.") % {"period": period.label})
    if period.starts_on < starts_on or period.ends_on > ends_on:
        raise PeriodError(
            _("Kỳ %(period)s nằm ngoài thời gian của phong trào (%(start)s – %(end)s).")
            % {"period": period.label, "start": f"{starts_on:%d/%m/%Y}", "end": f"{ends_on:%d/%m/%Y}"}
        )
    return period


# --- met or not ----------------------------------------------------------------------------------------
def is_met(
    *,
    kind: str,
    threshold: Decimal | None,
    value: Decimal | None,
    due_on: datetime.date | None = None,
    delivered_on: datetime.date | None = None,
) -> bool:
    """Whether one reported result meets its target (threshold inclusive, as the plan's "từ … trở lên")."""
    if kind == DELIVERABLE:
        return delivered_on is not None and (due_on is None or delivered_on <= due_on)
    if value is None:
        return False
    return value >= (threshold if threshold is not None else Decimal(0))


# --- the review's scoring ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Cell:
    """One expected (target, period) of a unit: reported or not, met or not, late or not."""

    period: str
    reported: bool
    met: bool
    late: bool


@dataclass(frozen=True)
class LineInput:
    target: str  # code
    name: str
    weight: Decimal
    cells: Sequence[Cell]
    group: str = ""  # targets sharing a group are alternatives ("hoặc"): the best one counts


@dataclass(frozen=True)
class Rule:
    late_credit: Decimal  # the credit of a met result reported after its deadline (0 … 1)
    htxs_from: Decimal  # the score (%) each rating needs
    htt_from: Decimal
    ht_from: Decimal


@dataclass(frozen=True)
class Line:
    target: str
    name: str
    weight: Decimal
    expected: int
    met_on_time: int
    met_late: int
    not_met: int
    missing: int
    ratio: Decimal  # the credit earned over the periods expected (0 … 1)
    counted: bool  # False for an alternative beaten by a better one of its group
    text: str


@dataclass(frozen=True)
class Score:
    lines: list[Line]
    percent: Decimal
    rating: str
    steps: list[str] = field(default_factory=list)


def _q(value: Decimal, places: str = "0.01") -> Decimal:
    return value.quantize(Decimal(places))


def score(lines: Sequence[LineInput], rule: Rule) -> Score:
    """Weighted share of the credit earned, then the rating whose threshold it reaches.

    Each line: credit = met on time × 1 + met late × late_credit, over the periods expected (a missing
    or unmet report earns nothing). Alternatives of one group count once, by the best of them, with the
    weight of that line. Score = Σ weight × credit ratio / Σ weight × 100.
    """
    scored: list[Line] = []
    for item in lines:
        expected = len(item.cells)
        on_time = sum(1 for c in item.cells if c.reported and c.met and not c.late)
        late = sum(1 for c in item.cells if c.reported and c.met and c.late)
        missing = sum(1 for c in item.cells if not c.reported)
        not_met = expected - on_time - late - missing
        credit = Decimal(on_time) + Decimal(late) * rule.late_credit
        ratio = credit / expected if expected else Decimal(0)
        text = _(
            "%(name)s: %(on_time)s đạt đúng hạn + %(late)s đạt nộp muộn × %(credit)s trên %(expected)s kỳ "
            "(chưa đạt %(not_met)s, thiếu %(missing)s) = %(ratio)s%% × trọng số %(weight)s"
        ) % {
            "name": item.name,
            "on_time": on_time,
            "late": late,
            "credit": rule.late_credit.normalize(),
            "expected": expected,
            "not_met": not_met,
            "missing": missing,
            "ratio": _q(ratio * 100),
            "weight": item.weight.normalize(),
        }
        scored.append(
            Line(
                item.target,
                item.name,
                item.weight,
                expected,
                on_time,
                late,
                not_met,
                missing,
                ratio,
                True,
                text,
            )
        )
    best: dict[str, Line] = {}
    for line, item in zip(scored, lines, strict=True):
        if item.group and (item.group not in best or line.ratio > best[item.group].ratio):
            best[item.group] = line
    final: list[Line] = []
    for line, item in zip(scored, lines, strict=True):
        if item.group and best[item.group] is not line:
            line = Line(
                **{
                    **line.__dict__,
                    "counted": False,
                    "text": line.text + " — " + _("không tính (đã tính chỉ tiêu thay thế tốt hơn)"),
                }
            )
        final.append(line)
    counted = [line for line in final if line.counted and line.expected]
    total_weight = sum((line.weight for line in counted), Decimal(0))
    earned = sum((line.weight * line.ratio for line in counted), Decimal(0))
    percent = _q(earned / total_weight * 100) if total_weight else Decimal("0.00")
    rating = rating_for(percent, rule)
    steps = [
        _("Tổng trọng số tính điểm: %(w)s; điểm đạt: %(e)s; tỷ lệ: %(p)s%%.")
        % {"w": total_weight.normalize(), "e": _q(earned), "p": percent},
        _("Ngưỡng: HTXS từ %(x)s%%, HTT từ %(t)s%%, HT từ %(h)s%%; dưới %(h)s%% là KHT → %(rating)s.")
        % {
            "x": rule.htxs_from.normalize(),
            "t": rule.htt_from.normalize(),
            "h": rule.ht_from.normalize(),
            "rating": rating.upper(),
        },
    ]
    return Score(final, percent, rating, steps)


def rating_for(percent: Decimal, rule: Rule) -> str:
    if percent >= rule.htxs_from:
        return "htxs"
    if percent >= rule.htt_from:
        return "htt"
    if percent >= rule.ht_from:
        return "ht"
    return "kht"


def rating_at_least(rating: str, minimum: str) -> bool:
    return RATINGS.index(rating) <= RATINGS.index(minimum)
