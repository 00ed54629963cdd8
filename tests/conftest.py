from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings

from nominations.models import Person

DEMO_PASSWORD = "demo-pass-123"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _test_settings(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path_factory.getbasetemp() / "media"
    # Login throttling has its own tests (tests/test_security.py); elsewhere it would only count logins.
    settings.AXES_ENABLED = False
    # (certsign) No signing keys unless a test makes its own (tests/certsign/): a developer's var/signing
    # left by loaddemo must not change what the other tests see.
    settings.THIDUA_SIGNING_KEYS_DIR = None


def _load_demo() -> None:
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS, THIDUA_SIGNING_KEYS_DIR=None):
        call_command("loaddemo", "--password", DEMO_PASSWORD, stdout=io.StringIO())


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Load the demo organisation once into the test database.

    Tests using `db` run inside a transaction that is rolled back, so they all start from it.
    pytest-django runs `transactional_db` tests after those; a transactional test empties the tables
    when it ends, so the `demo` fixture loads the data again when it is missing.
    """
    with django_db_blocker.unblock():
        _load_demo()


@pytest.fixture
def demo(db: Any) -> None:
    """The demo organisation of loaddemo: units, people with every role, campaigns, the award catalogue."""
    if not Person.objects.filter(username="head-tkth").exists():
        _load_demo()


@pytest.fixture
def people(demo: None) -> dict[str, Person]:
    return {p.username: p for p in Person.objects.select_related("unit").prefetch_related("groups")}
