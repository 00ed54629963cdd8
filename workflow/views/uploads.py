"""Files sent from the pages: the checks before anything is written, and several files at once, each with
its kind: every file that passes is kept, only the others are named."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflow.base.errors import InvalidInput, NotPermitted, TransitionRefused
from workflow.services.nominations import dossier_file_check

FILE_ROWS = 3  # file inputs offered at once, each with its kind
ACCEPT = ".pdf,.doc,.docx,.xls,.xlsx,.odt"
NO_FILE = gettext_lazy("Chọn ít nhất một tệp.")


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


@dataclass
class Uploads:
    """What a several-files form did: how many were added, and for each row that was not, why (the row's
    index → its messages; the kinds chosen are kept, so the form can be shown again as it was sent)."""

    added: int = 0
    errors: dict[int, list[str]] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)
    kinds: dict[int, str] = field(default_factory=dict)
    denied: NotPermitted | None = None  # the person may not change these files at all

    @property
    def problems(self) -> list[str]:
        return [f"{self.names[i]}: {' '.join(texts)}" for i, texts in sorted(self.errors.items())]


def add_files(request: HttpRequest, add: Callable[..., Any]) -> Uploads:
    """The rows of a several-files form (`kind-<i>`, `file-<i>`): each file that passes is added at once,
    each that does not is named with why — only those need choosing again."""
    result = Uploads(kinds={i: request.POST.get(f"kind-{i}", "") for i in range(FILE_ROWS)})
    for i in range(FILE_ROWS):
        upload = request.FILES.get(f"file-{i}")
        if upload is None:
            continue
        result.names[i] = upload.name or ""
        try:
            check_upload(upload)
            add(upload=upload, kind=result.kinds[i])
        except forms.ValidationError as error:
            result.errors[i] = list(error.messages)
        except NotPermitted as refusal:
            result.denied = refusal
            result.errors[i] = [refusal.message]
        except TransitionRefused as refusal:
            result.errors[i] = [refusal.message]
        else:
            result.added += 1
    return result


def report_files(request: HttpRequest, uploads: Uploads) -> None:
    """The page's messages after a plain (not in-place) send."""
    if uploads.added:
        messages.success(request, _("Đã thêm %(n)s tài liệu.") % {"n": uploads.added})
    for problem in uploads.problems:
        messages.error(
            request, _("Chưa thêm %(problem)s Các tệp khác đã được giữ lại.") % {"problem": problem}
        )
    if not uploads.added and not uploads.errors:
        messages.error(request, NO_FILE)
