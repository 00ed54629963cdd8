"""Certificates of awards in force: their codes, their PDF (one or a decision's batch), their verification.

The code is created when the award comes into force (the `post_transition` receiver below, inside the
transition's transaction) and, for rows older than this feature, by migration 0009 or on first use.
Who may download a certificate is who may see the nomination (`nominations_visible_to`); the
verification page is public and shows only what the certificate prints.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django_fsm.signals import post_transition

from nominations import roles
from nominations.documents.certificate import (
    certificate_facts,
    certificate_pages,
    layout_for,
    render_calibration_sheet,
    render_certificates,
)
from nominations.models import (
    AWARDED_STATES,
    Award,
    Certificate,
    CertificateLayout,
    CertificatePrintSettings,
    Decision,
    Nomination,
    Role,
    State,
)
from workflow.audit import log as audit
from workflow.base.errors import InvalidInput, NotPermitted, WrongState
from workflow.models import AuditEvent
from workflow.services.common import site_url

MAX_OFFSET_MM = Decimal(50)


@receiver(post_transition, sender=Nomination, dispatch_uid="certsign.certificate_code")
def _code_when_in_force(sender: Any, instance: Nomination, target: str, **kwargs: Any) -> None:
    # An award comes into force by approval or by the upper authority's grant (`reported` follows one of
    # them). One INSERT that ignores an existing row: no read first, no savepoint (transitions' query
    # counts are pinned in tests/bench).
    if target in (State.APPROVED, State.GRANTED):
        Certificate.objects.bulk_create([Certificate(nomination_id=instance.pk)], ignore_conflicts=True)


def verification_url(certificate: Certificate) -> str:
    """The absolute public URL printed in the QR code (SITE_URL, so the code stays the same everywhere)."""
    return site_url("certificates:verify", certificate.code)


def certificate_url(nomination: Nomination) -> str:
    return site_url("api-nomination-certificate", nomination.pk)


def certificate_of(nomination: Nomination) -> Certificate:
    """The certificate of an award in force (created here if it predates the codes); else 409."""
    if nomination.state not in AWARDED_STATES:
        raise WrongState(
            _(
                "Hồ sơ chưa được khen thưởng hoặc quyết định đã bị hủy bỏ (trạng thái: %(state)s): không cấp giấy."
            )
            % {"state": State(nomination.state).label}
        )
    try:
        return nomination.certificate
    except Certificate.DoesNotExist:
        pass
    try:
        with transaction.atomic():
            return Certificate.objects.create(nomination=nomination)
    except IntegrityError:  # a concurrent request made it first
        return Certificate.objects.get(nomination=nomination)


def _loaded(queryset: Any) -> Any:
    return queryset.select_related(
        "award__certificate_layout",
        "campaign",
        "nominee_person__unit",
        "nominee_unit",
        "certificate",
        "decision_item__decision__signer",
        "submission_item__submission",
    )


def certificate_pdf(*, nomination: Nomination, preprinted: bool = False) -> bytes:
    row = _loaded(Nomination.objects.filter(pk=nomination.pk)).get()
    certificate = certificate_of(row)
    pages = certificate_pages([(row, certificate, verification_url(certificate))])
    return render_certificates(pages, preprinted=preprinted, offsets=_offsets())


def decision_certificates_pdf(*, decision: Decision, preprinted: bool = False) -> bytes:
    """Every recipient of a decision still in force, a page each, in the annex's order."""
    rows = list(
        _loaded(
            Nomination.objects.filter(decision_item__decision=decision, state__in=AWARDED_STATES)
        ).order_by("decision_item__position")
    )
    if not rows:
        raise WrongState(_("Quyết định không còn ai được khen thưởng: không có giấy để in."))
    items = []
    for row in rows:
        certificate = certificate_of(row)
        items.append((row, certificate, verification_url(certificate)))
    return render_certificates(certificate_pages(items), preprinted=preprinted, offsets=_offsets())


def calibration_sheet_pdf(*, award: Award | None = None) -> bytes:
    award = award or Award.objects.order_by("order").first()
    if award is None:
        raise WrongState(_("Chưa có danh mục khen thưởng."))
    probe = Nomination(award=award)
    return render_calibration_sheet(layout_for(probe), CertificatePrintSettings.current())


def _offsets() -> tuple[Decimal, Decimal]:
    current = CertificatePrintSettings.current()
    return current.offset_x_mm, current.offset_y_mm


def _offset(value: Any, field: str) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", ".")).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise InvalidInput(_("Nhập một số milimét, ví dụ 2,5 hoặc -1."), field=field) from None
    if abs(number) > MAX_OFFSET_MM:
        raise InvalidInput(_("Độ dịch tối đa ±50 mm."), field=field)
    return number


def print_settings_save(*, actor: Any, offset_x_mm: Any, offset_y_mm: Any) -> CertificatePrintSettings:
    """Save the printer's calibration for pre-printed paper (office staff or administrator), audited."""
    if not (roles.is_office(actor) or roles.is_administrator(actor)):
        raise NotPermitted(_("Bạn không có quyền cân chỉnh máy in giấy khen."))
    x, y = _offset(offset_x_mm, "offset_x_mm"), _offset(offset_y_mm, "offset_y_mm")
    with transaction.atomic():
        current = CertificatePrintSettings.objects.select_for_update().order_by("pk").first()
        current = current or CertificatePrintSettings()
        current.offset_x_mm, current.offset_y_mm, current.updated_by = x, y, actor
        current.save()
        audit.record(
            kind=AuditEvent.Kind.RULE_CHANGED,
            obj=current,
            actor=actor,
            actor_role=Role.OFFICE_STAFF if roles.is_office(actor) else Role.ADMINISTRATOR,
            transition_name="certificate_calibrated",
            data={"offset_x_mm": x, "offset_y_mm": y},
        )
    return current


def certificate_layout_save(
    *, layout: CertificateLayout, actor: Any, changed_fields: list[str]
) -> CertificateLayout:
    """Save an award's certificate layout (the administrator's), logged like a rule change."""
    with transaction.atomic():
        layout.full_clean()
        layout.save()
        audit.record(
            kind=AuditEvent.Kind.RULE_CHANGED,
            obj=layout,
            actor=actor,
            actor_role=Role.ADMINISTRATOR,
            transition_name="certificate_layout_saved",
            data={"award": layout.award.code, "fields": changed_fields},
        )
    return layout


def verification_facts(code: str) -> dict[str, Any] | None:
    """The public answer for a certificate's code, or None (→ 404) for any code we never issued."""
    if not code or len(code) > 43:
        return None
    certificate = (
        Certificate.objects.filter(code=code)
        .select_related(
            "nomination__award",
            "nomination__campaign",
            "nomination__nominee_person__unit",
            "nomination__nominee_unit",
            "nomination__decision_item__decision__signer",
            "nomination__submission_item__submission",
        )
        .first()
    )
    if certificate is None:
        return None
    facts = certificate_facts(certificate.nomination)
    return {
        "nominee": facts.nominee,
        "award": facts.award,
        "decision_number": facts.decision_number,
        "decision_date": facts.decision_date.isoformat() if facts.decision_date else None,
        "issuer": facts.issuer,
        "status": "valid" if certificate.is_valid else "revoked",
    }


__all__ = [
    "calibration_sheet_pdf",
    "certificate_layout_save",
    "certificate_of",
    "certificate_pdf",
    "certificate_url",
    "decision_certificates_pdf",
    "print_settings_save",
    "verification_facts",
    "verification_url",
]
