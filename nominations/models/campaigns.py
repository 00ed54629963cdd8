from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from nominations.models.org import OrgUnit, Person


class Campaign(models.Model):
    """A phong trào thi đua: the annual plan, one of its phases, or a thematic movement."""

    class Kind(models.TextChoices):
        ANNUAL = "annual", _("Thi đua năm")
        PHASE = "phase", _("Đợt thi đua")
        THEMATIC = "thematic", _("Phong trào chuyên đề")

    class LaunchLevel(models.TextChoices):
        """The level of the body that launched the movement (TT 02/2023/TT-BNV, biểu 0601.N)."""

        CENTRAL = "central", _("Trung ương")
        MINISTRY_PROVINCE = "ministry_province", _("Bộ, ngành, tỉnh")
        AGENCY = "agency", _("Cơ quan, tổ chức, đơn vị")

    class Scope(models.TextChoices):
        """Whom the movement reaches (biểu 0601.N, chia theo phạm vi tổ chức thi đua)."""

        NATIONAL = "national", _("Toàn quốc")
        MINISTRY_LOCAL = "ministry_local", _("Bộ, ban, ngành, đoàn thể, địa phương")
        BLOC = "bloc", _("Cụm, khối thi đua")
        AGENCY = "agency", _("Cơ quan, tổ chức, đơn vị")

    name = models.CharField(_("tên phong trào"), max_length=300)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("thuộc kế hoạch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    theme = models.CharField(_("chủ đề"), max_length=300, blank=True)
    motto = models.CharField(_("phương châm"), max_length=300, blank=True)
    plan_number = models.CharField(_("số kế hoạch"), max_length=60, blank=True)
    plan_date = models.DateField(_("ngày kế hoạch"), null=True, blank=True)
    units = models.ManyToManyField(
        OrgUnit, verbose_name=_("đơn vị tham gia"), blank=True, related_name="campaigns"
    )
    notice_days = models.PositiveSmallIntegerField(
        _("thời gian công khai (ngày làm việc)"),
        default=0,
        help_text=_("Số ngày làm việc công khai kết quả trước khi quyết định; 0 = không công khai."),
    )
    commitment_deadline = models.DateField(_("hạn đăng ký thi đua"), null=True, blank=True)
    # The office also takes part in movements launched above it (the Prime Minister's, the province's):
    # the statistics of TT 02/2023/TT-BNV count them by who launched them and whom they reach.
    launched_level = models.CharField(
        _("cấp phát động"), max_length=20, choices=LaunchLevel.choices, default=LaunchLevel.AGENCY
    )
    scope = models.CharField(_("phạm vi"), max_length=16, choices=Scope.choices, default=Scope.AGENCY)

    class Meta:
        verbose_name = _("phong trào thi đua")
        verbose_name_plural = _("phong trào thi đua")
        ordering = ["-starts_on", "kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="campaign_period_valid"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def year(self) -> int:
        return self.ends_on.year


class Commitment(models.Model):
    """Đăng ký thi đua: a title a unit, or one of its people, aims for in a campaign."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("phong trào"), on_delete=models.CASCADE, related_name="commitments"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="commitments"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("cá nhân"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commitments",
        help_text=_("Để trống nếu là đăng ký của tập thể."),
    )
    award = models.ForeignKey("nominations.Award", verbose_name=_("danh hiệu"), on_delete=models.PROTECT)
    registered_by = models.ForeignKey(
        Person,
        verbose_name=_("người đăng ký"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("thời điểm đăng ký"), auto_now_add=True)

    class Meta:
        verbose_name = _("đăng ký thi đua")
        verbose_name_plural = _("đăng ký thi đua")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "person", "award"],
                condition=models.Q(person__isnull=False),
                name="commitment_unique_person",
            ),
            models.UniqueConstraint(
                fields=["campaign", "unit", "award"],
                condition=models.Q(person__isnull=True),
                name="commitment_unique_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person or self.unit} — {self.award}"
