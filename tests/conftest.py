from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from nominations.models import Person


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Login throttling has its own tests (tests/test_security.py); elsewhere it would only count logins.
    settings.AXES_ENABLED = False


@pytest.fixture
def demo(db: Any) -> None:
    """The demo organisation of loaddemo: units, people with every role, campaigns, the award catalogue."""
    call_command("loaddemo", "--password", "demo-pass-123", stdout=io.StringIO())


@pytest.fixture
def people(demo: None) -> dict[str, Person]:
    return {p.username: p for p in Person.objects.select_related("unit").prefetch_related("groups")}
