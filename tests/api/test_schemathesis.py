"""schemathesis against the live schema (/api/schema/ served by the app itself), through WSGI in-process.

A fixed, derandomized number of examples per operation, authenticated as a demo unit head whose unit has
a few nominations: whatever is generated — valid or not — the server must never answer 5xx.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error

from config.wsgi import application
from nominations.models import State
from tests import builders
from tests.api.conftest import token_for

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 12


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    # Like Django's test client: a request must not close the test's connection (and its transaction).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def seeded_ids(demo: None) -> list[int]:
    """Nominations of the caller's unit in a few states, for generated ids to land on."""
    drafts = [builders.draft(nominee=f"staff-tkth-{n}", files=n < 3) for n in (1, 2, 3)]
    return [drafts[0].pk, builders.to_state(drafts[1], State.SUBMITTED).pk, drafts[2].pk]


@pytest.fixture
def auth_headers(demo: None) -> dict[str, str]:
    return {"Authorization": f"Token {token_for('head-tkth')}"}


# Loaded when the tests are collected, from the running app (no database needed to serve the schema).
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_generated_request_makes_the_server_fail(
    case: Any, seeded_ids: list[int], auth_headers: dict[str, str]
) -> None:
    # Database ids differ between runs and databases: point small generated ids at real nominations.
    generated = (case.path_parameters or {}).get("id")
    if isinstance(generated, int) and not isinstance(generated, bool) and 0 <= generated < 10:
        case.path_parameters["id"] = seeded_ids[generated % len(seeded_ids)]
    case.call_and_validate(headers=auth_headers, checks=[not_a_server_error])
