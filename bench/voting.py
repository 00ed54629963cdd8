"""Benchmark 3: concurrent council voting over real HTTP, next to the floor of a ballot request.

gunicorn serves the product on loopback; 50 voters — separate processes, each with its own token —
start together and each casts one ballot on each of 20 agenda items
(`POST /api/council-sessions/{id}/ballots/`, API.md), then tries one of them again (must be 409).
Reported: ballots/s, client-side latency p50/p95/p99, and lost or double ballots, from the voters' own
receipts and from the session's results once the secretary closes it. The floor is the same voters
posting to a bare token-authenticated view that inserts one row (`bench.floor`), same server, same run.

`setup` runs inside a worker (Django); everything else runs in the orchestrator, without Django.
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import os
import random
import signal
import socket
import subprocess
import time
from typing import Any

from bench.common import PYTHON, ROOT, WORK, Env, latency_summary, log

BALLOTS_PATH = "/api/council-sessions/{session}/ballots/"
RECEIPT_PATH = "/api/council-sessions/{session}/receipts/{receipt}/"
CLOSE_PATH = "/api/council-sessions/{session}/close/"
SESSION_PATH = "/api/council-sessions/{session}/"
FLOOR_PATH = "/bench/floor/ballot/"
GUNICORN_WORKERS = 4


# --- inside a worker: the session, its agenda and its voters ---------------------------------------------
def setup(*, voters: int, items: int, sessions: int = 1) -> dict[str, Any]:
    from django.contrib.auth.models import Group
    from rest_framework.authtoken.models import Token

    from bench import transitions as bt
    from nominations.models import Person, Role

    member_group = Group.objects.get(name=Role.COUNCIL_MEMBER)
    people = []
    for i in range(voters):
        person, created = Person.objects.get_or_create(
            username=f"bench-voter-{i:03d}",
            defaults={"full_name": f"Thành viên thử tải {i}", "password": "!"},
        )
        if created:
            person.groups.add(member_group)
        people.append(person)
    tokens = [Token.objects.get_or_create(user=p)[0].key for p in people]
    secretary = Person.objects.get(username="secretary")
    secretary_token = Token.objects.get_or_create(user=secretary)[0].key
    actors = bt._actors()
    nominees = bt.nominee_pool(items)
    made = []
    for index in range(sessions):
        rep = bt.new_rep(1000 + index, actors, nominees)
        rep.session.members.add(*people)
        agenda = bt.SERVICES.prepare(rep, items)
        for name in ("submit", "evaluate", "schedule"):
            for i in range(items):
                bt.SERVICES.advance(agenda, i, name, rep)
        made.append({"session": rep.session.pk, "items": [n.pk for n in agenda]})
    return {"sessions": made, "tokens": tokens, "secretary_token": secretary_token}


def check_floor(params: dict[str, Any]) -> dict[str, Any]:
    """Inside a worker: how many floor ballots each item holds."""
    from django.db.models import Count

    from bench.floor.models import FloorBallot

    counts = dict(
        FloorBallot.objects.filter(item__in=params["items"])
        .values_list("item")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {str(k): v for k, v in counts.items()}


# --- in the orchestrator: the server and the voters ------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _request(port: int, method: str, path: str, token: str, body: Any = None) -> tuple[int, Any, float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
    payload = None
    if body is not None:
        payload = json.dumps(body)
        headers["Content-Type"] = "application/json"
    began = time.perf_counter()
    conn.request(method, path, body=payload, headers=headers)
    response = conn.getresponse()
    raw = response.read()
    elapsed = (time.perf_counter() - began) * 1000
    conn.close()
    try:
        data = json.loads(raw) if raw else None
    except ValueError:
        data = raw[:200].decode(errors="replace")
    return response.status, data, elapsed


def _voter(args: tuple[int, str, str, list[int], int, Any, int]) -> dict[str, Any]:
    port, token, path, items, seed, start, session = args
    rng = random.Random(seed)
    order = items[:]
    rng.shuffle(order)
    choices = rng.choices(["yes", "no", "abstain"], weights=[7, 2, 1], k=len(order))
    start.wait()
    results = []
    for item, choice in zip(order, choices, strict=True):
        status, data, ms = _request(port, "POST", path, token, {"nomination": item, "choice": choice})
        receipt = data.get("receipt") if isinstance(data, dict) else None
        results.append({"item": item, "status": status, "ms": ms, "receipt": receipt})
    again = _request(port, "POST", path, token, {"nomination": order[0], "choice": "yes"})[0]
    counted = None
    if session:  # the voter checks their own receipts (untimed)
        counted = 0
        for r in results:
            if r["status"] == 201 and r["receipt"] is not None:
                status, data, _ms = _request(
                    port, "GET", RECEIPT_PATH.format(session=session, receipt=r["receipt"]), token
                )
                counted += int(status == 200 and isinstance(data, dict) and data.get("counted") is True)
    return {"results": results, "again": again, "counted": counted}


def _cast(port: int, tokens: list[str], path: str, items: list[int], session: int) -> dict[str, Any]:
    """All voters at once; returns what the clients saw."""
    ctx = multiprocessing.get_context("fork")
    with ctx.Manager() as manager:
        start = manager.Event()
        with ctx.Pool(len(tokens)) as pool:
            pending = pool.map_async(
                _voter, [(port, t, path, items, i, start, session) for i, t in enumerate(tokens)]
            )
            time.sleep(1.0)  # every voter process is up and waiting
            began = time.perf_counter()
            start.set()
            voters = pending.get(timeout=900)
            wall = time.perf_counter() - began
    results = [r for v in voters for r in v["results"]]
    accepted = [r for r in results if r["status"] == 201]
    statuses: dict[str, int] = {}
    for r in results:
        statuses[str(r["status"])] = statuses.get(str(r["status"]), 0) + 1
    return {
        "ballots": len(results),
        "accepted": len(accepted),
        "statuses": statuses,
        "seconds": wall,
        "per_second": len(results) / wall,
        "ms": latency_summary([r["ms"] for r in results]),
        "second_ballot_accepted": sum(1 for v in voters if v["again"] == 201),
        "receipts_counted": sum(v["counted"] or 0 for v in voters) if session else None,
        "accepted_by_item": {str(i): sum(1 for r in accepted if r["item"] == i) for i in items},
    }


class Server:
    """gunicorn on loopback with the benchmark settings."""

    def __init__(self, env: Env) -> None:
        self.env = env
        self.port = _free_port()
        self.log = WORK / "logs" / f"{env.db}-gunicorn.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        out = self.log.open("wb")
        self.proc = subprocess.Popen(
            [
                PYTHON, "-m", "gunicorn", "config.wsgi:application",
                "--bind", f"127.0.0.1:{self.port}",
                "--workers", str(GUNICORN_WORKERS),
                "--backlog", "256",
                "--log-level", "warning",
            ],
            cwd=ROOT, env=self.env.environ(), stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/bench/floor/page/")
                conn.getresponse().read()
                conn.close()
                return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not start; see {self.log}")

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def run(env: Env, *, voters: int, items: int, reps: int, run_worker: Any) -> dict[str, Any]:
    """Set up `reps` sessions, then per repetition: the floor round and the product round, alternating."""
    setup_result = run_worker("voting_setup", env, {"voters": voters, "items": items, "sessions": reps})
    tokens = setup_result["tokens"]
    result: dict[str, Any] = {"voters": voters, "items": items, "reps": reps, "floor": [], "product": [],
                              "gunicorn_workers": GUNICORN_WORKERS}  # fmt: skip
    with Server(env) as server:
        first = setup_result["sessions"][0]
        status, data, _ms = _request(
            server.port, "POST", BALLOTS_PATH.format(session=first["session"]), tokens[0], {}
        )
        available = status not in (404, 405)
        result["probe"] = {"status": status, "body": data}
        if not available:
            result["product_status"] = "not available yet"
            log(f"voting: {BALLOTS_PATH} answers {status}: product ballots not available yet")
        for rep in range(reps):
            session = setup_result["sessions"][rep]
            floor_items = [rep * 1000 + i for i in range(items)]
            rounds = [("floor", FLOOR_PATH, floor_items, 0)]
            if available:
                path = BALLOTS_PATH.format(session=session["session"])
                rounds.append(("product", path, session["items"], session["session"]))
            if rep % 2:
                rounds.reverse()
            for kind, path, agenda, session_pk in rounds:
                log(f"voting: {kind} round {rep + 1}/{reps}")
                outcome = _cast(server.port, tokens, path, agenda, session_pk)
                if kind == "floor":
                    stored = run_worker(
                        "voting_check", env, {"items": agenda}, log_name=f"voting_check_{rep}"
                    )
                    outcome["stored_by_item"] = stored
                    outcome["lost"] = sum(
                        max(0, n - stored.get(str(i), 0))
                        for i, n in ((int(k), v) for k, v in outcome["accepted_by_item"].items())
                    )
                    outcome["double"] = (
                        sum(
                            max(0, stored.get(str(i), 0) - n)
                            for i, n in ((int(k), v) for k, v in outcome["accepted_by_item"].items())
                        )
                        + outcome["second_ballot_accepted"]
                    )
                else:
                    outcome.update(
                        _close_and_count(server.port, setup_result["secretary_token"], session_pk, outcome)
                    )
                result[kind].append(outcome)
    return result


def _close_and_count(port: int, secretary: str, session: int, outcome: dict[str, Any]) -> dict[str, Any]:
    """Close the session as the secretary and compare its results with what the voters were told."""
    lost = outcome["accepted"] - (outcome["receipts_counted"] or 0)
    double = outcome["second_ballot_accepted"]
    status, _data, _ms = _request(port, "POST", CLOSE_PATH.format(session=session), secretary, {})
    detail: dict[str, Any] = {"close_status": status}
    status, data, _ms = _request(port, "GET", SESSION_PATH.format(session=session), secretary)
    results = data.get("results") if isinstance(data, dict) else None
    if status == 200 and results:
        tallied = {str(r["nomination"]): int(r["yes"]) + int(r["no"]) + int(r["abstain"]) for r in results}
        detail["tallied_by_item"] = tallied
        accepted = outcome["accepted_by_item"]
        lost = max(lost, sum(max(0, n - tallied.get(k, 0)) for k, n in accepted.items()))
        double += sum(max(0, tallied.get(k, 0) - n) for k, n in accepted.items())
    return {"lost": lost, "double": double, **detail}
