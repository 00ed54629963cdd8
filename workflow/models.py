from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process


class AppendOnlyError(Exception):
    """Audit events are never updated or deleted — by anyone, administrators included."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("audit events cannot be updated")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise AppendOnlyError("audit events cannot be updated")

    def update_or_create(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("audit events cannot be updated")

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> Any:
        # Events are appended one by one through workflow.audit.log.record, which chains them; an upsert
        # (update_conflicts) would rewrite existing rows.
        raise AppendOnlyError("audit events are appended through workflow.audit.log.record only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events cannot be deleted")

    def _raw_delete(self, using: Any) -> int:
        raise AppendOnlyError("audit events cannot be deleted")


class AuditEvent(models.Model):
    """One append-only entry of the audit log, HMAC-chained to the one before it (see workflow.audit.log)."""

    class Kind(models.TextChoices):
        TRANSITION = "transition", _("Chuyển trạng thái")
        CREATED = "created", _("Lập hồ sơ")
        EDITED = "edited", _("Sửa hồ sơ")
        FILE_ADDED = "file_added", _("Thêm tài liệu")
        FILE_REMOVED = "file_removed", _("Xóa tài liệu")
        PERMISSION_GRANTED = "permission_granted", _("Cấp quyền")
        PERMISSION_REVOKED = "permission_revoked", _("Thu hồi quyền")
        RULE_CHANGED = "rule_changed", _("Thay đổi quy định")
        SESSION = "session", _("Phiên họp Hội đồng")
        BALLOT_CAST = "ballot_cast", _("Đã bỏ phiếu")
        DOCUMENT = "document", _("Văn bản")
        ADMIN = "admin", _("Quản trị hệ thống")
        OTHER = "other", _("Khác")

    # Empty while the event waits for its place in the chain (workflow.audit.log: sealed in batches).
    seq = models.PositiveBigIntegerField(_("số thứ tự"), unique=True, null=True, blank=True)
    at = models.DateTimeField(_("thời điểm"), db_index=True)
    kind = models.CharField(_("loại sự kiện"), max_length=24, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("tên người thực hiện"), max_length=150, blank=True)
    actor_role = models.CharField(_("vai trò"), max_length=32, blank=True)
    actor_unit = models.CharField(_("đơn vị"), max_length=32, blank=True)
    object_type = models.CharField(_("loại đối tượng"), max_length=64)
    object_id = models.CharField(_("mã đối tượng"), max_length=64)
    nomination = models.ForeignKey(
        "nominations.Nomination",
        verbose_name=_("hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
        db_constraint=True,
    )
    transition = models.CharField(_("thao tác"), max_length=32, blank=True)
    from_state = models.CharField(_("từ trạng thái"), max_length=16, blank=True)
    to_state = models.CharField(_("sang trạng thái"), max_length=16, blank=True)
    comment = models.TextField(_("ghi chú"), blank=True)
    data = models.JSONField(_("dữ liệu"), default=dict, blank=True)
    prev_hash = models.CharField(_("mã băm trước"), max_length=64)
    hash = models.CharField(_("mã băm"), max_length=64)

    objects: ClassVar[AuditEventQuerySet] = AuditEventQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("sự kiện nhật ký")
        verbose_name_plural = _("nhật ký kiểm tra")
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["nomination", "seq"]),
            models.Index(fields=["actor", "seq"]),
            models.Index(fields=["object_type", "object_id"]),
            # The events waiting to be chained: none most of the time, read by every append.
            models.Index(fields=["id"], condition=models.Q(seq__isnull=True), name="workflow_audit_waiting"),
        ]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"#{self.seq} {self.transition or self.kind} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Only ever an INSERT: a fresh instance given an existing pk would otherwise be saved as an UPDATE.
        if args or not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise AppendOnlyError("audit events cannot be updated")
        if self.pk is not None:
            raise AppendOnlyError(
                "audit events are appended by workflow.audit.log.record, never saved over an id"
            )
        kwargs["force_insert"] = True
        super().save(**kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events cannot be deleted")


class AuditChainHead(models.Model):
    """The single row that orders the chain. Taken only when free (workflow.audit.log): never waited for
    inside a transaction, so it serialises the chaining of events, not the transactions that write them."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("đầu chuỗi nhật ký")
        default_permissions = ()

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"


