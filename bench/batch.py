"""Benchmark 7: batch work of N nominations through the API, each batch next to its floor (issue #17).

One unit with N staff imports N nominees into its submission (untimed), then four batches are timed, each
one HTTP request answered by the product's services, the document rows included:

- the unit's submission: `POST /api/submissions/{id}/submit/` (N × submit, as the unit head);
- the council session's close: `POST /api/council-sessions/{id}/close/` (count, N × close_vote);
- one decision: `POST /api/decisions/` with the N nominations (N × approve, the decision and its lines);
- one report: `POST /api/reports/` then `POST /api/reports/{id}/issue/` (N × report, the report's lines).

Between them, untimed, the office evaluates every item, the secretary puts them on a session in one batch,
and the nine members vote on each (the close counts real ballots). The floor of each batch is N bare
django-fsm-2 transitions in one transaction (lock the row, change the state, one audit insert each), timed
in the same run just before it. Target: each batch under 2 s at N = 200 on PostgreSQL.

Runs inside a worker (`python -m bench.worker batch`), with Django set up on bench.settings.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test import Client
from rest_framework.authtoken.models import Token

from bench.imports import _sheet
from bench.transitions import add_dossiers, floor_step
from nominations.models import (
    Campaign,
    CouncilSession,
    Nomination,
    OrgUnit,
    Person,
    Role,
    State,
    Submission,
)
from workflow.rights.permissions import sync_unit_head_groups
from workflow.services import council_ballots, council_sessions
from workflow.services import transitions as t
from workflow.services.submission_import import submission_import
from workflow.services.submissions import submission_create

UNIT_CODE = "bench-batch"
COUNCIL = ["director", "secretary", *[f"council{i}" for i in range(1, 8)]]
DAY = datetime.date(2024, 1, 10)


def _unit_with_staff(n: int, code: str) -> tuple[OrgUnit, Person]:
    unit, _created = OrgUnit.objects.get_or_create(
        code=code,
        defaults={
            "name": "Đơn vị thử tải xử lý theo lô",
            "kind": OrgUnit.Kind.DEPARTMENT,
            "parent": OrgUnit.objects.get(code="ctk"),
        },
    )
    head, created = Person.objects.get_or_create(
        username=f"head-{code}", defaults={"full_name": "Trưởng đơn vị thử tải lô", "unit": unit}
    )
    if created:
        head.groups.add(Group.objects.get(name=Role.UNIT_HEAD))
        sync_unit_head_groups(head)
    have = Person.objects.filter(unit=unit, username__startswith=f"{code}-").count()
    Person.objects.bulk_create(
        Person(username=f"{code}-{i:05d}", full_name=f"Cán bộ nhập thử {i:05d}", unit=unit, password="!")
        for i in range(have, n)
    )
    return unit, Person.objects.get(pk=head.pk)


def _campaign(unit: OrgUnit) -> Campaign:
    campaign = Campaign.objects.create(
        name=f"Phong trào thử tải theo lô {time.time_ns()}",
        kind=Campaign.Kind.ANNUAL,
        starts_on=datetime.date(2023, 1, 1),
        ends_on=datetime.date(2023, 12, 31),
    )
    campaign.units.add(unit)
    return campaign


def _api(username: str) -> tuple[Client, dict[str, str]]:
    token, _created = Token.objects.get_or_create(user=Person.objects.get(username=username))
    return Client(), {"HTTP_AUTHORIZATION": f"Token {token.key}"}


def _floor(n: int, name: str, items: list[int], actor: Person) -> float:
    """N bare transitions `name` in one transaction: lock, change state, one audit insert each."""
    began = time.perf_counter()
    with transaction.atomic():
        for pk in items:
            floor_step(pk, name, actor)
    return time.perf_counter() - began


class _Counter:
    """Counts the statements sent (a batch sends more than Django's query log keeps, 9,000)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def _timed(request: Callable[[], Any]) -> tuple[float, int, Any]:
    """Seconds and statements of one request (counted in the same pass: a wrapper costs next to nothing)."""
    counter = _Counter()
    with connection.execute_wrapper(counter):
        began = time.perf_counter()
        response = request()
        seconds = time.perf_counter() - began
    return seconds, counter.count, response


def _check(response: Any, expected: int) -> Any:
    assert response.status_code == expected, (response.status_code, response.content[:500])
    return response.json()


def run(*, n: int = 200) -> dict[str, Any]:
    """The batches of `n`, after the same four batches of 3 in another unit (untimed): the first request of a
    process pays imports, URL resolution and the first compilation of every query shape."""
    _run(3, f"{UNIT_CODE}-warmup")
    return _run(n, UNIT_CODE)


def world(n: int, code: str) -> tuple[Submission, list[int], Person]:
    """A unit `code` with n staff whose submission holds n imported LĐTT drafts with their dossiers, ready to
    be submitted: the submission, the drafts' ids (in order) and the unit head. Also what
    tests/bench/test_batch_query_counts.py builds its pinned batches on."""
    unit, head = _unit_with_staff(n, code)
    campaign = _campaign(unit)
    submission_create(actor=head, campaign=campaign)
    submission = Submission.objects.select_related("unit", "campaign").get(unit=unit, campaign=campaign)
    ids, _unchanged = submission_import(
        submission=submission, actor=head, data=_sheet(n)
    )  # benchmark 6's sheet: its names are this unit's staff
    add_dossiers([(pk, head) for pk in ids])
    return submission, ids, head


def council_voted(ids: list[int]) -> CouncilSession:
    """After the submission: the office evaluates each item (one at a time, as it does), the secretary puts
    them all on a new session in one batch and opens it, and the nine members vote yes on each — the
    session is ready to close."""
    office, secretary = (Person.objects.get(username=u) for u in ("office1", "secretary"))
    nominations = list(Nomination.objects.filter(pk__in=ids).order_by("pk"))
    for nomination in nominations:
        t.nomination_evaluate(nomination=nomination, actor=office, score=95, assessment="Đạt")
    members = list(Person.objects.filter(username__in=COUNCIL))
    session = CouncilSession.objects.create(
        name=f"Phiên họp thử tải theo lô {time.time_ns()}", date=datetime.date(2023, 12, 20)
    )
    session.members.set(members)
    council_sessions.council_agenda_add_many(session=session, nominations=nominations, actor=secretary)
    council_sessions.council_session_open(session=session, actor=secretary)
    session.refresh_from_db()
    for nomination in nominations:
        for member in members:
            council_ballots.ballot_cast(session=session, nomination=nomination.pk, voter=member, choice="yes")
    return session


def _run(n: int, code: str) -> dict[str, Any]:
    from bench.floor.models import FloorItem  # bench.floor is installed in bench's settings only

    submission, ids, head = world(n, code)
    campaign = submission.campaign
    office, secretary, director = (
        Person.objects.get(username=u) for u in ("office1", "secretary", "director")
    )
    floor_items = [item.pk for item in FloorItem.objects.bulk_create([FloorItem() for _ in range(n)])]
    results: dict[str, Any] = {"n": n, "batches": {}}

    def measure(batch: str, floor_name: str, floor_actor: Person, request: Callable[[], Any]) -> Any:
        floor = _floor(n, floor_name, floor_items, floor_actor)
        seconds, queries, response = _timed(request)
        results["batches"][batch] = {
            "seconds": seconds,
            "queries": queries,
            "floor_seconds": floor,
            "ratio_to_floor": seconds / floor if floor else None,
        }
        return response

    client, auth = _api(head.username)
    response = measure(
        "submission",
        "submit",
        head,
        lambda: client.post(
            f"/api/submissions/{submission.pk}/submit/", {}, content_type="application/json", **auth
        ),
    )
    _check(response, 200)
    for name in ("evaluate", "schedule"):  # the floor items follow the same path, untimed
        _floor(n, name, floor_items, office)
    session = council_voted(ids)  # untimed
    client, auth = _api(secretary.username)
    response = measure(
        "council_close",
        "close_vote",
        secretary,
        lambda: client.post(
            f"/api/council-sessions/{session.pk}/close/", {}, content_type="application/json", **auth
        ),
    )
    _check(response, 200)
    assert Nomination.objects.filter(pk__in=ids, state=State.PROPOSED).count() == n
    client, auth = _api(director.username)
    body = {
        "nominations": ids,
        "number": f"{time.time_ns() % 10**6}/QĐ-CTK",
        "date": DAY.isoformat(),
        "signer": director.pk,
    }
    response = measure(
        "decision",
        "approve",
        director,
        lambda: client.post("/api/decisions/", body, content_type="application/json", **auth),
    )
    _check(response, 201)
    client, auth = _api(office.username)
    body = {
        "campaign": campaign.pk,
        "number": f"{time.time_ns() % 10**6}/BC-CTK",
        "date": DAY.isoformat(),
        "signer": director.pk,
    }

    def report() -> Any:
        created = _check(client.post("/api/reports/", body, content_type="application/json", **auth), 201)
        return client.post(
            f"/api/reports/{created['id']}/issue/", {}, content_type="application/json", **auth
        )

    response = measure("report", "report", office, report)
    _check(response, 200)
    assert Nomination.objects.filter(pk__in=ids, state=State.REPORTED).count() == n
    return results
