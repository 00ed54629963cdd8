from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from nominations.models.org import Case, OrgUnit, Person


class Recipient(models.TextChoices):
    INDIVIDUAL = "individual", _("Cá nhân")
    COLLECTIVE = "collective", _("Tập thể")
    BOTH = "both", _("Cá nhân và tập thể")


class StatisticsCategory(models.TextChoices):
    """Where an award is counted in the statistics of TT 02/2023/TT-BNV (blank: in neither form).

    0602.N counts the State's awards (decided by the President or the Prime Minister), 0603.N those of a
    ministry, sector or province; the office's own titles and giấy khen are in neither.
    """

    HUAN_CHUONG = "huan_chuong", _("Huân chương")
    HUY_CHUONG = "huy_chuong", _("Huy chương")
    DANH_HIEU_VINH_DU = "danh_hieu_vinh_du", _("Danh hiệu vinh dự nhà nước")
    CO_THI_DUA_CP = "co_thi_dua_cp", _("Cờ thi đua của Chính phủ")
    BANG_KHEN_TTG = "bang_khen_ttg", _("Bằng khen của Thủ tướng Chính phủ")
    CSTD_TOAN_QUOC = "cstd_toan_quoc", _("Chiến sĩ thi đua toàn quốc")
    BANG_KHEN = "bang_khen", _("Bằng khen cấp bộ, ngành, tỉnh")
    CSTD_BO_TINH = "cstd_bo_tinh", _("Chiến sĩ thi đua cấp bộ, ngành, tỉnh")
    CO_THI_DUA = "co_thi_dua", _("Cờ thi đua cấp bộ, ngành, tỉnh")
    KY_NIEM_CHUONG = "ky_niem_chuong", _("Huy hiệu, kỷ niệm chương cấp bộ, ngành, tỉnh")


class Award(models.Model):
    """A title or commendation of the catalogue. What is needed to earn it lives in `AwardRule` versions."""

    class Kind(models.TextChoices):
        TITLE = "title", _("Danh hiệu thi đua")
        COMMENDATION = "commendation", _("Hình thức khen thưởng")

    code = models.SlugField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    recipient = models.CharField(_("đối tượng"), max_length=16, choices=Recipient.choices)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    statistics_category = models.CharField(
        _("chỉ tiêu thống kê (TT 02/2023/TT-BNV)"),
        max_length=20,
        choices=StatisticsCategory.choices,
        blank=True,
        help_text=_("Cột của biểu 0602.N hoặc 0603.N tính danh hiệu này; để trống nếu không thuộc biểu nào."),
    )

    class Meta:
        verbose_name = _("danh hiệu, hình thức khen thưởng")
        verbose_name_plural = _("danh mục khen thưởng")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    def accepts(self, *, individual: bool) -> bool:
        if self.recipient == Recipient.BOTH:
            return True
        return (self.recipient == Recipient.INDIVIDUAL) == individual


class AwardRuleQuerySet(models.QuerySet["AwardRule"]):
    def in_force_on(self, day: datetime.date) -> AwardRuleQuerySet:
        return self.filter(effective_from__lte=day).filter(
            models.Q(effective_to__isnull=True) | models.Q(effective_to__gte=day)
        )


