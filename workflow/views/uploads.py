"""Several files at once, each with its kind: every file that passes is kept, only the others are named."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from workflow.base.errors import TransitionRefused
from workflow.web.forms import check_upload

FILE_ROWS = 3  # file inputs offered at once, each with its kind


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
