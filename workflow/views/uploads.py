"""Files sent from the pages: the checks before anything is written, and several files at once, each with
its kind: every file that passes is kept, only the others are named."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from workflow.base.errors import InvalidInput, TransitionRefused
from workflow.services.nominations import dossier_file_check

FILE_ROWS = 3  # file inputs offered at once, each with its kind
ACCEPT = ".pdf,.doc,.docx,.xls,.xlsx,.odt"


def file_input_attrs() -> dict[str, str]:
    """What static/js/uploads.js checks before the form is sent (the server checks again, by content)."""
    return {
        "accept": ACCEPT,
        "data-max-bytes": str(settings.DOSSIER_MAX_BYTES),
        "data-msg-type": str(_("Tệp %s: chỉ nhận PDF, Word, Excel, OpenDocument. Hãy chọn tệp khác.")),
        "data-msg-size": str(
            _("Tệp %%s quá lớn: tối đa %(limit)s.") % {"limit": filesizeformat(settings.DOSSIER_MAX_BYTES)}
        ),
    }


def check_upload(upload: UploadedFile) -> None:
    """The same checks as `dossier_file_add`, made before anything is written."""
    try:
        dossier_file_check(upload)
    except InvalidInput as error:
        raise forms.ValidationError(error.message) from None


def add_files(request: HttpRequest, add: Callable[..., Any]) -> tuple[int, list[str]]:
    """The rows of a several-files form (`kind-<i>`, `file-<i>`): each file that passes is added at once,
    each that does not is named with why — only those need choosing again."""
    added, problems = 0, []
    for i in range(FILE_ROWS):
        upload = request.FILES.get(f"file-{i}")
        if upload is None:
            continue
        kind = request.POST.get(f"kind-{i}", "")
        try:
            check_upload(upload)
            add(upload=upload, kind=kind)
        except forms.ValidationError as error:
            problems.append(f"{upload.name}: {' '.join(error.messages)}")
        except TransitionRefused as refusal:
            problems.append(f"{upload.name}: {refusal.message}")
        else:
            added += 1
    return added, problems


def report_files(request: HttpRequest, added: int, problems: list[str]) -> None:
    if added:
        messages.success(request, _("Đã thêm %(n)s tài liệu.") % {"n": added})
    for problem in problems:
        messages.error(
            request, _("Chưa thêm %(problem)s Các tệp khác đã được giữ lại.") % {"problem": problem}
        )
    if not added and not problems:
        messages.error(request, _("Chọn ít nhất một tệp."))
