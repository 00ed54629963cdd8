"""The login form: Django's, its text fields guarded like every other form's."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm

from workflow.base.inputs import guard_text_fields


class LoginForm(AuthenticationForm):
    """Django's login form, its text fields guarded like every other form's (workflow/base/inputs.py)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        guard_text_fields(self.fields)
