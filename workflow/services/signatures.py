"""Reads of signed PDFs for the verification endpoint and page: the signatures, then the document's status."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from nominations.models import Decision, State, UpwardSubmission
from workflow.documents.signing import NotAPdf, verify_pdf


def document_status(kind: str, pk: int) -> dict[str, Any] | None:
    model = Decision if kind == "decision" else UpwardSubmission
    document = model._default_manager.filter(pk=pk).first()
    if document is None:
        return None
    states = list(document.items.values_list("nomination__state", flat=True))
    revoked = sum(1 for state in states if state == State.REVOKED)
    status = "revoked" if states and revoked == len(states) else "partly_revoked" if revoked else "in_force"
    return {
        "kind": kind,
        "number": document.number,
        "date": document.date.isoformat(),
        "status": status,
        "revoked_items": revoked,
    }


def verify_upload(upload: Any) -> tuple[dict[str, Any], str]:
    """(result, "") or ({}, the message of a 400): not a PDF, or larger than THIDUA_VERIFY_MAX_BYTES."""
    limit = settings.THIDUA_VERIFY_MAX_BYTES
    data = upload.read(limit + 1)
    if len(data) > limit:
        return {}, _("Tệp quá lớn để kiểm tra (tối đa %(mb)s MB).") % {"mb": limit // (1024 * 1024)}
    try:
        result = verify_pdf(data)
    except NotAPdf as refused:
        return {}, str(refused)
    reference = result.pop("document")
    result["document"] = document_status(*reference) if reference else None
    return result, ""
