"""The file rows of a nomination's dossier and of a unit's shared papers: one panel (the rows, each
download and delete, the several-files form), updated in place with htmx and working without JavaScript.

In place (an htmx request, `HX-Request`): the answer is the panel alone (`includes/file_panel.html`), with
each refused file's reason under its own field and the kinds chosen kept; 403 when the person may not change
these files; 409/422 answers carry the panel with the refusal (base.html lets htmx swap those two).
Without JavaScript: a plain POST, its messages and a redirect, as before; a delete posted without
`confirmed` first shows a page asking for it (with JavaScript, confirm.js has asked).
The checks are the services' own, per object: this module only shapes what the pages show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from workflow.base.errors import NotPermitted, TransitionRefused
from workflow.views.uploads import FILE_ROWS, NO_FILE, Uploads, add_files, file_input_attrs, report_files

PANEL = "workflow/includes/file_panel.html"


@dataclass
class FilePanel:
    """What the panel shows and where it posts. `urls`: the URL names to add, download and remove, each
    taking the owner's pk (download and remove the file's pk too). `back`: the page a plain send returns to."""

    owner: int
    files: list[Any]
    kinds: list[tuple[str, Any]]  # (value, label), a TextChoices' choices
    urls: dict[str, str]
    can_change: bool
    back: str
    preselect: bool = False  # row i starts on the i-th kind (a list's papers: tờ trình, biên bản, …)
    empty: str = ""
    uploads: Uploads | None = None
    status: str = ""
    error: str = ""
    upload_attrs: dict[str, str] = field(default_factory=file_input_attrs)

    def upload_rows(self) -> list[dict[str, Any]]:
        """The form's rows as they were sent: the kind chosen, the reasons a file was refused."""
        uploads = self.uploads
        rows = []
        for i in range(FILE_ROWS):
            default = self.kinds[i % len(self.kinds)][0] if self.preselect else self.kinds[0][0]
            chosen = uploads.kinds.get(i) if uploads is not None else None
            rows.append(
                {
                    "i": i,
                    "kind": chosen if chosen in dict(self.kinds) else default,
                    "errors": uploads.errors.get(i, []) if uploads is not None else [],
                    "name": uploads.names.get(i, "") if uploads is not None else "",
                }
            )
        return rows


def file_panel_of(
    owner: Any, *, kinds: list[tuple[str, Any]], urls: tuple[str, str, str], **shown: Any
) -> FilePanel:
    """The panel of `owner`'s files (a nomination or a submission: both keep them as `files`); `urls`:
    the URL names to add, download and remove; `shown`: can_change, back and the rest of `FilePanel`."""
    add, download, remove = urls
    return FilePanel(
        owner=owner.pk,
        files=list(owner.files.all()),
        kinds=kinds,
        urls={"add": add, "download": download, "remove": remove},
        **shown,
    )


def in_place(request: HttpRequest) -> bool:
    """An htmx request (django-htmx's `request.htmx`): answer with the panel, not a redirect."""
    return bool(getattr(request, "htmx", False))


def panel_response(
    request: HttpRequest, panel: FilePanel, *, status: int = 200, also: str = ""
) -> HttpResponse:
    """The panel alone (htmx swaps it for the one on the page); `also`: out-of-band parts, if any."""
    html = render_to_string(PANEL, {"panel": panel}, request=request)
    return HttpResponse(html + also, status=status)


def files_add(
    request: HttpRequest,
    *,
    add: Callable[..., Any],
    panel: Callable[[], FilePanel],
    back: str,
    also: Callable[[], str] = str,
) -> HttpResponse:
    """Several files at once (`kind-<i>`, `file-<i>`), each through `add` (the service): those that pass
    are kept, the others named on their own field."""
    uploads = add_files(request, add)
    if not in_place(request):
        report_files(request, uploads)
        return redirect(back)
    if uploads.denied is not None:
        raise PermissionDenied(uploads.denied.message)
    if not uploads.added and not uploads.errors:
        uploads.errors[0] = [str(NO_FILE)]
    shown = panel()
    if uploads.errors:
        shown.uploads = uploads
    if uploads.added:
        shown.status = _("Đã thêm %(n)s tài liệu.") % {"n": uploads.added}
    return panel_response(request, shown, status=422 if uploads.errors else 200, also=also())


def file_remove(
    request: HttpRequest,
    *,
    row: Any,
    remove: Callable[[], None],
    panel: Callable[[], FilePanel],
    back: str,
    also: Callable[[], str] = str,
) -> HttpResponse:
    """Delete one file through `remove` (the service) — only once the person has confirmed it."""
    if not in_place(request) and request.POST.get("confirmed") != "1":
        return render(request, "workflow/file_remove_confirm.html", {"row": row, "back": back})
    try:
        remove()
    except NotPermitted as refusal:
        if in_place(request):
            raise PermissionDenied(refusal.message) from None
        messages.error(request, refusal.message)
        return redirect(back)
    except TransitionRefused as refusal:
        if not in_place(request):
            messages.error(request, refusal.message)
            return redirect(back)
        shown = panel()
        shown.error = refusal.message
        return panel_response(request, shown, status=refusal.status, also=also())
    if not in_place(request):
        messages.success(request, _("Đã xóa tài liệu."))
        return redirect(back)
    shown = panel()
    shown.status = _("Đã xóa tệp “%(name)s”.") % {"name": row.original_name}
    return panel_response(request, shown, also=also())
