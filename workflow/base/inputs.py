"""Input from the outside, turned into values in one place: ids, whole numbers, text.

`str.isdigit()` and `int()` both accept more than ASCII (`'²'.isdigit()` is true but `int('²')` fails;
`int('١٢')` is 12), and an id beyond 64 bits overflows the database's integer. Every entry point that
takes an id or a number from a query string, a form or a JSON body goes through `parse_int` /
`parse_id` (or the form, filter and serializer fields built on them below), so a bad value is a field
error and never a 500. Text fields refuse NUL and the other control characters through the domain's
rule (`nominations/text.py`), applied to every text field by the base classes `InputForm`, `FilterSet`
and `InputSerializer` rather than field by field (the admin applies the same rule).
"""

from __future__ import annotations

import re
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from nominations.text import (
    CONTROL_CHARACTER,
    control_character,
    guard_text_fields,
    refuse_control_characters_multiline,
    replace_nul_validator,
)
from workflow.base.errors import InvalidInput

ID_MIN = 1
ID_MAX = 2**63 - 1  # a BigAutoField, on SQLite and PostgreSQL alike
INT_DIGITS = re.compile(r"-?[0-9]{1,19}", re.ASCII)

INVALID_NUMBER = _("Phải là một số nguyên (chữ số 0–9).")
OUT_OF_RANGE = _("Phải là một số từ %(minimum)s đến %(maximum)s.")
INVALID_ID = _("Mã số không hợp lệ.")


def parse_int(raw: Any, *, minimum: int, maximum: int) -> int | None:
    """A whole number from the outside (text of ASCII digits, or an int), in range; otherwise None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str):
        text = raw.strip()
        if not INT_DIGITS.fullmatch(text):
            return None
        value = int(text)
    else:
        return None
    return value if minimum <= value <= maximum else None


def parse_id(raw: Any) -> int | None:
    """A database id (1 … 2⁶³−1) from the outside, or None."""
    return parse_int(raw, minimum=ID_MIN, maximum=ID_MAX)


def require_id(raw: Any, *, field: str, message: str | None = None) -> int:
    """`parse_id` for the services: a bad id is an `InvalidInput` on `field` (a 400 / a form error)."""
    value = parse_id(raw)
    if value is None:
        raise InvalidInput(str(message or INVALID_ID), field=field)
    return value


def require_int(raw: Any, *, field: str, minimum: int, maximum: int, message: str | None = None) -> int:
    value = parse_int(raw, minimum=minimum, maximum=maximum)
    if value is None:
        fallback = OUT_OF_RANGE % {"minimum": minimum, "maximum": maximum}
        raise InvalidInput(str(message or fallback), field=field)
    return value


def clean_text(raw: Any, *, field: str, multiline: bool = True) -> str:
    """Text read outside a form or serializer (a raw JSON field): control characters are a 400."""
    text = "" if raw is None else str(raw)
    if (char := control_character(text, multiline=multiline)) is not None:
        raise InvalidInput(str(CONTROL_CHARACTER % {"code": ord(char)}), field=field)
    return text


def query_text(raw: Any, *, limit: int = 200) -> str:
    """Free text of a query string (a search box): control characters make it match nothing odd."""
    text = raw if isinstance(raw, str) else ""
    return "" if control_character(text, multiline=False) is not None else text.strip()[:limit]


# --- Django forms -------------------------------------------------------------------------------------------


class InputForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        guard_text_fields(self.fields)


class IntegerField(forms.IntegerField):
    """A whole number of ASCII digits within its field's range (`min_value`/`max_value` required)."""

    def __init__(self, *, min_value: int, max_value: int, **kwargs: Any) -> None:
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        if isinstance(value, str) and not INT_DIGITS.fullmatch(value.strip()):
            raise ValidationError(INVALID_NUMBER, code="invalid")
        parsed = parse_int(value, minimum=-(2**63), maximum=2**63 - 1)
        if parsed is None:
            raise ValidationError(INVALID_NUMBER, code="invalid")
        return parsed


class IdField(IntegerField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=ID_MIN, max_value=ID_MAX, **kwargs)


class ObjectChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A choice of one object by its id: anything but an id in range is 'not a valid choice'."""

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        by_pk = (self.to_field_name or "pk") == "pk"
        if by_pk and not isinstance(value, models.Model) and parse_id(value) is None:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        return super().to_python(value)


class ObjectMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """A choice of several objects by their ids: any value but an id in range is 'not a valid choice'."""

    def _check_values(self, value: Any) -> Any:
        if (self.to_field_name or "pk") == "pk":
            for item in value if isinstance(value, list | tuple) else [value]:
                if not isinstance(item, models.Model) and parse_id(item) is None:
                    raise ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                    )
        return super()._check_values(value)  # type: ignore[misc]  # private in the stubs, public in use


# --- django-filter ------------------------------------------------------------------------------------------


class FilterSet(django_filters.FilterSet):
    """Every list filter: its text fields refuse control characters, like any other form."""

    @property
    def form(self) -> forms.Form:
        form: forms.Form = super().form
        guard_text_fields(form.fields)
        return form


class ObjectFilter(django_filters.ModelChoiceFilter):
    field_class = ObjectChoiceField


class IdFilter(django_filters.NumberFilter):
    """An id in a query string: `1.5`, `²` or 2⁶⁴ is a 400 (API) / a form error (page), not a 500."""

    field_class = IdField


# --- DRF ----------------------------------------------------------------------------------------------------


class IdSerializerField(serializers.IntegerField):
    """An id in a JSON body: an int, or a text of ASCII digits, in 1 … 2⁶³−1."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", ID_MIN)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or (
            not isinstance(data, int) and not (isinstance(data, str) and INT_DIGITS.fullmatch(data.strip()))
        ):
            self.fail("invalid")
        return int(super().to_internal_value(data))


class NumberSerializerField(IdSerializerField):
    """A whole number with its own range (a year, a count): same parsing as an id."""

    def __init__(self, *, min_value: int, max_value: int, **kwargs: Any) -> None:
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)


class ObjectSerializerField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """An object named by its id in a JSON body: a malformed or out-of-range id is 'does not exist'."""

    def to_internal_value(self, data: Any) -> Any:
        if parse_id(data) is None:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(parse_id(data))


def guard_serializer_fields(fields: Any) -> None:
    for field in fields.values():
        if isinstance(field, serializers.CharField) and not field.read_only:
            replace_nul_validator(field.validators, refuse_control_characters_multiline)
        elif isinstance(field, serializers.ListField) and isinstance(field.child, serializers.CharField):
            replace_nul_validator(field.child.validators, refuse_control_characters_multiline)
        elif isinstance(field, serializers.Serializer):
            guard_serializer_fields(field.fields)


# Every serializer that reads a body: its text fields refuse control characters (a 400 on the field).
# (Comments, not docstrings: drf-spectacular publishes an inherited docstring as each schema's description.)
class InputSerializerMixin:
    def get_fields(self) -> Any:
        fields = super().get_fields()  # type: ignore[misc]
        guard_serializer_fields(fields)
        return fields


class InputSerializer(InputSerializerMixin, serializers.Serializer[Any]):
    pass
