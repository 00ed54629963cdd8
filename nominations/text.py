"""What text typed by a person may hold: no NUL and no other control character (line breaks only where
the field has lines). PostgreSQL cannot store NUL; the others have no business in a name or a comment.

The rule lives in the domain so that every entry point applies the same one: the pages, filters and API
through `workflow/base/inputs.py`, and the Django admin through `nominations/admin_base.py` (the domain
never imports the workflow).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

# \t \n \r are allowed in text areas only; everything else in Unicode category Cc is refused.
LINE_BREAKS = frozenset("\t\n\r")

CONTROL_CHARACTER = _("Có ký tự điều khiển không được phép (mã U+%(code)04X).")


def control_character(text: str, *, multiline: bool) -> str | None:
    """The first control character `text` may not hold (\\t \\n \\r are allowed when multiline)."""
    for char in text:
        if unicodedata.category(char) == "Cc" and not (multiline and char in LINE_BREAKS):
            return char
    return None


def refuse_control_characters(value: Any, *, multiline: bool = False) -> None:
    if isinstance(value, str) and (char := control_character(value, multiline=multiline)) is not None:
        raise ValidationError(CONTROL_CHARACTER, code="control_character", params={"code": ord(char)})


def refuse_control_characters_multiline(value: Any) -> None:
    refuse_control_characters(value, multiline=True)


def replace_nul_validator(validators: list[Any], validator: Any) -> None:
    """Django's and DRF's own NUL check gives a second, English message: ours covers NUL too."""
    validators[:] = [v for v in validators if not isinstance(v, ProhibitNullCharactersValidator)]
    if validator not in validators:
        validators.append(validator)


def guard_text_fields(fields: dict[str, forms.Field]) -> None:
    """Give every text field of a form the control-character validator (text areas keep their lines)."""
    for field in fields.values():
        if isinstance(field, forms.CharField):
            multiline = isinstance(field.widget, forms.Textarea)
            validator = refuse_control_characters_multiline if multiline else refuse_control_characters
            replace_nul_validator(field.validators, validator)
