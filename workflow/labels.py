"""Plain-language names for the codes the audit log stores (roles, states, event kinds, objects).

The log keeps codes (`council_member`, `in_vote`, `nominations.person:47`): they are what the hash chain
signs and what the exports carry. The pages show people names instead; this module is the one place that
turns one into the other, without a query of its own (the pages' query counts are pinned).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.utils.translation import gettext as _

from nominations.models import Role, State
from workflow.models import AuditEvent
from workflow.transitions import registry


def role_label(code: str) -> str:
    """`council_member` → "Thành viên Hội đồng TĐKT"; several roles (comma-separated) each by name."""
    if not code:
        return ""
    names = [str(Role(part).label) if part in Role.values else part for part in code.split(",")]
    return ", ".join(names)


def state_label(code: str) -> str:
    return str(State(code).label) if code in State.values else code


def kind_label(code: str) -> str:
    return str(AuditEvent.Kind(code).label) if code in AuditEvent.Kind.values else code


@functools.lru_cache(maxsize=64)
def _model(object_type: str) -> type[models.Model] | None:
    """`nominations.person` (a label) or `person` (a model name, as the grant signals write it)."""
    try:
        if "." in object_type:
            return apps.get_model(object_type)
        for app in ("nominations", "workflow"):
            try:
                return apps.get_model(app, object_type)
            except LookupError:
                continue
    except (LookupError, ValueError):
        return None
    return None


@dataclass(frozen=True)
class EventRow:
    event: AuditEvent
    action: str
    role: str
    from_state: str
    to_state: str
    object_name: str


def object_name(event: AuditEvent) -> str:
    """What the event acted on, in words, without a query of its own: a nomination by its award and
    nominee (joined to the page's rows, see `AUDIT_RELATED`), anything else by its kind and number
    ("Phiên họp Hội đồng #3")."""
    model = _model(event.object_type)
    if model is None:
        return _("Đối tượng #%(id)s") % {"id": event.object_id}
    kind = str(model._meta.verbose_name).capitalize()
    if event.nomination_id is not None and model._meta.label_lower == "nominations.nomination":
        return f"{kind}: {event.nomination}"
    return f"{kind} #{event.object_id}"


# Joined to the audit log's rows so that a nomination is named without a query per row.
AUDIT_RELATED = ("nomination__award", "nomination__nominee_person", "nomination__nominee_unit")


def event_rows(events: list[AuditEvent], *, with_objects: bool = True) -> list[EventRow]:
    """The events of a page with every code put in words (no query: objects are named from the rows,
    and only when `with_objects` — a nomination's own timeline needs no object names)."""
    labels = {name: str(spec.label) for name, spec in registry().items()}
    return [
        EventRow(
            event=e,
            action=labels.get(e.transition) or kind_label(e.kind),
            role=role_label(e.actor_role),
            from_state=state_label(e.from_state),
            to_state=state_label(e.to_state),
            object_name=object_name(e) if with_objects else "",
        )
        for e in events
    ]
