"""A collective title needs the unit's rating confirmed at the year-end summary (tổng kết năm).

L22 Art. 28(a): "Tập thể lao động tiên tiến" — the collective completed its duties well (hoàn thành tốt
nhiệm vụ); Art. 27(a): "Tập thể lao động xuất sắc" — completed them excellently (hoàn thành xuất sắc);
Decree 98/2023/NĐ-CP has the titles judged on the collective's assessed results of the year. The
rating needed is the award rule's `min_rating` (data). Once the year's summary exists for the
campaign's year, the unit's rating must be confirmed there and reach that minimum; before a summary
exists the rating typed on the nomination is what `eligibility.check_criteria` reads.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from nominations.models import AwardRule, Nomination, Rating, Review
from nominations.rules.refusal import Refusal
from nominations.rules.targets import rating_at_least
from nominations.selectors.targets import confirmed_year_rating

DECREE = "Nghị định 98/2023/NĐ-CP (xét tặng theo kết quả đánh giá, xếp loại tập thể)"


def _basis(rule: AwardRule) -> str:
    return f"{rule.legal_basis}; {DECREE}" if rule.legal_basis else DECREE


def check_unit_rating(nomination: Nomination, rule: AwardRule) -> list[Refusal]:
    """Refusals (eligibility.Refusal) when the collective's confirmed year rating is missing or too low."""
    if nomination.is_individual or nomination.nominee_unit_id is None or not rule.min_rating:
        return []
    year = nomination.campaign.year
    if not Review.objects.filter(kind=Review.Kind.YEAR, campaign__ends_on__year=year).exists():
        return []
    confirmed = confirmed_year_rating(unit_id=nomination.nominee_unit_id, year=year)
    needed = Rating(rule.min_rating).label
    if confirmed is None:
        return [
            Refusal(
                "unit_rating_confirmed",
                _(
                    "Chưa có xếp loại của đơn vị năm %(year)s được Phòng TC-HC xác nhận tại tổng kết năm "
                    "(cần: %(needed)s)."
                )
                % {"year": year, "needed": needed},
                _basis(rule),
            )
        ]
    if not rating_at_least(confirmed.rating, rule.min_rating):
        return [
            Refusal(
                "unit_rating",
                _(
                    "%(award)s cần đơn vị %(needed)s; xếp loại được xác nhận tại %(review)s năm %(year)s: "
                    "%(rating)s (%(percent)s%%)."
                )
                % {
                    "award": nomination.award.name,
                    "needed": needed.lower(),
                    "review": confirmed.review.get_kind_display().lower(),
                    "year": year,
                    "rating": confirmed.get_rating_display(),
                    "percent": confirmed.percent,
                },
                _basis(rule),
            )
        ]
    return []
