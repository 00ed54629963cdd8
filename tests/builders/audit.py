"""Reading the audit log in tests: where it ends, what came since, and that it still verifies.

An event is chained after its transaction commits; a test running in a transaction that is rolled back
sees its events still waiting (`seq` empty), so where the log ends is marked by id, and events are read in
the order the log lists them (`audit.CHAIN_ORDER`)."""

from __future__ import annotations

import io

from django.core.management import call_command

from workflow.audit import log as audit
from workflow.models import AuditEvent


def head() -> int:
    """A mark of where the log ends: the id of the newest event (0 when the log is empty)."""
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def events_since(last: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(id__gt=last).order_by(*audit.CHAIN_ORDER))


def assert_log_verifies() -> None:
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert out.getvalue().startswith("OK "), out.getvalue()