class AwardRule(models.Model):
    """One version of the rules of an award, with its legal basis and the period it is in force.

    A nomination is judged by the version in force on the last day of its campaign's period (the day
    of the review — sơ kết or tổng kết — that considers it): see `Award.rule_for`.
    """

    class Authority(models.TextChoices):
        DIRECTOR = "director", _("Cục trưởng quyết định")
        FORWARDED = "forwarded", _("Trình cấp trên")

    class ThresholdBase(models.TextChoices):
        ALL_MEMBERS = "all_members", _("trên tổng số thành viên Hội đồng")
        VOTES_CAST = "votes_cast", _("trên số phiếu biểu quyết")

    award = models.ForeignKey(
        Award, verbose_name=_("danh hiệu"), on_delete=models.CASCADE, related_name="rules"
    )
    effective_from = models.DateField(_("hiệu lực từ"))
    effective_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=300)
    authority = models.CharField(_("thẩm quyền"), max_length=16, choices=Authority.choices)
    forwarded_to = models.CharField(
        _("cơ quan quyết định (nếu trình cấp trên)"),
        max_length=200,
        blank=True,
        help_text=_("Ví dụ: Tổng cục Thống kê, UBND tỉnh."),
    )
    requires_vote = models.BooleanField(_("cần Hội đồng biểu quyết"), default=True)
    secret_ballot = models.BooleanField(_("bỏ phiếu kín"), default=False)
    threshold = models.DecimalField(
        _("tỷ lệ đồng ý tối thiểu"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.5"),
        help_text=_("0,8 = từ 80% trở lên; 0,5 = quá bán (trên 50%)."),
    )
    threshold_inclusive = models.BooleanField(
        _("tính cả bằng ngưỡng"),
        default=False,
        help_text=_(
            'Đánh dấu nếu đạt đúng ngưỡng là đủ ("từ 80% trở lên"); bỏ trống nếu phải vượt ngưỡng ("quá bán").'
        ),
    )
    threshold_base = models.CharField(
        _("cơ sở tính tỷ lệ"), max_length=16, choices=ThresholdBase.choices, default=ThresholdBase.VOTES_CAST
    )
    quorum = models.DecimalField(
        _("tỷ lệ thành viên tham dự tối thiểu"), max_digits=4, decimal_places=3, default=Decimal("0.667")
    )
    # Criteria (DOMAIN.md "Checks made before a nomination reaches the council").
    min_rating = models.CharField(
        _("mức xếp loại tối thiểu"),
        max_length=8,
        blank=True,
        choices=[
            ("htxs", _("Hoàn thành xuất sắc nhiệm vụ")),
            ("htt", _("Hoàn thành tốt nhiệm vụ")),
            ("ht", _("Hoàn thành nhiệm vụ")),
        ],
    )
    excellent_or_initiative = models.BooleanField(
        _("cần HTXS hoặc sáng kiến được công nhận"),
        default=False,
    )
    initiative_required = models.BooleanField(_("bắt buộc có sáng kiến được công nhận"), default=False)
    same_year_prerequisite = models.ForeignKey(
        Award,
        verbose_name=_("danh hiệu tiên quyết cùng năm"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    prior_award = models.ForeignKey(
        Award,
        verbose_name=_("danh hiệu các năm liền trước"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    prior_years = models.PositiveSmallIntegerField(_("số năm liên tục"), default=0)
    # Criteria on a collective's members in the campaign's year (L22 Art. 27, 28): the share of members
    # holding `member_award` (LĐTT), how many hold `member_distinction` (CSTĐCS), everyone's yearly
    # rating, and no member disciplined at `member_discipline_limit` or above.
    member_award = models.ForeignKey(
        Award,
        verbose_name=_("danh hiệu thành viên cần đạt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    min_member_share = models.DecimalField(
        _("tỷ lệ thành viên đạt danh hiệu đó tối thiểu"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    member_distinction = models.ForeignKey(
        Award,
        verbose_name=_("danh hiệu một số thành viên cần đạt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    min_member_distinctions = models.PositiveSmallIntegerField(
        _("số thành viên đạt danh hiệu đó tối thiểu"), default=0
    )
    all_members_completed = models.BooleanField(
        _("100% thành viên hoàn thành nhiệm vụ"),
        default=False,
        help_text=_("Theo kết quả xếp loại hằng năm của từng thành viên."),
    )
    member_discipline_limit = models.CharField(
        _("không có thành viên bị kỷ luật từ hình thức"),
        max_length=16,
        blank=True,
        choices=Case.DisciplineLevel.choices,
    )
    quota = models.PositiveIntegerField(
        _("chỉ tiêu tối đa mỗi đơn vị mỗi phong trào"),
        null=True,
        blank=True,
        help_text=_("Để trống nếu không giới hạn."),
    )
    reward_multiple = models.DecimalField(
        _("mức thưởng cá nhân (lần lương cơ sở)"), max_digits=5, decimal_places=2, default=Decimal("0")
    )
    reward_multiple_collective = models.DecimalField(
        _("mức thưởng tập thể (lần lương cơ sở)"), max_digits=5, decimal_places=2, default=Decimal("0")
    )

    objects = AwardRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("quy định khen thưởng")
        verbose_name_plural = _("quy định khen thưởng")
        ordering = ["award__order", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["award", "effective_from"], name="award_rule_unique_start"),
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True)
                | models.Q(effective_to__gte=models.F("effective_from")),
                name="award_rule_period_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award.code} ({self.effective_from:%d/%m/%Y} — {self.legal_basis})"

    def clean(self) -> None:
        if self.award_id is None:
            return
        overlapping = AwardRule.objects.filter(award_id=self.award_id).exclude(pk=self.pk)
        end = self.effective_to or datetime.date.max
        overlapping = overlapping.filter(effective_from__lte=end).filter(
            models.Q(effective_to__isnull=True) | models.Q(effective_to__gte=self.effective_from)
        )
        if overlapping.exists():
            raise ValidationError(
                _("Khoảng hiệu lực trùng với một phiên bản quy định khác của danh hiệu này.")
            )
        if self.prior_award_id and not self.prior_years:
            raise ValidationError(
                {"prior_years": _("Cần số năm liên tục khi có danh hiệu các năm liền trước.")}
            )
        if bool(self.member_award_id) != (self.min_member_share is not None):
            raise ValidationError(
                {"min_member_share": _("Danh hiệu thành viên và tỷ lệ tối thiểu phải được nhập cùng nhau.")}
            )
        if bool(self.member_distinction_id) != bool(self.min_member_distinctions):
            raise ValidationError(
                {
                    "min_member_distinctions": _(
                        "Danh hiệu một số thành viên cần đạt và số thành viên tối thiểu phải được nhập cùng nhau."
                    )
                }
            )

    def reward_multiple_for(self, *, individual: bool) -> Decimal:
        return self.reward_multiple if individual else self.reward_multiple_collective


class NoRuleInForce(Exception):
    def __init__(self, award: Award, day: datetime.date) -> None:
        super().__init__(f"No rule of {award.code} is in force on {day.isoformat()}")
        self.award = award
        self.day = day


# Inside `rules_read_once()`: the versions already read, by (award, day) — None where none is in force.
_read_once: ContextVar[dict[tuple[int, datetime.date], AwardRule | None] | None] = ContextVar(
    "rules_read_once", default=None
)


@contextmanager
def rules_read_once() -> Iterator[None]:
    """Within the block, each award's rule in force on a day is read once (a batch of one transaction:
    the rules of the law do not change while it runs). Nested, it joins the enclosing block's."""
    if _read_once.get() is not None:
        yield
        return
    token = _read_once.set({})
    try:
        yield
    finally:
        _read_once.reset(token)


def rule_read(award_id: int, day: datetime.date, rule: AwardRule | None) -> None:
    """Inside `rules_read_once()`: what a caller read itself as `rule_for(award, day)` would (the
    transition's `Facts`), so a later `rule_for` of the same award and day reads nothing."""
    memo = _read_once.get()
    if memo is not None:
        memo[(award_id, day)] = rule


def reading_rules_once() -> bool:
    return _read_once.get() is not None


def rule_for(award: Award, day: datetime.date) -> AwardRule:
    """The version of the award's rules in force on `day`."""
    memo = _read_once.get()
    key = (award.pk, day)
    if memo is not None and key in memo:
        rule = memo[key]
    else:
        rule = AwardRule.objects.in_force_on(day).filter(award=award).order_by("-effective_from").first()
        if memo is not None:
            memo[key] = rule
    if rule is None:
        raise NoRuleInForce(award, day)
    return rule


class AwardMethod(models.TextChoices):
    """Phương thức khen thưởng (Luật Thi đua, khen thưởng 2022 and ND 98/2023 name the
    forms; biểu 0603.N counts awards by them, rows 11–17)."""

    REGULAR = "regular", _("Thường xuyên (theo công trạng và thành tích đạt được)")
    THEMATIC = "thematic", _("Theo chuyên đề")
    AD_HOC = "ad_hoc", _("Đột xuất")
    FOREIGN = "foreign", _("Đối ngoại")
    DEDICATION = "dedication", _("Quá trình cống hiến")
    SENIORITY = "seniority", _("Niên hạn")
    RESISTANCE = "resistance", _("Thành tích kháng chiến")


def method_for_campaign(kind: str) -> str:
    """The method an award takes unless set: the annual plan's is thường xuyên, a phase's or movement's
    chuyên đề."""
    return AwardMethod.REGULAR if kind == "annual" else AwardMethod.THEMATIC


class AwardRecord(models.Model):
    """A title or commendation a person or unit received: the award history read by multi-year rules."""

    person = models.ForeignKey(
        Person,
        verbose_name=_("cá nhân"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="award_records",
    )
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("tập thể"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="award_records",
    )
    award = models.ForeignKey(Award, verbose_name=_("danh hiệu"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("năm"))
    decision_number = models.CharField(_("số quyết định"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    nomination = models.OneToOneField(
        "nominations.Nomination",
        verbose_name=_("hồ sơ đề nghị"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="award_record",
    )
    # An imported row of an earlier year has no campaign: regular unless the office says otherwise.
    method = models.CharField(
        _("phương thức khen thưởng"), max_length=16, choices=AwardMethod.choices, default=AwardMethod.REGULAR
    )

    class Meta:
        verbose_name = _("quá trình khen thưởng")
        verbose_name_plural = _("quá trình khen thưởng")
        ordering = ["-year", "award__order"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False, unit__isnull=True)
                | models.Q(person__isnull=True, unit__isnull=False),
                name="award_record_person_xor_unit",
            ),
        ]
        indexes = [
            models.Index(fields=["person", "award", "year"]),
            models.Index(fields=["unit", "award", "year"]),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.award} — {self.person or self.unit}"


class Initiative(models.Model):
    """A recognised initiative (sáng kiến) or research work. It supports one commendation only."""

    person = models.ForeignKey(
        Person, verbose_name=_("tác giả"), on_delete=models.CASCADE, related_name="initiatives"
    )
    title = models.CharField(_("tên sáng kiến, đề tài"), max_length=300)
    year = models.PositiveSmallIntegerField(_("năm"))
    recognised = models.BooleanField(_("đã được công nhận"), default=False)
    recognised_by = models.CharField(_("quyết định công nhận"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("sáng kiến, đề tài")
        verbose_name_plural = _("sáng kiến, đề tài")
        constraints = [models.UniqueConstraint(fields=["person", "title"], name="initiative_unique_title")]

    def __str__(self) -> str:
        return self.title


class BaseSalary(models.Model):
    """Lương cơ sở by effective date (ND152 Art. 49 computes rewards from it)."""

    amount = models.PositiveIntegerField(_("mức lương cơ sở (đồng)"))
    effective_from = models.DateField(_("áp dụng từ"), unique=True)
    legal_basis = models.CharField(_("căn cứ"), max_length=200)

    class Meta:
        verbose_name = _("lương cơ sở")
        verbose_name_plural = _("lương cơ sở")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.amount:,} đ từ {self.effective_from:%d/%m/%Y}"
