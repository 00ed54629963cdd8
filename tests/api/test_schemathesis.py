"""schemathesis against the live schema: /api/schema/ as the running app serves it, called in-process (WSGI).

For every operation of the schema, valid and invalid requests (a fixed, derandomized number of each),
authenticated in turn as a unit head whose unit has nominations in a few states, the office and the
auditor: whatever is sent, the server must never answer 5xx, and every error answer is JSON (issue #15).
One test for all operations, so the demo data is loaded once. Time: EXAMPLES_PER_OPERATION_AND_MODE per
role (9 per operation and mode, about the former 10 for one role): measured 22 s, as before (23 s).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error

from config.wsgi import application
from nominations.models import State
from tests.api.conftest import token_for
from tests.builders import core as builders
from workflow.services.submissions import submission_create

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION_AND_MODE = 3  # x 3 roles: about the cost of the former 10 for one role
ROLES = ("head-tkth", "office1", "auditor")


@schemathesis.check
def error_is_json(ctx: Any, response: Any, case: Any) -> bool | None:
    """An error under /api/ is JSON with a message, never Django's or a proxy's HTML page."""
    if response.status_code < 400:
        return None
    content_type = response.headers.get("content-type") or response.headers.get("Content-Type") or ""
    if isinstance(content_type, list):
        content_type = content_type[0] if content_type else ""
    if not str(content_type).startswith("application/json"):
        raise AssertionError(f"{response.status_code} answered with {content_type!r}, not JSON")
    return None


@contextmanager
def connection_kept_open() -> Iterator[None]:
    """Like Django's test client: a request must not close the test's connection (and its transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_no_generated_request_makes_the_server_fail(demo: None) -> None:
    drafts = [builders.draft(nominee=f"staff-tkth-{n}", files=n < 3) for n in (1, 2, 3)]
    seeded = [drafts[0].pk, builders.to_state(drafts[1], State.SUBMITTED).pk, drafts[2].pk]
    tokens = {username: token_for(username) for username in ROLES}
    unit_submission = submission_create(
        actor=builders.person("head-tkth"), campaign=builders.annual_campaign()
    )
    drafts[2].submission = unit_submission  # the unit's list holds one draft: its submit and import run
    drafts[2].save(update_fields=["submission"])
    with connection_kept_open():
        schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15

    def call(case: Any, headers: dict[str, str]) -> None:
        # Database ids differ between runs and databases: point small generated ids at real nominations.
        generated = (case.path_parameters or {}).get("id")
        if isinstance(generated, int) and not isinstance(generated, bool) and 0 <= generated < 10:
            case.path_parameters["id"] = seeded[generated % len(seeded)]
            if case.path.startswith("/api/submissions/"):
                case.path_parameters["id"] = unit_submission.pk
        with connection_kept_open():
            case.call_and_validate(headers=headers, checks=[not_a_server_error, error_is_json])

    failures: list[str] = []
    for operation, mode, username in (
        (o, m, u) for o in operations for m in schemathesis.GenerationMode for u in ROLES
    ):
        headers = {"Authorization": f"Token {tokens[username]}"}
        run = settings(
            max_examples=EXAMPLES_PER_OPERATION_AND_MODE,
            derandomize=True,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )(given(case=operation.as_strategy(generation_mode=mode), headers=st.just(headers))(call))
        try:
            run()
        except Unsatisfiable:
            continue  # nothing of this operation can be made invalid (e.g. a list without parameters)
        except Exception as failure:  # report every operation that fails, not only the first
            failures.append(
                f"{operation.method.upper()} {operation.path} ({mode.value}, {username}): {failure}"
            )
    assert failures == []
