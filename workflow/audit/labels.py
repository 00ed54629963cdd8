"""Plain-language names for the codes the audit log stores (roles, states, event kinds, objects).

The log keeps codes (`council_member`, `in_vote`, `nominations.person:47`): they are what the hash chain
signs and what the exports carry. The pages show people names instead; this module is the one place that
turns one into the other.

What it costs is bounded, whatever the page size: the code → label maps are built once per language
(a `TextChoices.values` test per cell rebuilt the enum's list 10,000 times a page), and the objects of a
page are named with one query per kind of object on it (`object_names`), not by joining every event row
to the nomination's award and nominee (that join cost the 100-row page more than the rest of its
queries together on SQLite at 100k events).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import translation
from django.utils.translation import gettext as _

from nominations.models import OrgUnit, Role, State
from workflow.models import AuditEvent
from workflow.process.transitions import registry


@dataclass(frozen=True)
class _Labels:
    roles: dict[str, str]
    states: dict[str, str]
    kinds: dict[str, str]
    transitions: dict[str, str]
    permissions: dict[str, str]


@functools.lru_cache(maxsize=8)
def _labels_in(language: str) -> _Labels:
    with translation.override(language or None):
        return _Labels(
            roles={code: str(label) for code, label in Role.choices},
            states={code: str(label) for code, label in State.choices},
            kinds={code: str(label) for code, label in AuditEvent.Kind.choices},
            transitions={name: str(spec.label) for name, spec in registry().items()},
            permissions={
                "view_nomination": _("Xem hồ sơ đề nghị"),
                "change_nomination": _("Sửa hồ sơ đề nghị"),
                **{code: str(label) for code, label in _nomination_permissions()},
            },
        )


def _nomination_permissions() -> list[tuple[str, str]]:
    return list(apps.get_model("nominations", "Nomination")._meta.permissions)


def comment_label(event: AuditEvent) -> str:
    """A grant's comment is the code of what was granted (`unit_head`, `unit:tkth:heads`,
    `decide_nomination`); the page says it in words. Other comments are people's own words."""
    if event.kind not in (AuditEvent.Kind.PERMISSION_GRANTED, AuditEvent.Kind.PERMISSION_REVOKED):
        return event.comment
    labels = _labels()
    code = event.comment
    if code in labels.roles:
        return labels.roles[code]
    if code in labels.permissions:
        return labels.permissions[code]
    parts = code.split(":")
    if len(parts) == 3 and parts[0] == "unit" and parts[2] == "heads":
        return _("Quyền của trưởng đơn vị %(unit)s") % {"unit": parts[1].upper()}
    return code


def _labels() -> _Labels:
    return _labels_in(translation.get_language() or "")


def role_label(code: str) -> str:
    """`council_member` → "Thành viên Hội đồng TĐKT"; several roles (comma-separated) each by name."""
    if not code:
        return ""
    roles = _labels().roles
    return ", ".join(roles.get(part, part) for part in code.split(","))


def state_label(code: str) -> str:
    return _labels().states.get(code, code)


def kind_label(code: str) -> str:
    return _labels().kinds.get(code, code)


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


# The kinds of object named by their own name, each with what its `str()` reads (so naming a page's
# objects is one query per kind). Any other kind is named by its kind and number ("Phiếu kín #3"): a
# ballot or a receipt is never looked up, and a kind whose name needs more rows costs no query.
NAMED_KINDS: dict[str, tuple[str, ...]] = {
    "nominations.nomination": ("award", "nominee_person", "nominee_unit"),
    "nominations.person": (),
    "nominations.orgunit": (),
    "nominations.award": (),
    "nominations.campaign": (),
    "nominations.councilsession": (),
    "nominations.decision": (),
}


@dataclass(frozen=True)
class EventRow:
    event: AuditEvent
    action: str
    role: str
    from_state: str
    to_state: str
    object_name: str
    comment: str = ""
    unit: str = ""  # the actor's unit by its name (the event keeps its code, as the exports do)


def _kind_name(model: type[models.Model]) -> str:
    return str(model._meta.verbose_name).capitalize()


def object_names(events: list[AuditEvent]) -> dict[tuple[str, str], str]:
    """(object_type, object_id) → what the event acted on, in words ("Hồ sơ đề nghị khen thưởng: Lao động
    tiên tiến — Nguyễn Văn A"): one query per named kind on the page."""
    wanted: dict[type[models.Model], set[str]] = defaultdict(set)
    names: dict[tuple[str, str], str] = {}
    for e in events:
        model = _model(e.object_type)
        key = (e.object_type, e.object_id)
        if model is None:
            names[key] = _("Đối tượng #%(id)s") % {"id": e.object_id}
            continue
        names[key] = f"{_kind_name(model)} #{e.object_id}"
        if model._meta.label_lower in NAMED_KINDS and e.object_id.isdigit():
            wanted[model].add(e.object_id)
    for model, ids in wanted.items():
        related = NAMED_KINDS[model._meta.label_lower]
        rows = model._default_manager.select_related(*related).filter(pk__in=[int(i) for i in ids])
        kind = _kind_name(model)
        by_pk = {str(obj.pk): f"{kind}: {obj}" for obj in rows}
        for e in events:
            if _model(e.object_type) is model and e.object_id in by_pk:
                names[(e.object_type, e.object_id)] = by_pk[e.object_id]
    return names


# On an event read through `with_unit_names`: its actor's unit by name, from the same statement.
UNIT_NAME = "actor_unit_label"


def with_unit_names(events: models.QuerySet[AuditEvent]) -> models.QuerySet[AuditEvent]:
    """These events with their actors' units by short name (or name), read in their own statement: a
    page of them then needs no query for the units (`unit_names`)."""
    unit = OrgUnit.objects.filter(code=OuterRef("actor_unit")).annotate(
        label=Coalesce(NullIf("short_name", Value("")), "name")
    )
    return events.annotate(**{UNIT_NAME: Subquery(unit.values("label")[:1])})


def unit_names(events: list[AuditEvent]) -> dict[str, str]:
    """The actors' units of these events by their short names (or names): from the events themselves when
    they were read `with_unit_names`, otherwise in one query; none if no event names a unit."""
    codes = {e.actor_unit for e in events if e.actor_unit}
    if not codes:
        return {}
    if all(hasattr(e, UNIT_NAME) for e in events):
        return {e.actor_unit: getattr(e, UNIT_NAME) for e in events if e.actor_unit and getattr(e, UNIT_NAME)}
    return {
        code: short_name or name
        for code, short_name, name in OrgUnit.objects.filter(code__in=codes).values_list(
            "code", "short_name", "name"
        )
    }


def event_rows(events: list[AuditEvent], *, with_objects: bool = True) -> list[EventRow]:
    """The events of a page with every code put in words: roles, states, kinds, the actors' units (one
    query) and, when `with_objects`, the objects (one query per kind; a nomination's own timeline needs
    no object names)."""
    labels = _labels()
    names = object_names(events) if with_objects else {}
    units = unit_names(events)
    return [
        EventRow(
            event=e,
            action=labels.transitions.get(e.transition) or labels.kinds.get(e.kind, e.kind),
            role=role_label(e.actor_role),
            from_state=labels.states.get(e.from_state, e.from_state),
            to_state=labels.states.get(e.to_state, e.to_state),
            object_name=names.get((e.object_type, e.object_id), ""),
            comment=comment_label(e),
            unit=units.get(e.actor_unit, e.actor_unit),
        )
        for e in events
    ]
