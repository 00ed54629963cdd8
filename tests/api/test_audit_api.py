from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from nominations.models import Person, State
from tests.builders import core as builders
from workflow.audit import log as audit
from workflow.models import AuditEvent

pytestmark = pytest.mark.django_db

Api = Callable[[str], APIClient]


def test_the_office_and_the_auditor_read_the_log_oldest_first(api: Api) -> None:
    nomination = builders.to_state(builders.draft(nominee="staff-tkth-2"), State.EVALUATED)
    # Listed last while they wait for their place (this test's transaction never commits), chained after.
    waiting = api("auditor").get(f"/api/audit/?nomination={nomination.pk}").json()["results"]
    assert waiting and all(row["seq"] is None for row in waiting)
    audit.seal_pending()  # what the hooks after each commit do
    assert api("office1").get(f"/api/audit/?nomination={nomination.pk}").status_code == 200
    response = api("auditor").get(f"/api/audit/?nomination={nomination.pk}")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    rows = body["results"]
    assert [row["seq"] for row in rows] == sorted(row["seq"] for row in rows)
    assert [(row["kind"], row["transition"]) for row in rows if row["kind"] in ("created", "transition")] == [
        ("created", ""),
        ("transition", "submit"),
        ("transition", "evaluate"),
    ]
    assert all(row["nomination"] == nomination.pk for row in rows)
    assert len(rows[0]["hash"]) == 64


@pytest.mark.parametrize(
    "username", ["head-tkth", "director", "secretary", "council2", "staff-tkth-1", "admin"]
)
def test_nobody_else_reads_the_log(api: Api, username: str) -> None:
    assert api(username).get("/api/audit/").status_code == 403


def test_the_log_needs_an_authenticated_caller(demo: None) -> None:
    assert APIClient().get("/api/audit/").status_code == 401


def test_the_log_is_filtered_by_actor_and_time_and_paginated(api: Api) -> None:
    nomination = builders.to_state(builders.draft(nominee="staff-tkth-2"), State.EVALUATED)
    audit.seal_pending()  # what the hooks after each commit do (this test's transaction never commits)
    office = Person.objects.get(username="office1")
    evaluation = AuditEvent.objects.get(nomination=nomination, transition="evaluate")
    client = api("auditor")

    by_actor = client.get(f"/api/audit/?actor={office.pk}").json()["results"]
    assert [row["transition"] for row in by_actor] == ["evaluate"]

    since = evaluation.at.isoformat()
    recent = client.get("/api/audit/", {"since": since}).json()["results"]
    assert recent[0]["seq"] == evaluation.seq
    assert all(row["seq"] >= evaluation.seq for row in recent)

    total = AuditEvent.objects.count()
    first = client.get("/api/audit/?page_size=5").json()
    assert first["count"] == total and len(first["results"]) == 5 and first["next"]
    second = client.get(first["next"]).json()
    assert second["results"][0]["seq"] > first["results"][-1]["seq"]
    assert client.get("/api/audit/?since=yesterday").status_code == 400
