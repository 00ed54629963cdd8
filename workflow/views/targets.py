"""Pages of the targets (chỉ tiêu): a unit head's results per period, the office's matrix, the review, the
bulk import of yearly ratings. Thin: they read through `nominations.selectors.targets` and write through
`workflow.services.targets` / `ratings_import`, so the rules are the same as the API's."""

from __future__ import annotations

import base64
import io
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from nominations import roles
from nominations.models import Campaign, OrgUnit, Person, Rating, Review, TargetEvidence
from nominations.rules import targets as rules
from nominations.selectors.targets import (
    MET,
    MISSING,
    NOT_MET,
    MatrixCell,
    campaigns_with_targets,
    expected_periods,
    follows_all_units,
    matrix,
    ratings_visible_to,
    reporting_unit,
    results_visible_to,
    targets_of,
    units_visible_to,
)
from workflow.base.errors import InvalidInput, TransitionRefused
from workflow.base.inputs import InputForm, parse_id, parse_int, query_text
from workflow.documents.downloads import attachment
from workflow.services import ratings_import
from workflow.services import target_reviews as reviews
from workflow.services import targets as services
from workflow.services.nominations import safe_filename

STATUS_LABELS = {
    MET: gettext_lazy("Đạt"),
    NOT_MET: gettext_lazy("Chưa đạt"),
    MISSING: gettext_lazy("Thiếu"),
    "pending": gettext_lazy("Chưa đến hạn"),
}
STATUS_CLASSES = {MET: "success", NOT_MET: "danger", MISSING: "warning", "pending": "secondary"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _actor(request: HttpRequest) -> Person:
    return cast(Person, request.user)


def _campaign(request: HttpRequest) -> Campaign | None:
    campaigns = campaigns_with_targets()
    raw = request.GET.get("campaign", "") or request.POST.get("campaign", "")
    if raw:
        # A malformed id ('²', 2⁶⁴) names no campaign: the same 404 as a missing one.
        pk = parse_id(raw)
        found = campaigns.filter(pk=pk).first() if pk is not None else None
        if found is None:
            raise Http404
        return found
    return campaigns.first()


def _periods(campaign: Campaign, unit: OrgUnit | None) -> list[rules.Period]:
    seen: dict[str, rules.Period] = {}
    for target in targets_of(campaign=campaign, unit=unit):
        for period in expected_periods(target, campaign):
            seen[period.code] = period
    return sorted(seen.values(), key=lambda p: p.sort_key)


def _default_period(periods: list[rules.Period]) -> rules.Period | None:
    today = timezone.localdate()
    ended = [p for p in periods if p.ends_on < today]
    return ended[-1] if ended else (periods[0] if periods else None)


def _pick_period(request: HttpRequest, periods: list[rules.Period]) -> rules.Period | None:
    raw = request.GET.get("period", "")
    for period in periods:
        if period.code == raw:
            return period
    return _default_period(periods)


# --- a unit head's results ------------------------------------------------------------------------------
class ResultForm(InputForm):
    value = forms.CharField(label=gettext_lazy("Kết quả"), required=False, max_length=32)
    delivered_on = forms.CharField(
        label=gettext_lazy("Ngày hoàn thành (dd/mm/yyyy)"),
        required=False,
        max_length=16,
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
    )
    comment = forms.CharField(
        label=gettext_lazy("Giải trình"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


@login_required
def unit_results(request: HttpRequest) -> HttpResponse:
    user = _actor(request)
    unit = reporting_unit(user)
    if unit is None:
        if follows_all_units(user):
            return redirect("targets:matrix")
        raise PermissionDenied
    campaign = _campaign(request)
    if campaign is None:
        return render(request, "workflow/targets/unit_results.html", {"campaign": None})
    periods = _periods(campaign, unit)
    period = _pick_period(request, periods)
    rows = []
    errors: dict[str, Any] = request.session.pop("target_form_errors", {}) if request.method == "GET" else {}
    if period is not None:
        results = {
            r.target_id: r
            for r in results_visible_to(user=user)
            .filter(target__campaign=campaign, unit=unit, period=period.code)
            .prefetch_related("evidence")
        }
        due = services.DueCalendar(period.ends_on)
        for target in targets_of(campaign=campaign, unit=unit):
            if period.kind not in target.periods:
                continue
            result = results.get(target.pk)
            initial = {}
            if result is not None:
                initial = {
                    "value": "" if result.value is None else f"{result.value.normalize():f}",
                    "delivered_on": f"{result.delivered_on:%d/%m/%Y}" if result.delivered_on else "",
                    "comment": result.comment,
                }
            form = ResultForm(initial=initial, prefix=f"t{target.pk}")
            if str(target.pk) in errors:
                form = ResultForm(errors[str(target.pk)]["data"], prefix=f"t{target.pk}")
                form.is_valid()
                form.add_error(
                    errors[str(target.pk)]["field"]
                    if errors[str(target.pk)]["field"] in form.fields
                    else None,
                    errors[str(target.pk)]["message"],
                )
            rows.append(
                {
                    "target": target,
                    "result": result,
                    "form": form,
                    "due": due(period.ends_on, target.report_days),
                    "editable": result is None or result.state in result.EDITABLE,
                }
            )
    return render(
        request,
        "workflow/targets/unit_results.html",
        {"campaign": campaign, "unit": unit, "periods": periods, "period": period, "rows": rows},
    )


@login_required
@require_POST
def result_report(request: HttpRequest) -> HttpResponse:
    user = _actor(request)
    unit = reporting_unit(user)
    if unit is None:
        raise PermissionDenied
    campaign = _campaign(request)
    target_id = parse_id(request.POST.get("target", ""))
    target = (
        targets_of(campaign=campaign, unit=unit).filter(pk=target_id).first()
        if campaign is not None and target_id is not None
        else None
    )
    if target is None:
        raise Http404
    period = request.POST.get("period", "")
    form = ResultForm(request.POST, prefix=f"t{target.pk}")
    # The period is echoed back as typed: encoded, so a line break cannot reach the Location header.
    query = urlencode({"campaign": str(target.campaign_id), "period": period})
    back = reverse("targets:unit_results") + f"?{query}#target-{target.pk}"
    if not form.is_valid():
        request.session["target_form_errors"] = {
            str(target.pk): {
                "data": request.POST.dict(),
                "field": None,
                "message": _("Dữ liệu không hợp lệ."),
            }
        }
        return redirect(back)
    try:
        services.result_report(
            actor=user,
            target=target,
            period=period,
            value=form.cleaned_data["value"],
            delivered_on=form.cleaned_data["delivered_on"],
            comment=form.cleaned_data["comment"],
            files=request.FILES.getlist(f"t{target.pk}-files"),
        )
    except InvalidInput as error:
        # Nothing was written: the typed values come back with the message next to their field.
        request.session["target_form_errors"] = {
            str(target.pk): {"data": request.POST.dict(), "field": error.field, "message": error.message}
        }
        return redirect(back)
    except TransitionRefused as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(request, _("Đã ghi kết quả: %(target)s.") % {"target": target.name})
    return redirect(back)


# --- one result: detail, evidence, the office's actions ----------------------------------------------------
@login_required
def result_detail(request: HttpRequest, pk: int) -> HttpResponse:
    result = services.visible_result_or_none(request.user, pk)
    if result is None:
        raise Http404
    return render(
        request,
        "workflow/targets/result_detail.html",
        {
            "result": result,
            "period": rules.parse_period(result.period),
            "office": roles.is_office(_actor(request)),
            "evidence": list(result.evidence.all()),
        },
    )


@login_required
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    evidence = TargetEvidence.objects.filter(pk=pk, result__in=results_visible_to(user=request.user)).first()
    if evidence is None:
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    kind = (evidence.file.name or "").rsplit(".", 1)[-1]
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=safe_filename(evidence.original_name, kind),
        content_type=evidence.content_type,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def result_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    result = services.visible_result_or_none(request.user, pk)
    if result is None:
        raise Http404
    actor = _actor(request)
    try:
        if name == "confirm":
            services.result_confirm(actor=actor, result=result)
            messages.success(request, _("Đã xác nhận kết quả."))
        elif name == "return":
            services.result_return(actor=actor, result=result, reason=request.POST.get("reason", ""))
            messages.success(request, _("Đã trả lại báo cáo cho đơn vị."))
        elif name == "reopen":
            services.result_reopen(actor=actor, result=result, reason=request.POST.get("reason", ""))
            messages.success(request, _("Đã mở lại kết quả để đơn vị sửa."))
        else:
            raise Http404
    except TransitionRefused as error:
        messages.error(request, error.message)
    return redirect("targets:result_detail", pk=result.pk)


# --- the office's matrix ---------------------------------------------------------------------------------
def _matrix_cells(request: HttpRequest, campaign: Campaign, *, all_periods: bool) -> dict[str, Any]:
    user = _actor(request)
    units = list(units_visible_to(user=user, campaign=campaign))
    unit_code = request.GET.get("unit", "")
    if unit_code:
        units = [u for u in units if u.code == unit_code]
    targets = list(targets_of(campaign=campaign))
    target_code = request.GET.get("target", "")
    if target_code:
        targets = [t for t in targets if t.code == target_code]
    periods = _periods(campaign, None)
    period = None if all_periods and not request.GET.get("period") else _pick_period(request, periods)
    status = request.GET.get("status", "")
    cells = matrix(
        campaign=campaign,
        units=units,
        targets=targets,
        periods=[period.code] if period else None,
        today=timezone.localdate(),
        due=services.DueCalendar(campaign.ends_on),
    )
    if status == "late":
        cells = [c for c in cells if c.late]
    elif status:
        cells = [c for c in cells if c.status == status]
    return {"units": units, "targets": targets, "periods": periods, "period": period, "cells": cells}


@login_required
def matrix_page(request: HttpRequest) -> HttpResponse:
    if not follows_all_units(request.user):
        raise PermissionDenied
    campaign = _campaign(request)
    if campaign is None:
        return render(request, "workflow/targets/matrix.html", {"campaign": None})
    data = _matrix_cells(request, campaign, all_periods=False)
    by_unit: dict[int, dict[int, MatrixCell]] = {}
    for cell in data["cells"]:
        by_unit.setdefault(cell.unit.pk, {})[cell.target.pk] = cell
    rows = [
        {"unit": unit, "cells": [by_unit.get(unit.pk, {}).get(t.pk) for t in data["targets"]]}
        for unit in data["units"]
        if unit.pk in by_unit or not request.GET.get("status")
    ]
    counts = {key: sum(1 for c in data["cells"] if c.status == key) for key in STATUS_LABELS}
    counts["late"] = sum(1 for c in data["cells"] if c.late)
    return render(
        request,
        "workflow/targets/matrix.html",
        {
            **data,
            "campaign": campaign,
            "campaigns": campaigns_with_targets(),
            "all_units": units_visible_to(user=request.user, campaign=campaign),
            "all_targets": targets_of(campaign=campaign),
            "rows": rows,
            "counts": counts,
            "labels": STATUS_LABELS,
            "classes": STATUS_CLASSES,
            "filters": request.GET.urlencode(),
            "status": request.GET.get("status", ""),
        },
    )


@login_required
def matrix_export(request: HttpRequest) -> HttpResponse:
    if not follows_all_units(request.user):
        raise PermissionDenied
    campaign = _campaign(request)
    if campaign is None:
        raise Http404
    data = _matrix_cells(request, campaign, all_periods=True)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Ma tran chi tieu"
    sheet.append([campaign.name])
    sheet.append(
        [
            _("Đơn vị"),
            _("Kỳ"),
            _("Chỉ tiêu"),
            _("Ngưỡng"),
            _("Kết quả"),
            _("Tình trạng"),
            _("Muộn"),
            _("Hạn báo cáo"),
        ]
    )
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    fills = {MET: "C6EFCE", NOT_MET: "FFC7CE", MISSING: "FFEB9C"}
    due = services.DueCalendar(campaign.ends_on)
    for c in data["cells"]:
        value: Any = ""
        if c.result is not None:
            value = c.result.delivered_on if c.target.kind == c.target.Kind.DELIVERABLE else c.result.value
        sheet.append(
            [
                c.unit.name,
                c.period.label,
                c.target.name,
                c.target.threshold if c.target.threshold is not None else c.target.due_on,
                value,
                str(STATUS_LABELS[c.status]),
                _("muộn") if c.late else "",
                due(c.period.ends_on, c.target.report_days),
            ]
        )
        if c.status in fills:
            sheet.cell(row=sheet.max_row, column=6).fill = PatternFill("solid", fgColor=fills[c.status])
        for column in (4, 5, 8):
            if hasattr(sheet.cell(row=sheet.max_row, column=column).value, "year"):
                sheet.cell(row=sheet.max_row, column=column).number_format = "DD/MM/YYYY"
    for letter, width in zip("ABCDEFGH", (40, 14, 60, 10, 12, 14, 8, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return attachment(out.getvalue(), f"ma-tran-chi-tieu-{campaign.pk}.xlsx", XLSX)


# --- the review ------------------------------------------------------------------------------------------
@login_required
def review_page(request: HttpRequest) -> HttpResponse:
    user = _actor(request)
    if not follows_all_units(user):
        raise PermissionDenied
    campaign = _campaign(request)
    if campaign is None:
        return render(request, "workflow/targets/review.html", {"campaign": None})
    kind = request.GET.get("kind") or request.POST.get("kind") or Review.Kind.YEAR
    if kind not in Review.Kind.values:
        raise Http404
    if request.method == "POST":
        try:
            review = reviews.review_get_or_create(actor=user, campaign=campaign, kind=kind)
            reviews.review_propose(actor=user, review=review)
            messages.success(request, _("Đã tính điểm và đề xuất xếp loại cho các đơn vị."))
        except TransitionRefused as error:
            messages.error(request, error.message)
        return redirect(reverse("targets:review") + f"?campaign={campaign.pk}&kind={kind}")
    found = Review.objects.filter(campaign=campaign, kind=kind).first()
    ratings = list(ratings_visible_to(user=user).filter(review=found)) if found else []
    return render(
        request,
        "workflow/targets/review.html",
        {
            "campaign": campaign,
            "campaigns": campaigns_with_targets(),
            "kind": kind,
            "kinds": Review.Kind.choices,
            "review": found,
            "ratings": ratings,
            "rating_choices": Rating.choices,
            "office": roles.is_office(user),
        },
    )


@login_required
@require_POST
def unit_rating_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    rating = ratings_visible_to(user=request.user).filter(pk=pk).first()
    if rating is None:
        raise Http404
    try:
        reviews.unit_rating_confirm(
            actor=_actor(request),
            unit_rating=rating,
            rating=request.POST.get("rating", ""),
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, _("Đã xác nhận xếp loại của %(unit)s.") % {"unit": rating.unit.name})
    except TransitionRefused as error:
        messages.error(request, f"{rating.unit.name}: {error.message}")
    review: Review = rating.review
    return redirect(
        reverse("targets:review")
        + f"?campaign={review.campaign_id}&kind={review.kind}#unit-{rating.unit.code}"
    )


# --- the bulk import of yearly ratings ------------------------------------------------------------------------
SESSION_KEY = "rating_import"


def _import_unit(request: HttpRequest) -> OrgUnit | None:
    code = query_text(request.GET.get("unit", "") or request.POST.get("unit", ""), limit=32)
    return OrgUnit.objects.filter(code=code).first() if code else None


@login_required
def ratings_import_page(request: HttpRequest) -> HttpResponse:
    user = _actor(request)
    office = roles.is_office(user)
    try:
        unit = (
            ratings_import.import_unit(user, _import_unit(request))
            if (not office or _import_unit(request))
            else None
        )
    except TransitionRefused:
        raise PermissionDenied from None
    year_text = request.GET.get("year", "") or request.POST.get("year", "")
    year = parse_int(year_text, minimum=2000, maximum=2100) or timezone.localdate().year - 1
    context: dict[str, Any] = {
        "office": office,
        "unit": unit,
        "units": OrgUnit.objects.exclude(kind=OrgUnit.Kind.OFFICE).order_by("order", "code")
        if office
        else [],
        "year": year,
    }
    if request.GET.get("template") and unit is not None:
        return attachment(ratings_import.template(unit, year), f"mau-xep-loai-{unit.code}-{year}.xlsx", XLSX)
    if request.method == "POST":
        step = request.POST.get("step", "preview")
        try:
            if step == "commit":
                stored = request.session.get(SESSION_KEY)
                if not stored:
                    raise InvalidInput(_("Hãy tải tệp lên và xem trước trước khi ghi."), field="file")
                upload = SimpleUploadedFile(
                    stored["name"], base64.b64decode(stored["content"]), content_type=XLSX
                )
                checked, changed = ratings_import.commit(actor=user, upload=upload, unit=unit)
                if checked.ok:
                    request.session.pop(SESSION_KEY, None)
                    messages.success(
                        request,
                        _("Đã ghi %(rows)s dòng: %(changed)s xếp loại thay đổi.")
                        % {"rows": len(checked.rows), "changed": changed},
                    )
                    return redirect(
                        reverse("targets:ratings_import") + (f"?unit={unit.code}" if office and unit else "")
                    )
                context["preview"] = checked
            else:
                sent = request.FILES.get("file")
                if sent is None:
                    raise InvalidInput(_("Chọn tệp Excel (.xlsx) theo mẫu."), field="file")
                checked = ratings_import.preview(actor=user, upload=sent, unit=unit)
                context["preview"] = checked
                if checked.ok:
                    sent.seek(0)
                    request.session[SESSION_KEY] = {
                        "name": sent.name,
                        "content": base64.b64encode(sent.read()).decode(),
                    }
                else:
                    request.session.pop(SESSION_KEY, None)
        except TransitionRefused as error:
            context["error"] = error.message
    return render(request, "workflow/targets/ratings_import.html", context)
