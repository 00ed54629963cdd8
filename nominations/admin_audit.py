"""Every change an administrator makes in the Django admin, announced for the chained audit log.

`nominations/` must not import `workflow/` (docs/architecture.md), yet the audit log lives there. So the
admin classes here only *describe* a change — who, which object, what before → after — and send it as
the `admin_changed` signal; `workflow.rights.signals` receives it and writes the chained event in the same
transaction. Passwords are never described: only that one was set or changed.
"""

from __future__ import annotations

from typing import Any

from django.db import models, router, transaction
from django.dispatch import Signal
from django.http import HttpRequest

from nominations.admin_base import GuardedInputAdmin

# sender: the model class; kwargs: actor, obj, action ("created" | "changed" | "deleted" |
# "password_changed"), object_id, object_repr, changes ({field: {"before": …, "after": …}}).
admin_changed = Signal()

PASSWORD_MARK = "***"


def _is_password(name: str) -> bool:
    return "password" in name


def _value(obj: models.Model | None, name: str) -> Any:
    """A field's value as a person reads it: related objects by name (and id), never a password."""
    if obj is None:
        return None
    if _is_password(name):
        return PASSWORD_MARK
    try:
        field = obj._meta.get_field(name)
    except Exception:  # a form-only field (password1, usable_password…): not stored on the object
        return None
    if field.many_to_many:
        if obj.pk is None:
            return []
        return sorted(str(related) for related in getattr(obj, name).all())
    if field.is_relation:
        related = getattr(obj, name)
        return None if related is None else {"id": related.pk, "name": str(related)}
    return getattr(obj, getattr(field, "attname", name))


def snapshot(obj: models.Model | None, names: list[str]) -> dict[str, Any]:
    return {name: _value(obj, name) for name in names}


def _fresh(obj: models.Model) -> models.Model | None:
    if obj.pk is None:
        return None
    return type(obj)._default_manager.filter(pk=obj.pk).first()


def announce(
    request: HttpRequest,
    obj: models.Model,
    action: str,
    changes: dict[str, dict[str, Any]] | None = None,
    *,
    object_id: Any = None,
) -> None:
    admin_changed.send(
        sender=type(obj),
        actor=request.user,
        obj=obj,
        action=action,
        object_id=obj.pk if object_id is None else object_id,
        object_repr=str(obj),
        changes=changes or {},
    )


def announce_password_change(*, actor: Any, person: models.Model) -> None:
    """A password set outside the admin's user page (one's own change in the admin): the same event as
    the admin's, never the password nor its hash."""
    usable = {"before": None, "after": person.has_usable_password()}  # type: ignore[attr-defined]
    admin_changed.send(
        sender=type(person),
        actor=actor,
        obj=person,
        action="password_changed",
        object_id=person.pk,
        object_repr=str(person),
        changes={"usable_password": usable},
    )


def _changes(names: list[str], before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {name: {"before": before.get(name), "after": after.get(name)} for name in names}


class AuditedAdmin(GuardedInputAdmin):
    """A ModelAdmin whose additions, changes (inlines included) and deletions reach the audit log (and
    whose forms refuse control characters, like every admin form)."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        names = list(form.changed_data)
        before = snapshot(_fresh(obj), names) if change else {}
        super().save_model(request, obj, form, change)
        obj._admin_audit = (names, before, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)  # m2m first: "after" includes them
        obj = form.instance
        names, before, changed = getattr(obj, "_admin_audit", (list(form.changed_data), {}, change))
        if changed and not names:
            return  # saved without a change (or only inlines changed, announced on their own)
        announce(
            request, obj, "changed" if changed else "created", _changes(names, before, snapshot(obj, names))
        )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        befores: dict[Any, dict[str, Any]] = {}
        for inline_form in formset.initial_forms:
            instance = inline_form.instance
            if instance.pk is None:
                continue
            if inline_form in formset.deleted_forms:
                announce(request, instance, "deleted")
            elif inline_form.has_changed():
                befores[instance.pk] = snapshot(_fresh(instance), list(inline_form.changed_data))
        super().save_formset(request, form, formset, change)
        for instance in formset.new_objects:
            names = [f.name for f in instance._meta.concrete_fields if not f.primary_key]
            announce(request, instance, "created", _changes(names, {}, snapshot(instance, names)))
        for instance, names in formset.changed_objects:
            before = befores.get(instance.pk, {})
            announce(request, instance, "changed", _changes(names, before, snapshot(instance, names)))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        announce(request, obj, "deleted")
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        # The bulk "delete selected" action runs outside a transaction: make it one, so every row and
        # its audit event go together.
        with transaction.atomic(using=router.db_for_write(queryset.model)):
            for obj in queryset:
                announce(request, obj, "deleted")
            super().delete_queryset(request, queryset)
