"""The office's outgoing documents: the Director's decisions, upward submissions and reports.

Each is an official document (văn bản hành chính, Decree 30/2020/NĐ-CP) with a number and symbol
that is unique within its year ("12/QĐ-CTK" starts again at 1 every January), a date, a signer and
the campaign it concerns. The nominations each one carried are recorded, so a nomination's record
shows the decision that granted it, the submission that forwarded it and the report that reported it.
States never change here: the services of `workflow.services.decisions`, `upward_submissions` and
`reports` run the transitions.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from nominations.models.awards import AwardMethod, method_for_campaign
from nominations.models.campaigns import Campaign
from nominations.models.nomination import Nomination, State


class OfficialDocument(models.Model):
    number = models.CharField(_("số, ký hiệu"), max_length=60)
    year = models.PositiveSmallIntegerField(_("năm"), editable=False)
    date = models.DateField(_("ngày ban hành"))
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("phong trào"), on_delete=models.PROTECT, related_name="+"
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ký"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    signer_title = models.CharField(
        _("quyền hạn, chức vụ người ký"),
        max_length=120,
        help_text=_("Ví dụ: CỤC TRƯỞNG; KT. CỤC TRƯỞNG / PHÓ CỤC TRƯỞNG (mỗi dòng một dòng chữ ký)."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("lập lúc"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["number", "year"], name="%(app_label)s_%(class)s_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.date:%d/%m/%Y})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.year = self.date.year
        super().save(*args, **kwargs)


class Decision(OfficialDocument):
    """Quyết định khen thưởng of the Director: the nominations it approved, with their reward amounts."""

    base_salary = models.DecimalField(
        _("lương cơ sở áp dụng (đồng)"), max_digits=12, decimal_places=0, default=Decimal(0)
    )
    base_salary_basis = models.CharField(_("căn cứ lương cơ sở"), max_length=200, blank=True)
    nominations = models.ManyToManyField(
        Nomination, through="DecisionItem", verbose_name=_("hồ sơ"), related_name="+"
    )
    # Blank means "as the campaign": filled on save (method_for_campaign), so every decision has one.
    method = models.CharField(
        _("phương thức khen thưởng"), max_length=16, choices=AwardMethod.choices, blank=True
    )

    class Meta(OfficialDocument.Meta):
        verbose_name = _("quyết định khen thưởng")
        verbose_name_plural = _("quyết định khen thưởng")

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.method:
            self.method = method_for_campaign(self.campaign.kind)
        super().save(*args, **kwargs)

    @property
    def total(self) -> Decimal:
        """The total of the decision as issued (its annex), revoked items included."""
        return self.items.aggregate(total=Sum("amount"))["total"] or Decimal(0)

    @property
    def total_in_force(self) -> Decimal:
        total = self.items.exclude(nomination__state=State.REVOKED).aggregate(total=Sum("amount"))["total"]
        return total or Decimal(0)


class DecisionItem(models.Model):
    """One line of a decision's annex: who, which award, the multiple and the amount (snapshot at issue).

    Whether the line was later annulled is read from the nomination's state (`revoked`), so it is true
    whichever entry point revoked it; the reason is in the audit log.
    """

    decision = models.ForeignKey(
        Decision, verbose_name=_("quyết định"), on_delete=models.PROTECT, related_name="items"
    )
    nomination = models.OneToOneField(
        Nomination, verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="decision_item"
    )
    position = models.PositiveSmallIntegerField(_("số thứ tự"))
    reward_multiple = models.DecimalField(_("hệ số mức thưởng"), max_digits=5, decimal_places=2)
    amount = models.DecimalField(_("số tiền thưởng (đồng)"), max_digits=14, decimal_places=0)

    class Meta:
        verbose_name = _("dòng danh sách khen thưởng")
        verbose_name_plural = _("danh sách khen thưởng")
        ordering = ["decision", "position"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "position"], name="decision_item_unique_position"),
        ]

    def __str__(self) -> str:
        return f"{self.decision.number} #{self.position}"

    @property
    def is_revoked(self) -> bool:
        return self.nomination.state == State.REVOKED


class Addressee(models.TextChoices):
    MINISTRY = "ministry", _("Tổng cục Thống kê (Bộ Kế hoạch và Đầu tư)")
    BLOC = "bloc", _("Khối thi đua")
    HOME_AFFAIRS = "home_affairs", _("Sở Nội vụ (Ban Thi đua - Khen thưởng)")
    PROVINCE = "province", _("Ủy ban nhân dân tỉnh")


class UpwardSubmission(OfficialDocument):
    """Tờ trình: awards beyond the Director's authority proposed to the body that decides them."""

    addressee = models.CharField(_("nơi nhận"), max_length=16, choices=Addressee.choices)
    addressee_name = models.CharField(
        _("tên cơ quan nhận"),
        max_length=200,
        help_text=_("Như ghi sau “Kính gửi:”, ví dụ: Tổng cục Thống kê."),
    )
    nominations = models.ManyToManyField(
        Nomination, through="UpwardSubmissionItem", verbose_name=_("hồ sơ"), related_name="+"
    )

    class Meta(OfficialDocument.Meta):
        verbose_name = _("tờ trình cấp trên")
        verbose_name_plural = _("tờ trình cấp trên")


