"""The unit's submission (hồ sơ đề nghị của đơn vị, L22 Art. 84): one tờ trình with its list of nominees.

The shared papers (tờ trình, biên bản bình xét) exist once per unit and campaign; each nominee keeps its
own nomination (state machine, files, audit trail) and points here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nominations.models.campaigns import Campaign
from nominations.models.files import StoredFile
from nominations.models.org import OrgUnit


class Submission(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Đang lập")
        SUBMITTED = "submitted", _("Đã gửi")
        RETURNED = "returned", _("Trả lại để bổ sung")

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị đề nghị"), on_delete=models.PROTECT, related_name="submissions"
    )
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("phong trào"), on_delete=models.PROTECT, related_name="submissions"
    )
    state = models.CharField(
        _("trạng thái"), max_length=16, choices=State.choices, default=State.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ngày lập"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("ngày gửi"), null=True, blank=True)

    class Meta:
        verbose_name = _("hồ sơ đề nghị của đơn vị")
        verbose_name_plural = _("hồ sơ đề nghị của đơn vị")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "campaign"], name="submission_one_per_unit_campaign")
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.campaign}"

    @property
    def is_editable(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.RETURNED)


class SubmissionFile(StoredFile):
    """A paper shared by every nominee of the submission: the tờ trình, the biên bản bình xét, others."""

    class Kind(models.TextChoices):
        SUBMISSION = "to_trinh", _("Tờ trình của đơn vị")
        EVALUATION_MINUTES = "bien_ban", _("Biên bản bình xét")
        OTHER = "khac", _("Tài liệu khác")

    submission = models.ForeignKey(
        Submission, verbose_name=_("hồ sơ của đơn vị"), on_delete=models.CASCADE, related_name="files"
    )
    kind = models.CharField(_("loại tài liệu"), max_length=16, choices=Kind.choices)
    file = models.FileField(_("tệp"), upload_to="submissions/%Y/%m/")

    class Meta:
        verbose_name = _("tài liệu chung của hồ sơ đơn vị")
        verbose_name_plural = _("tài liệu chung của hồ sơ đơn vị")
        ordering = ["submission", "kind", "uploaded_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"
