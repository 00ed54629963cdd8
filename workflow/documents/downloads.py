"""Downloads of the office's documents, shared by the pages and the API (same builders, same headers)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import PurePath
from typing import Any

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _

from nominations import documents
from nominations.documents.vietnamese import ascii_fold
from nominations.models import DossierFile
from workflow.base.language import site_language
from workflow.documents.signing import SigningUnavailable, sign_document_pdf
from workflow.services.nominations import safe_filename

log = logging.getLogger(__name__)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


def file_stem(prefix: str, number: str) -> str:
    """ "12/QĐ-CTK" → "quyet-dinh-12-qd-ctk" (an ASCII file name every mail client keeps)."""
    return f"{prefix}-{slugify(ascii_fold(number.replace('/', '-'))) or 'van-ban'}"


def attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response.headers["Content-Disposition"] = content_disposition_header(True, filename) or ""
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


class FileMissing(Exception):
    """The row of a dossier file exists but its content is gone from the storage (MEDIA_ROOT)."""

    def __init__(self, dossier_file: DossierFile) -> None:
        super().__init__(
            _(
                "Tệp “%(name)s” của hồ sơ không còn trên máy chủ. Hãy báo quản trị hệ thống (khôi phục từ bản "
                "sao lưu) hoặc tải tệp lên lại."
            )
            % {"name": dossier_file.original_name}
        )
        self.message = str(self.args[0])


def dossier_file_response(dossier_file: DossierFile) -> FileResponse:
    """A dossier file as a download, never rendered by the browser, whatever its content.

    The type is the one found by content at upload (`sniff_type`), the name the uploader's, made safe,
    with that type's extension. Raises `FileMissing` if the file is gone from the storage.
    """
    response = stored_file_response(dossier_file.file, dossier_file.original_name, dossier_file.content_type)
    if response is None:
        log.error("dossier file %s (%s) is missing from the storage", dossier_file.pk, dossier_file.file.name)
        raise FileMissing(dossier_file)
    return response


def stored_file_response(stored: FieldFile, original_name: str, content_type: str) -> FileResponse | None:
    """An uploaded file (a dossier file, a target's evidence) as a download the browser never renders.

    Sandboxed, not cached, not sniffed; named as the uploader named it, made safe. None if the file is
    gone from the storage.
    """
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        return None
    kind = PurePath(stored.name or "").suffix.lstrip(".") or "bin"
    response = FileResponse(
        handle, as_attachment=True, filename=safe_filename(original_name, kind), content_type=content_type
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
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
            pdf = documents.docx_to_pdf(content)
            if kind in ("decision", "submission"):
                pdf = sign_document_pdf(pdf, document=obj, kind=kind)
            return attachment(pdf, f"{stem}.pdf", PDF)
        except SigningUnavailable as refused:
            return HttpResponse(refused.message, status=409, content_type="text/plain; charset=utf-8")
        except documents.PdfUnavailable:
            return HttpResponse(
                _("Không tạo được bản PDF trên máy chủ này; hãy tải bản Word."),
                status=503,
                content_type="text/plain; charset=utf-8",
            )
    raise Http404