class Notification(models.Model):
    """An e-mail waiting to go out (the outbox). Recorded in the transaction that caused it, delivered after.

    A failing mail server therefore never rolls back or loses a transition: the row stays unsent and
    `deliver_notifications` retries it.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    email = models.EmailField(_("địa chỉ"))
    subject = models.CharField(_("tiêu đề"), max_length=250)
    body = models.TextField(_("nội dung"))
    event = models.ForeignKey(
        AuditEvent,
        verbose_name=_("sự kiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    dedupe_key = models.CharField(max_length=120, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    sent_at = models.DateTimeField(_("đã gửi lúc"), null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    claimed_at = models.DateTimeField(_("đang gửi từ"), null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email}: {self.subject}"


class NominationProcess(Process):
    """The viewflow process of one nomination: where it stands among the people who act on it.

    It holds no status of its own: `Nomination.state` (the FSM) is the only truth, and the flow's
    gateway reads it to decide which human task is open (see `workflow.process.flows`).
    """

    nomination = models.OneToOneField(
        "nominations.Nomination",
        verbose_name=_("hồ sơ"),
        on_delete=models.PROTECT,
        related_name="workflow_process",
    )

    class Meta:
        verbose_name = _("quy trình hồ sơ")
        verbose_name_plural = _("quy trình hồ sơ")
        # viewflow adds "manage" when the flow class is defined; declared here so the migration state
        # does not depend on whether the flow module was imported first.
        default_permissions = ("add", "change", "delete", "view", "manage")


class Deadline(models.Model):
    """How many working days a step may take (DOMAIN.md "Deadlines", configurable by the administrator).

    A step (a node of the flow) can have several: the office returns an incomplete dossier within 5
    working days and appraises a complete one within 20, both counted from the day it was received.
    """

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    node = models.CharField(_("bước của quy trình"), max_length=40)
    label = models.CharField(_("nội dung"), max_length=200)
    working_days = models.PositiveSmallIntegerField(_("số ngày làm việc"))
    legal_basis = models.CharField(_("căn cứ"), max_length=300, blank=True)
    active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        verbose_name = _("thời hạn xử lý")
        verbose_name_plural = _("thời hạn xử lý")
        ordering = ["node", "working_days"]

    def __str__(self) -> str:
        return f"{self.label} ({self.working_days})"


class Holiday(models.Model):
    """A public holiday (ngày nghỉ lễ, Tết): not a working day, like Saturdays and Sundays."""

    day = models.DateField(_("ngày"), unique=True)
    name = models.CharField(_("tên ngày nghỉ"), max_length=120)

    class Meta:
        verbose_name = _("ngày nghỉ lễ")
        verbose_name_plural = _("ngày nghỉ lễ")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.name}"


class Reminder(models.Model):
    """A deadline reminder already sent for one task: each is sent once, however often cron runs."""

    task = models.ForeignKey(
        "viewflow.Task", verbose_name=_("việc"), on_delete=models.CASCADE, related_name="+"
    )
    deadline = models.ForeignKey(
        Deadline, verbose_name=_("thời hạn"), on_delete=models.CASCADE, related_name="+"
    )
    due_on = models.DateField(_("hạn"))
    created_at = models.DateTimeField(_("nhắc lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("lần nhắc hạn")
        verbose_name_plural = _("lần nhắc hạn")
        constraints = [
            models.UniqueConstraint(fields=["task", "deadline"], name="reminder_once_per_task_deadline")
        ]

    def __str__(self) -> str:
        return f"{self.task_id}/{self.deadline_id} {self.due_on}"
