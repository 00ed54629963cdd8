"""What every admin class of the project shares: the text rule on its forms, and the read-only kind.

`GuardedInputAdmin` gives every form the admin builds (the object's, its inlines', the list's editable
rows) the control-character rule of `nominations/text.py`, the one the pages and the API apply: a control
character is a form error on its field, never a save nor a 500. `ReadOnlyAdmin` shows what changes only
through the workflow (rights and the audit apply there).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from nominations.text import guard_text_fields


def guarded(form_class: type[forms.BaseForm]) -> type[forms.BaseForm]:
    """`form_class` whose text fields refuse control characters (each instance's own copies of them)."""

    def __init__(self: forms.BaseForm, *args: Any, **kwargs: Any) -> None:
        form_class.__init__(self, *args, **kwargs)
        guard_text_fields(self.fields)

    return type(form_class.__name__, (form_class,), {"__init__": __init__})


class GuardedInputAdmin(admin.ModelAdmin):
    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        return guarded(super().get_form(request, obj, change=change, **kwargs))

    def get_changelist_form(self, request: HttpRequest, **kwargs: Any) -> Any:
        return guarded(super().get_changelist_form(request, **kwargs))

    def get_formsets_with_inlines(self, request: HttpRequest, obj: Any = None) -> Iterator[tuple[Any, Any]]:
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            yield type(formset.__name__, (formset,), {"form": guarded(formset.form)}), inline


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