class UpwardSubmissionItem(models.Model):
    """One nomination of a submission. Its outcome is the nomination's state (granted / not_granted)."""

    submission = models.ForeignKey(
        UpwardSubmission, verbose_name=_("tờ trình"), on_delete=models.PROTECT, related_name="items"
    )
    nomination = models.OneToOneField(
        Nomination, verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="submission_item"
    )
    position = models.PositiveSmallIntegerField(_("số thứ tự"))
    outcome_date = models.DateField(_("ngày quyết định của cấp trên"), null=True, blank=True)

    class Meta:
        verbose_name = _("hồ sơ trong tờ trình")
        verbose_name_plural = _("hồ sơ trong tờ trình")
        ordering = ["submission", "position"]

    def __str__(self) -> str:
        return f"{self.submission.number} #{self.position}"


DEFAULT_REPORT_RECIPIENTS = (
    "Lãnh đạo Cục Thống kê tỉnh",
    "Khối thi đua các cơ quan Trung ương đóng trên địa bàn tỉnh",
    "Sở Nội vụ tỉnh Ninh Thuận (Ban Thi đua - Khen thưởng)",
)


class Report(OfficialDocument):
    """Báo cáo kết quả thi đua, khen thưởng of a campaign or phase, for the leaders, the bloc and Sở Nội vụ.

    A draft shows what it would carry; issuing moves the campaign's approved and granted nominations to
    `reported`, records them here and freezes the counts the document prints.
    """

    class ReportState(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        ISSUED = "issued", _("Đã ban hành")

    state = models.CharField(
        _("trạng thái"), max_length=8, choices=ReportState.choices, default=ReportState.DRAFT
    )
    recipients = models.TextField(
        _("nơi nhận"),
        default="\n".join(DEFAULT_REPORT_RECIPIENTS),
        help_text=_("Mỗi dòng một nơi nhận."),
    )
    counts = models.JSONField(_("số liệu tổng hợp khi ban hành"), default=dict, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ban hành"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("ban hành lúc"), null=True, blank=True)
    nominations = models.ManyToManyField(
        Nomination, through="ReportItem", verbose_name=_("hồ sơ đã báo cáo"), related_name="+"
    )

    class Meta(OfficialDocument.Meta):
        verbose_name = _("báo cáo thi đua, khen thưởng")
        verbose_name_plural = _("báo cáo thi đua, khen thưởng")

    @property
    def recipient_list(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]

    @property
    def is_issued(self) -> bool:
        return self.state == self.ReportState.ISSUED


class ReportItem(models.Model):
    report = models.ForeignKey(
        Report, verbose_name=_("báo cáo"), on_delete=models.PROTECT, related_name="items"
    )
    nomination = models.OneToOneField(
        Nomination, verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="report_item"
    )
    position = models.PositiveSmallIntegerField(_("số thứ tự"))

    class Meta:
        verbose_name = _("hồ sơ trong báo cáo")
        verbose_name_plural = _("hồ sơ trong báo cáo")
        ordering = ["report", "position"]

    def __str__(self) -> str:
        return f"{self.report.number} #{self.position}"
