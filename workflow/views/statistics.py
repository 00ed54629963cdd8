"""The statistics of TT 02/2023/TT-BNV (biểu 0601.N, 0602.N, 0603.N): the page and its downloads.

Read by the Director and Deputy Directors, the office (Phòng TC-HC) and the auditor — the readers of the
office's reports (`reads_all_documents`); anyone else gets 403.
"""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nominations import documents
from nominations.documents.statistics import build_statistics_docx, build_statistics_xlsx, file_stem
from nominations.selectors.decisions import reads_all_documents
from nominations.statistics import FORMS, StatisticsTable, statistics_table
from nominations.statistics.forms import column_heading
from workflow.base.inputs import InputForm, IntegerField
from workflow.base.language import site_language
from workflow.documents.downloads import DOCX, PDF, XLSX, attachment

FIRST_YEAR, LAST_YEAR = 2000, 2100
FORMATS = {"xlsx", "docx", "pdf"}


def default_year() -> int:
    """The year of the report due on 15 December: this year from December on, else last year."""
    today = datetime.date.today()
    return today.year if today.month == 12 else today.year - 1


class StatisticsForm(InputForm):
    form = forms.ChoiceField(
        label=gettext_lazy("Biểu"),
        choices=[(spec.code, f"{spec.form} — {spec.title}") for spec in FORMS.values()],
    )
    year = IntegerField(label=gettext_lazy("Năm báo cáo"), min_value=FIRST_YEAR, max_value=LAST_YEAR)


def require_statistics_reader(user: object) -> None:
    if not reads_all_documents(user):
        raise PermissionDenied(_("Chỉ Lãnh đạo Cục, Phòng TC-HC và kiểm tra viên xem được số liệu thống kê."))


@login_required
def statistics_home(request: HttpRequest) -> HttpResponse:
    require_statistics_reader(request.user)
    data = {"form": request.GET.get("form", "0601"), "year": request.GET.get("year", default_year())}
    form = StatisticsForm(data)
    table: StatisticsTable | None = None
    if form.is_valid():
        table = statistics_table(code=form.cleaned_data["form"], year=form.cleaned_data["year"])
    context = {
        "form": form,
        "table": table,
        "rows": _rows(table) if table else [],
        "headings": [column_heading(table.spec, c) for c in table.spec.columns] if table else [],
        "width": 3 + len(table.spec.columns) if table else 0,
        "pdf": documents.pdf_available(),
    }
    return render(request, "workflow/statistics.html", context, status=200 if table else 400)


def _rows(table: StatisticsTable) -> list[dict[str, object]]:
    return [
        {
            "section": str(row.section),
            "code": row.code,
            "label": row.label,
            "unit": row.unit_of_measure,
            "indent": row.indent,
            "total": bool(row.parts),
            "values": [table.value(row.code, c.key) for c in table.spec.columns],
        }
        for row in table.spec.rows
    ]


def statistics_file(table: StatisticsTable, fmt: str) -> HttpResponse:
    """The form as .xlsx, .docx or .pdf (from the .docx, as every document of the office); shared with the API."""
    stem = file_stem(table)
    with site_language():
        if fmt == "xlsx":
            return attachment(build_statistics_xlsx(table), f"{stem}.xlsx", XLSX)
        content = build_statistics_docx(table)
    if fmt == "docx":
        return attachment(content, f"{stem}.docx", DOCX)
    try:
        return attachment(documents.docx_to_pdf(content), f"{stem}.pdf", PDF)
    except documents.PdfUnavailable:
        return HttpResponse(
            _("Không tạo được bản PDF trên máy chủ này; hãy tải bản Word."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )


@login_required
def statistics_download(request: HttpRequest, code: str, year: int, fmt: str) -> HttpResponse:
    require_statistics_reader(request.user)
    if code not in FORMS or fmt not in FORMATS or not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return statistics_file(statistics_table(code=code, year=year), fmt)
