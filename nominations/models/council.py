from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CouncilSession(models.Model):
    """Phiên họp Hội đồng Thi đua - Khen thưởng: its members vote on an agenda of nominations."""

    class State(models.TextChoices):
        PLANNED = "planned", _("Dự kiến")
        OPEN = "open", _("Đang họp")
        CLOSED = "closed", _("Đã kết thúc")

    name = models.CharField(_("tên phiên họp"), max_length=200)
    date = models.DateField(_("ngày họp"))
    campaign = models.ForeignKey(
        "nominations.Campaign",
        verbose_name=_("phong trào"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="council_sessions",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("thành viên"), related_name="council_sessions"
    )
    state = models.CharField(_("trạng thái"), max_length=8, choices=State.choices, default=State.PLANNED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("khai mạc lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("phiên họp Hội đồng")
        verbose_name_plural = _("phiên họp Hội đồng")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%d/%m/%Y})"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN
