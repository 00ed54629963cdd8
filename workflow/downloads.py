"""Downloads of the office's documents, shared by the pages and the API (same builders, same headers)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _

from nominations import documents
from workflow.language import site_language

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


def file_stem(prefix: str, number: str) -> str:
    """ "12/QĐ-CTK" → "quyet-dinh-12-qd-ctk" (an ASCII file name every mail client keeps)."""
    text = number.replace("Đ", "D").replace("đ", "d").replace("/", "-")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return f"{prefix}-{slugify(text) or 'van-ban'}"


def attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response.headers["Content-Disposition"] = content_disposition_header(True, filename) or ""
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def render_document(kind: str, obj: Any, fmt: str) -> HttpResponse:
    """The document of a decision / submission / report as .docx, .xlsx (reports) or .pdf."""
    builders: dict[str, tuple[str, Callable[[Any], bytes]]] = {
        "decision": ("quyet-dinh", documents.build_decision_docx),
        "submission": ("to-trinh", documents.build_submission_docx),
        "report": ("bao-cao", documents.build_report_docx),
    }
    prefix, build_docx = builders[kind]
    stem = file_stem(prefix, obj.number)
    if fmt == "docx":
        with site_language():
            return attachment(build_docx(obj), f"{stem}.docx", DOCX)
    if fmt == "xlsx" and kind == "report":
        with site_language():
            return attachment(documents.build_report_xlsx(obj), f"{stem}.xlsx", XLSX)
    if fmt == "pdf":
        try:
            with site_language():
                content = build_docx(obj)
            return attachment(documents.docx_to_pdf(content), f"{stem}.pdf", PDF)
        except documents.PdfUnavailable:
            return HttpResponse(
                _("Không tạo được bản PDF trên máy chủ này; hãy tải bản Word."),
                status=503,
                content_type="text/plain; charset=utf-8",
            )
    raise Http404
