"""Emulation targets (chỉ tiêu thi đua), the units' periodic results, and the review's unit ratings.

The plan (Kế hoạch thi đua 2023, mục II.3) sets the targets; each unit reports its results per period
(mục II.1: "hàng tháng, hàng quý, 6 tháng, 9 tháng và kế hoạch năm"); the office (Phòng TC-HC, mục III)
follows, checks and urges, then scores the results at the review (sơ kết 6 tháng, tổng kết năm).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from nominations.models.campaigns import Campaign
from nominations.models.files import StoredFile
from nominations.models.nomination import Rating
from nominations.models.org import OrgUnit
from nominations.rules import targets as rules


def _all_periods() -> list[str]:
    return [rules.QUARTER, rules.HALF, rules.NINE, rules.YEAR]


class Target(models.Model):
    """One target of a campaign — for every unit of the campaign, or for one unit (`unit` set)."""

    class Kind(models.TextChoices):
        SHARE = rules.SHARE, _("Tỷ lệ hoàn thành chương trình (%)")
        POINTS = rules.POINTS, _("Điểm chất lượng so với kế hoạch (%)")
        RANKING = rules.RANKING, _("Thay đổi vị thứ xếp hạng (bậc)")
        DELIVERABLE = rules.DELIVERABLE, _("Sản phẩm có thời hạn")

    class PeriodKind(models.TextChoices):
        MONTH = rules.MONTH, _("Hằng tháng")
        QUARTER = rules.QUARTER, _("Hằng quý")
        HALF = rules.HALF, _("6 tháng")
        NINE = rules.NINE, _("9 tháng")
        YEAR = rules.YEAR, _("Cả năm")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("phong trào"), on_delete=models.CASCADE, related_name="targets"
    )
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("đơn vị riêng"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="own_targets",
        help_text=_("Để trống nếu chỉ tiêu áp dụng cho mọi đơn vị của phong trào."),
    )
    code = models.SlugField(_("mã chỉ tiêu"), max_length=40)
    name = models.CharField(_("nội dung chỉ tiêu"), max_length=300)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    threshold = models.DecimalField(
        _("ngưỡng đạt"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Giá trị tối thiểu để đạt (%, điểm % hoặc số bậc); để trống với sản phẩm có thời hạn."),
    )
    due_on = models.DateField(_("thời hạn hoàn thành"), null=True, blank=True)
    periods = models.JSONField(_("kỳ theo dõi"), default=_all_periods)
    weight = models.DecimalField(
        _("trọng số"), max_digits=5, decimal_places=2, default=Decimal(1), validators=[MinValueValidator(0)]
    )
    alternative_group = models.SlugField(
        _("nhóm thay thế"),
        max_length=40,
        blank=True,
        help_text=_("Các chỉ tiêu cùng nhóm là phương án “hoặc”: khi chấm điểm chỉ tính chỉ tiêu tốt nhất."),
    )
    report_days = models.PositiveSmallIntegerField(
        _("hạn báo cáo (ngày làm việc sau kỳ)"), default=5, validators=[MaxValueValidator(60)]
    )
    basis_number = models.CharField(_("số kế hoạch"), max_length=60, blank=True)
    basis_article = models.CharField(_("mục, điều của kế hoạch"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("chỉ tiêu thi đua")
        verbose_name_plural = _("chỉ tiêu thi đua")
        ordering = ["campaign", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "code"],
                condition=models.Q(unit__isnull=True),
                name="target_code_campaign",
            ),
            models.UniqueConstraint(
                fields=["campaign", "unit", "code"],
                condition=models.Q(unit__isnull=False),
                name="target_code_unit",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def basis(self) -> str:
        return ", ".join(part for part in (self.basis_number, self.basis_article) if part)


class ScoringRule(models.Model):
    """How the review scores a campaign's results (configurable, DOMAIN.md): stored as data."""

    campaign = models.OneToOneField(
        Campaign, verbose_name=_("phong trào"), on_delete=models.CASCADE, related_name="scoring_rule"
    )
    late_credit = models.DecimalField(
        _("hệ số của kết quả đạt nhưng báo cáo muộn"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.5"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    htxs_from = models.DecimalField(_("HTXS từ (%)"), max_digits=5, decimal_places=2, default=Decimal(95))
    htt_from = models.DecimalField(_("HTT từ (%)"), max_digits=5, decimal_places=2, default=Decimal(80))
    ht_from = models.DecimalField(_("HT từ (%)"), max_digits=5, decimal_places=2, default=Decimal(50))
    basis = models.CharField(_("căn cứ"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("cách chấm điểm chỉ tiêu")
        verbose_name_plural = _("cách chấm điểm chỉ tiêu")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(htxs_from__gte=models.F("htt_from"), htt_from__gte=models.F("ht_from")),
                name="scoring_thresholds_ordered",
            )
        ]

    def __str__(self) -> str:
        return str(self.campaign)

    def as_rule(self) -> rules.Rule:
        return rules.Rule(self.late_credit, self.htxs_from, self.htt_from, self.ht_from)


class TargetResult(models.Model):
    """A unit's result for one target and period, reported by its head."""

    class State(models.TextChoices):
        REPORTED = "reported", _("Đã báo cáo")
        RETURNED = "returned", _("Trả lại để sửa")
        CONFIRMED = "confirmed", _("Đã xác nhận")
        REOPENED = "reopened", _("Mở lại để sửa")

    EDITABLE = (State.REPORTED, State.RETURNED, State.REOPENED)

    target = models.ForeignKey(
        Target, verbose_name=_("chỉ tiêu"), on_delete=models.CASCADE, related_name="results"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="target_results"
    )
    period = models.CharField(_("kỳ"), max_length=8)
    period_ends_on = models.DateField(_("cuối kỳ"))
    value = models.DecimalField(_("kết quả"), max_digits=7, decimal_places=2, null=True, blank=True)
    delivered_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    comment = models.TextField(_("giải trình"), blank=True)
    met = models.BooleanField(_("đạt"), default=False)
    due_on = models.DateField(_("hạn báo cáo"))
    late = models.BooleanField(_("báo cáo muộn"), default=False)
    state = models.CharField(_("tình trạng"), max_length=16, choices=State.choices, default=State.REPORTED)
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người báo cáo"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("thời điểm báo cáo"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xác nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("thời điểm xác nhận"), null=True, blank=True)

    class Meta:
        verbose_name = _("kết quả thực hiện chỉ tiêu")
        verbose_name_plural = _("kết quả thực hiện chỉ tiêu")
        ordering = ["unit__order", "target__order", "period_ends_on"]
        constraints = [
            models.UniqueConstraint(fields=["target", "unit", "period"], name="target_result_once")
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.target.code} — {self.period}"


class TargetEvidence(StoredFile):
    """A file supporting a result (checked like a dossier file: by content, size-limited)."""

    result = models.ForeignKey(
        TargetResult, verbose_name=_("kết quả"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("tệp"), upload_to="targets/%Y/%m/")

    class Meta:
        verbose_name = _("minh chứng kết quả")
        verbose_name_plural = _("minh chứng kết quả")
        ordering = ["result", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class Review(models.Model):
    """A review of a campaign's results: the phase review (sơ kết 6 tháng) or the year-end summary."""

    class Kind(models.TextChoices):
        HALF = "half", _("Sơ kết 6 tháng")
        YEAR = "year", _("Tổng kết năm")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("phong trào"), on_delete=models.CASCADE, related_name="reviews"
    )
    kind = models.CharField(_("loại"), max_length=8, choices=Kind.choices)
    covers_until = models.DateField(_("tính kết quả đến ngày"))
    held_on = models.DateField(_("ngày hội nghị"), null=True, blank=True)

    class Meta:
        verbose_name = _("sơ kết, tổng kết")
        verbose_name_plural = _("sơ kết, tổng kết")
        ordering = ["campaign", "covers_until"]
        constraints = [models.UniqueConstraint(fields=["campaign", "kind"], name="review_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.campaign}"


class UnitRating(models.Model):
    """A unit's rating at a review: proposed by the scoring rule, confirmed or corrected by the office."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Đề xuất")
        CONFIRMED = "confirmed", _("Đã xác nhận")

    review = models.ForeignKey(
        Review, verbose_name=_("sơ kết, tổng kết"), on_delete=models.CASCADE, related_name="ratings"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="review_ratings"
    )
    percent = models.DecimalField(_("điểm (%)"), max_digits=5, decimal_places=2)
    proposed = models.CharField(_("xếp loại đề xuất"), max_length=8, choices=Rating.choices)
    rating = models.CharField(_("xếp loại"), max_length=8, choices=Rating.choices)
    computation = models.JSONField(_("cách tính"), default=dict)
    state = models.CharField(_("tình trạng"), max_length=16, choices=State.choices, default=State.PROPOSED)
    reason = models.TextField(_("lý do điều chỉnh"), blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xác nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("thời điểm xác nhận"), null=True, blank=True)

    class Meta:
        verbose_name = _("xếp loại đơn vị")
        verbose_name_plural = _("xếp loại đơn vị")
        ordering = ["review", "unit__order"]
        constraints = [models.UniqueConstraint(fields=["review", "unit"], name="unit_rating_once")]

    def __str__(self) -> str:
        return f"{self.unit} — {self.review}: {self.get_rating_display()}"
