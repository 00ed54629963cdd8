"""Certificates (giấy khen, giấy chứng nhận danh hiệu): their layouts, the paper calibration, their codes.

A certificate is printed per recipient of an award in force. Its layout is data the administrator edits
(text lines placed in millimetres), one per award; the agency usually prints on pre-printed paper, where
only the variable lines are printed, shifted by offsets calibrated once for the office's printer.
Each certificate has a code drawn from `secrets` (never derived from an id) behind its public
verification page; its status (valid / revoked) is read from the nomination's state, so revoking the
nomination or its decision shows at once.
"""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from nominations.models.awards import Award
from nominations.models.nomination import AWARDED_STATES, Nomination

# The placeholders a layout line may use (nominations.documents.certificate fills them).
PLACEHOLDERS = (
    "nominee",
    "position",
    "unit",
    "award",
    "campaign",
    "year",
    "decision_number",
    "decision_date",
    "issuer",
    "place_date",
    "signer_title",
    "signer_name",
    "code",
)
LINE_KEYS = {"text", "x_mm", "y_mm", "size", "bold", "italic", "align", "variable", "color", "width_mm"}


def new_code() -> str:
    """22 URL-safe characters from the OS's CSPRNG: 128 bits, not guessable from any id."""
    return secrets.token_urlsafe(16)


def validate_lines(value: Any) -> None:
    """Each line: {"text", "x_mm", "y_mm", "size", "bold"?, "italic"?, "align": left|center|right, "variable"?}."""
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Mẫu cần ít nhất một dòng chữ (danh sách JSON)."))
    for number, line in enumerate(value, start=1):
        if not isinstance(line, dict) or not {"text", "x_mm", "y_mm"} <= set(line):
            raise ValidationError(_("Dòng %(n)s cần text, x_mm, y_mm.") % {"n": number})
        unknown = set(line) - LINE_KEYS
        if unknown:
            raise ValidationError(
                _("Dòng %(n)s có khóa không dùng: %(keys)s.")
                % {"n": number, "keys": ", ".join(sorted(unknown))}
            )
        try:
            x, y, size = float(line["x_mm"]), float(line["y_mm"]), float(line.get("size", 14))
        except (TypeError, ValueError):
            raise ValidationError(_("Dòng %(n)s: x_mm, y_mm, size phải là số.") % {"n": number}) from None
        if not (0 <= x <= 420 and 0 <= y <= 420 and 4 <= size <= 96):
            raise ValidationError(_("Dòng %(n)s nằm ngoài trang hoặc cỡ chữ không hợp lệ.") % {"n": number})
        if line.get("align", "center") not in ("left", "center", "right"):
            raise ValidationError(_("Dòng %(n)s: align là left, center hoặc right.") % {"n": number})
        try:
            str(line["text"]).format(**dict.fromkeys(PLACEHOLDERS, ""))
        except (KeyError, IndexError, ValueError):
            raise ValidationError(
                _("Dòng %(n)s dùng trường không có. Các trường: %(fields)s.")
                % {"n": number, "fields": ", ".join("{" + p + "}" for p in PLACEHOLDERS)}
            ) from None


class CertificateLayout(models.Model):
    """The layout of one award's certificate: text lines placed in millimetres from the top-left corner."""

    class PageSize(models.TextChoices):
        A4_LANDSCAPE = "A4L", _("A4 ngang (297 × 210 mm)")
        A4_PORTRAIT = "A4P", _("A4 dọc (210 × 297 mm)")
        A3_LANDSCAPE = "A3L", _("A3 ngang (420 × 297 mm)")

    award = models.OneToOneField(
        Award,
        verbose_name=_("danh hiệu, hình thức"),
        on_delete=models.CASCADE,
        related_name="certificate_layout",
    )
    title = models.CharField(_("tên giấy"), max_length=120, help_text=_("Ví dụ: GIẤY KHEN, GIẤY CHỨNG NHẬN."))
    page_size = models.CharField(
        _("khổ giấy"), max_length=3, choices=PageSize.choices, default=PageSize.A4_LANDSCAPE
    )
    lines = models.JSONField(
        _("các dòng chữ"),
        validators=[validate_lines],
        help_text=_(
            'Danh sách JSON; mỗi dòng {"text", "x_mm", "y_mm" (từ mép trái, mép trên), "size" (pt), '
            '"bold", "italic", "align": left|center|right, "width_mm" (dài hơn thì xuống dòng), "color": '
            '"red", "variable": true nếu in cả trên phôi in sẵn}. Trường thay thế: {nominee}, {position}, '
            "{unit}, {award}, {campaign}, {year}, "
            "{decision_number}, {decision_date}, {issuer}, {place_date}, {signer_title}, {signer_name}, {code}."
        ),
    )
    qr_x_mm = models.DecimalField(
        _("mã QR: cách mép trái (mm)"), max_digits=5, decimal_places=1, default=Decimal(20)
    )
    qr_y_mm = models.DecimalField(
        _("mã QR: cách mép trên (mm)"), max_digits=5, decimal_places=1, default=Decimal(160)
    )
    qr_size_mm = models.DecimalField(
        _("mã QR: cạnh (mm)"), max_digits=4, decimal_places=1, default=Decimal(28)
    )
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)

    class Meta:
        verbose_name = _("mẫu giấy khen, giấy chứng nhận")
        verbose_name_plural = _("mẫu giấy khen, giấy chứng nhận")
        ordering = ["award__order"]

    def __str__(self) -> str:
        return f"{self.title} — {self.award}"


class CertificatePrintSettings(models.Model):
    """The one row of the office's printer calibration for pre-printed paper (phôi in sẵn)."""

    offset_x_mm = models.DecimalField(
        _("dịch ngang (mm)"),
        max_digits=4,
        decimal_places=1,
        default=Decimal(0),
        help_text=_("Dương: sang phải; âm: sang trái."),
    )
    offset_y_mm = models.DecimalField(
        _("dịch dọc (mm)"),
        max_digits=4,
        decimal_places=1,
        default=Decimal(0),
        help_text=_("Dương: xuống dưới; âm: lên trên."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cân chỉnh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("cân chỉnh lúc"), auto_now=True)

    class Meta:
        verbose_name = _("cân chỉnh in trên phôi")
        verbose_name_plural = _("cân chỉnh in trên phôi")

    def __str__(self) -> str:
        return f"{self.offset_x_mm} / {self.offset_y_mm} mm"

    @classmethod
    def current(cls) -> CertificatePrintSettings:
        return cls.objects.order_by("pk").first() or cls()


class Certificate(models.Model):
    """The verification code of one recipient's certificate (one per nomination in force)."""

    nomination = models.OneToOneField(
        Nomination, verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="certificate"
    )
    code = models.CharField(_("mã xác minh"), max_length=43, unique=True, default=new_code, editable=False)
    created_at = models.DateTimeField(_("cấp lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("giấy khen, giấy chứng nhận đã cấp")
        verbose_name_plural = _("giấy khen, giấy chứng nhận đã cấp")

    def __str__(self) -> str:
        return f"{self.nomination_id}: {self.code[:6]}…"

    @property
    def is_valid(self) -> bool:
        return self.nomination.state in AWARDED_STATES
