"""The office's matrix of the targets: every unit's result of every target in a period, filtered, and its
Excel export. Read through `nominations.selectors.targets`, the same cells as the API's."""

from __future__ import annotations

import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from nominations.models import Campaign
from nominations.selectors.targets import (
    MET,
    MISSING,
    NOT_MET,
    MatrixCell,
    campaigns_with_targets,
    follows_all_units,
    matrix,
    targets_of,
    units_visible_to,
)
from workflow.documents.downloads import XLSX, attachment
from workflow.services import targets as services
from workflow.views.common import person_of
from workflow.views.target_common import campaign_periods, chosen_campaign, chosen_period

STATUS_LABELS = {
    MET: gettext_lazy("Đạt"),
    NOT_MET: gettext_lazy("Chưa đạt"),
    MISSING: gettext_lazy("Thiếu"),
    "pending": gettext_lazy("Chưa đến hạn"),
}
STATUS_CLASSES = {MET: "success", NOT_MET: "danger", MISSING: "warning", "pending": "secondary"}


def _matrix_cells(request: HttpRequest, campaign: Campaign, *, all_periods: bool) -> dict[str, Any]:
    user = person_of(request)
    units = list(units_visible_to(user=user, campaign=campaign))
    unit_code = request.GET.get("unit", "")
    if unit_code:
        units = [u for u in units if u.code == unit_code]
    targets = list(targets_of(campaign=campaign))
    target_code = request.GET.get("target", "")
    if target_code:
        targets = [t for t in targets if t.code == target_code]
    periods = campaign_periods(campaign, None)
    period = None if all_periods and not request.GET.get("period") else chosen_period(request, periods)
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
    campaign = chosen_campaign(request)
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
    campaign = chosen_campaign(request)
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
