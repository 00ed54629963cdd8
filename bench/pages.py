"""Benchmark 4: what a page costs at scale — server time (p50/p95) and queries, next to the floor page.

Each entry of PAGES is requested in-process through Django's full request handler (middleware,
session, authentication, view, template), so the time is the server's time without the network.
The floor is a view that only loads the session's user and answers. Entries whose URL does not exist
yet (404) are reported as "not available yet"; the lead fills in the paths as the pages land.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from bench.common import latency_summary
from bench.generate import GENERATED_SUMMARY
from nominations.models import Nomination, Person, State


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    path: str  # may use {nomination}: a generated, reported nomination with a full timeline
    user: str
    api: bool = False  # authenticate with a token (API) instead of a session


# The pages the issue names, with the paths of the `web` and `api` branches; extend as pages land.
PAGES: list[Page] = [
    Page("floor", "floor: bare view (session + user + middleware)", "/bench/floor/page/", "office1"),
    Page("home", "home page (counts by state)", "/", "office1"),
    Page("home_unit_head", "home page as a unit head (visibility filter)", "/", "head-tkth"),
    Page("inbox", "inbox (my tasks)", "/viec/", "office1"),
    Page("dashboard", "dashboard", "/theo-doi/", "director"),
    Page("nomination_list", "nomination list", "/ho-so/", "office1"),
    Page("nomination_list_unit_head", "nomination list as a unit head", "/ho-so/", "head-tkth"),
    Page("timeline", "one nomination (detail + timeline)", "/ho-so/{nomination}/", "office1"),
    Page("audit_log", "audit log page", "/nhat-ky/", "auditor"),
    Page("api_nominations", "API GET /api/nominations/", "/api/nominations/", "office1", api=True),
    Page(
        "api_history",
        "API GET /api/nominations/{id}/history/",
        "/api/nominations/{nomination}/history/",
        "office1",
        api=True,
    ),
    Page(
        "api_audit",
        "API GET /api/audit/?nomination=",
        "/api/audit/?nomination={nomination}",
        "auditor",
        api=True,
    ),
]


def _sample_nomination() -> int:
    nomination = (
        Nomination.objects.filter(summary=GENERATED_SUMMARY, state=State.REPORTED)
        .order_by("pk")
        .only("pk")
        .first()
        or Nomination.objects.order_by("pk").only("pk").first()
    )
    return nomination.pk if nomination else 0


def _client(page: Page) -> tuple[Client, dict[str, str]]:
    user = Person.objects.get(username=page.user)
    client = Client()
    if page.api:
        token, _created = Token.objects.get_or_create(user=user)
        return client, {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    client.force_login(user)
    return client, {}


def _probe(page: Page, nomination: int) -> dict[str, Any]:
    """First request, warm-up and query count; says whether the page can be timed."""
    path = page.path.format(nomination=nomination)
    client, headers = _client(page)
    try:
        response = client.get(path, **headers)
    except Exception as exc:  # a page that fails is reported, not hidden
        return {"status": "error", "detail": f"{type(exc).__name__}: {exc}"[:300], "path": path}
    if response.status_code == 404:
        return {"status": "not available yet", "path": path}
    if response.status_code != 200:
        return {"status": f"HTTP {response.status_code}", "path": path}
    for _ in range(2):
        client.get(path, **headers)
    with CaptureQueriesContext(connection) as queries:
        client.get(path, **headers)
    return {
        "status": "ok",
        "path": path,
        "queries": len(queries),
        "bytes": len(response.content),
        "_client": client,
        "_headers": headers,
    }


def run(*, requests: int) -> dict[str, Any]:
    """Probe every page, then time them in turns (one request each per round) so all share the same load."""
    nomination = _sample_nomination()
    probed = {
        page.key: {"label": page.label, "user": page.user, **_probe(page, nomination)} for page in PAGES
    }
    timed: dict[str, list[float]] = {key: [] for key, result in probed.items() if result["status"] == "ok"}
    for _ in range(requests):
        for key in timed:
            result = probed[key]
            began = time.perf_counter()
            result["_client"].get(result["path"], **result["_headers"])
            timed[key].append((time.perf_counter() - began) * 1000)
    for key, times in timed.items():
        probed[key]["ms"] = latency_summary(times)
    for result in probed.values():
        result.pop("_client", None)
        result.pop("_headers", None)
    return {"nominations": Nomination.objects.count(), "sample_nomination": nomination, "pages": probed}
