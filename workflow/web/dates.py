"""Dates typed and shown as dd/mm/yyyy whatever the browser's language.

`<input type=date>` shows the date in the browser's own order (mm/dd/yyyy in an English browser) while
every page prints dd/mm/yyyy, so date fields are plain text inputs that parse dd/mm/yyyy. ISO dates
(yyyy-mm-dd) are still accepted: what a script or an older bookmark sends keeps working. The formats
are given per field, not through the locale: Django's English input formats would read 03/04/2024 as
the 4th of March.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

DISPLAY_FORMAT = "%d/%m/%Y"
INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]


class DayMonthYearInput(forms.DateInput):
    """A text input showing dd/mm/yyyy, with a numeric keyboard on phones."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults = {
            "placeholder": "dd/mm/yyyy",
            "inputmode": "numeric",
            "autocomplete": "off",
            "pattern": r"\d{1,2}[\/.\-]\d{1,2}[\/.\-]\d{4}|\d{4}-\d{2}-\d{2}",
            "class": "date-input",
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format=DISPLAY_FORMAT)


class DayMonthYearField(forms.DateField):
    widget = DayMonthYearInput
    input_formats = INPUT_FORMATS
    default_error_messages = {"invalid": _("Nhập ngày theo dạng ngày/tháng/năm, ví dụ 15/01/2024.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("Dạng ngày/tháng/năm, ví dụ 15/01/2024."))
        super().__init__(**kwargs)


class DayMonthYearFilter(django_filters.DateFilter):
    """A django-filter date filter on the same text input."""

    field_class = DayMonthYearField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "")
        super().__init__(*args, **kwargs)
