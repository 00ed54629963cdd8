"""Pages of certificates and signatures: the public verifications, the downloads, the printer calibration."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from nominations import roles
from nominations.models import CertificatePrintSettings
from nominations.selectors.decisions import decisions_visible_to
from nominations.selectors.nominations import nominations_visible_to
from workflow.base.errors import NotPermitted, TransitionRefused
from workflow.documents.downloads import PDF, attachment
from workflow.services import certificates as services
from workflow.services.signatures import verify_upload


def _refusal_page(request: HttpRequest, refused: TransitionRefused) -> HttpResponse:
    return render(
        request, "workflow/certificates/refused.html", {"message": refused.message}, status=refused.status
    )


@require_GET
def verify_certificate(request: HttpRequest, code: str) -> HttpResponse:
    """Public, no login: what the certificate prints and whether it is still valid; 404 for any other code."""
    facts = services.verification_facts(code)
    wants_json = request.headers.get("Accept", "").split(",")[0].strip() == "application/json"
    if facts is None:
        if wants_json:
            return JsonResponse({"detail": _("Không có giấy khen nào với mã này.")}, status=404)
        return render(request, "workflow/certificates/verify_certificate.html", {"facts": None}, status=404)
    if wants_json:
        return JsonResponse(facts, json_dumps_params={"ensure_ascii": False})
    return render(request, "workflow/certificates/verify_certificate.html", {"facts": facts})


@login_required
@require_GET
def nomination_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = get_object_or_404(nominations_visible_to(user=request.user), pk=pk)
    try:
        content = services.certificate_pdf(
            nomination=nomination, preprinted=request.GET.get("mode") == "preprinted"
        )
    except TransitionRefused as refused:
        return _refusal_page(request, refused)
    return attachment(content, f"giay-khen-{nomination.pk}.pdf", PDF)


@login_required
@require_GET
def decision_certificates(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(decisions_visible_to(user=request.user), pk=pk)
    try:
        content = services.decision_certificates_pdf(
            decision=decision, preprinted=request.GET.get("mode") == "preprinted"
        )
    except TransitionRefused as refused:
        return _refusal_page(request, refused)
    return attachment(content, f"giay-khen-quyet-dinh-{decision.pk}.pdf", PDF)


def _may_calibrate(request: HttpRequest) -> bool:
    user = request.user
    return roles.is_office(user) or roles.is_administrator(user)


@login_required
@require_http_methods(["GET", "POST"])
def calibration(request: HttpRequest) -> HttpResponse:
    """The offsets for pre-printed paper, saved once; the test sheet shows where the fields will land."""
    if not _may_calibrate(request):
        return _refusal_page(request, NotPermitted(_("Bạn không có quyền cân chỉnh máy in giấy khen.")))
    errors: dict[str, str] = {}
    current = CertificatePrintSettings.current()
    if request.method == "POST":
        try:
            services.print_settings_save(
                actor=request.user,
                offset_x_mm=request.POST.get("offset_x_mm", ""),
                offset_y_mm=request.POST.get("offset_y_mm", ""),
            )
        except TransitionRefused as refused:
            errors[getattr(refused, "field", "offset_x_mm")] = refused.message
        else:
            messages.success(request, _("Đã lưu cân chỉnh máy in."))
            return redirect("certificates:calibration")
    return render(
        request,
        "workflow/certificates/calibration.html",
        {"current": current, "errors": errors, "posted": request.POST if errors else None},
        status=400 if errors else 200,
    )


@login_required
@require_GET
def calibration_sheet(request: HttpRequest) -> HttpResponse:
    if not _may_calibrate(request):
        return _refusal_page(request, NotPermitted(_("Bạn không có quyền cân chỉnh máy in giấy khen.")))
    return attachment(services.calibration_sheet_pdf(), "mau-can-chinh.pdf", PDF)


@require_http_methods(["GET", "POST"])
def verify_signature(request: HttpRequest) -> HttpResponse:
    """Public: upload a PDF, see its signers, whether it was altered and whether its decision still stands."""
    result, error = None, ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("Chọn tệp PDF cần kiểm tra.")
        else:
            result, error = verify_upload(upload)
    return render(
        request,
        "workflow/certificates/verify_signature.html",
        {"result": result, "error": error},
        status=400 if error else 200,
    )
