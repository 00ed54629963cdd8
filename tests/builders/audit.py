"""Reading the chained audit log in tests: where it ends, what came since, and that it still verifies."""

from __future__ import annotations

import io

from django.core.management import call_command

from workflow.models import AuditEvent


def head() -> int:
    """The seq of the newest event (0 when the log is empty)."""
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def events_since(last: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(seq__gt=last).order_by("seq"))


def assert_log_verifies() -> None:
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert out.getvalue().startswith("OK "), out.getvalue()
