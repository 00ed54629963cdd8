"""Participation and transparency: the public notice of results, complaints, delegation of the decision.

Commitments (đăng ký thi đua) and the award history live beside the campaign and the award catalogue
(`Commitment`, `AwardRecord`); this module holds what the process adds around a nomination.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nominations.rules.workdays import NO_HOLIDAYS, add_working_days


class NoticePublication(models.Model):
    """Công khai: the council's result on one nomination, shown to all staff for a notice period.

    Written in the transaction that brings the nomination to `proposed` (or `council_failed`), so its
    start is exactly that moment. A nomination voted on again (after a hold and a release) gets a new
    publication; the latest one is the one that counts.
    """

    nomination = models.ForeignKey(
        "nominations.Nomination",
        verbose_name=_("hồ sơ"),
        on_delete=models.CASCADE,
        related_name="notices",
    )
    outcome = models.CharField(_("kết quả"), max_length=16)
    published_at = models.DateTimeField(_("công khai từ"), db_index=True)
    notice_days = models.PositiveSmallIntegerField(_("số ngày làm việc công khai"))
    ends_on = models.DateField(_("công khai đến hết ngày"), db_index=True)

    class Meta:
        verbose_name = _("công khai kết quả")
        verbose_name_plural = _("công khai kết quả")
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return f"{self.nomination_id}: {self.published_at:%d/%m/%Y} → {self.ends_on:%d/%m/%Y}"

    def set_period(
        self, published_at: datetime.datetime, holidays: Collection[datetime.date] = NO_HOLIDAYS
    ) -> None:
        """Start the notice at `published_at`; it runs `notice_days` working days after that day."""
        self.published_at = published_at
        self.ends_on = add_working_days(timezone.localtime(published_at).date(), self.notice_days, holidays)

    def is_running(self, today: datetime.date) -> bool:
        return today <= self.ends_on

    @property
    def decision_allowed_from(self) -> datetime.date:
        return self.ends_on + datetime.timedelta(days=1)


class Complaint(models.Model):
    """Khiếu nại: a member of staff contests a published result during its notice period."""

    class State(models.TextChoices):
        OPEN = "open", _("Đang giải quyết")
        UPHELD = "upheld", _("Khiếu nại có cơ sở")
        DISMISSED = "dismissed", _("Không có cơ sở")

    nomination = models.ForeignKey(
        "nominations.Nomination",
        verbose_name=_("hồ sơ"),
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    notice = models.ForeignKey(
        NoticePublication,
        verbose_name=_("đợt công khai"),
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người khiếu nại"),
        on_delete=models.PROTECT,
        related_name="complaints_lodged",
    )
    lodged_at = models.DateTimeField(_("thời điểm khiếu nại"), default=timezone.now)
    text = models.TextField(_("nội dung khiếu nại"))
    state = models.CharField(
        _("tình trạng"), max_length=16, choices=State.choices, default=State.OPEN, db_index=True
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người giải quyết"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("thời điểm giải quyết"), null=True, blank=True)
    resolution = models.TextField(_("kết quả giải quyết"), blank=True)

    class Meta:
        verbose_name = _("khiếu nại")
        verbose_name_plural = _("khiếu nại")
        ordering = ["-lodged_at", "-id"]
        indexes = [models.Index(fields=["nomination", "state"])]

    def __str__(self) -> str:
        return f"#{self.pk} — {self.get_state_display()}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class Delegation(models.Model):
    """The Director lets a Deputy Director take the decision step (Perm.DECIDE) for a period.

    Nothing else can be delegated: the right granted is exactly what the Director's group holds on
    each nomination, and only while the delegation is live (`nominations.selectors.delegations`).
    """

    delegator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ủy quyền"),
        on_delete=models.PROTECT,
        related_name="delegations_given",
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người được ủy quyền"),
        on_delete=models.PROTECT,
        related_name="delegations_received",
    )
    starts_at = models.DateTimeField(_("từ"))
    ends_at = models.DateTimeField(_("đến"))
    note = models.CharField(_("văn bản, lý do ủy quyền"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("lập lúc"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thu hồi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("ủy quyền quyết định khen thưởng")
        verbose_name_plural = _("ủy quyền quyết định khen thưởng")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="delegation_period_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(delegate=models.F("delegator")), name="delegation_not_to_self"
            ),
        ]
        indexes = [models.Index(fields=["delegate", "starts_at", "ends_at"])]

    def __str__(self) -> str:
        return f"{self.delegator} → {self.delegate} ({self.starts_at:%d/%m/%Y}–{self.ends_at:%d/%m/%Y})"

    def is_live(self, at: datetime.datetime | None = None) -> bool:
        """Within its period and not revoked (the roles of both people are checked by the selector)."""
        at = at or timezone.now()
        return self.revoked_at is None and self.starts_at <= at <= self.ends_at
