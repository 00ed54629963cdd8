"""Benchmark 1 (and the slot of benchmark 2): what a transition costs, next to the floor.

N nominations go submit → evaluate → schedule → close_vote → approve → report through the real services
(`workflow.services.transitions`), and N bare django-fsm-2 rows go through the same six transitions with
one plain audit insert each (the floor, `bench.floor`). Both run in the same process, on the same
database, with the same N, alternating which goes first in each repetition, so the ratio holds on a
noisy machine. Queries are counted in a separate, untimed pass (counting has its own cost).

Runs inside a worker (`python -m bench.worker transitions`), with Django set up on bench.settings.
"""

from __future__ import annotations

import copy
import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from bench.generate import nominee_pool
from nominations.models import Award, Campaign, CouncilSession, DossierFile, Nomination, OrgUnit, Person
from workflow.notify import notifications
from workflow.services import nominations as nomination_services
from workflow.services import transitions as t
from workflow.services.decisions import nomination_approve

DECISION_DATE = datetime.date(2024, 1, 10)
COUNCIL = ["director", "secretary", *[f"council{i}" for i in range(1, 8)]]
CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


@dataclass
class Actors:
    heads: dict[int, Person]  # unit pk -> its head
    office: Person
    secretary: Person
    director: Person


@dataclass
class Rep:
    """One repetition: its council session, its actors, its nominees (each variant makes its own campaign)."""

    index: int
    session: CouncilSession
    actors: Actors
    nominees: list[Person]


# --- the path, step by step (the lead inserts a "vote" step here once council voting lands) -----------
Step = tuple[str, Callable[[Nomination, Rep], Nomination]]

STEPS: list[Step] = [
    (
        "submit",
        lambda n, r: t.nomination_submit(
            nomination=n, actor=as_request_user(r.actors.heads[n.nominating_unit_id])
        ),
    ),
    (
        "evaluate",
        lambda n, r: t.nomination_evaluate(
            nomination=n, actor=as_request_user(r.actors.office), score=95, assessment="Đạt"
        ),
    ),
    (
        "schedule",
        lambda n, r: t.nomination_schedule(
            nomination=n, actor=as_request_user(r.actors.secretary), session=r.session
        ),
    ),
    (
        "close_vote",
        lambda n, r: t.nomination_close_vote(
            nomination=n, actor=as_request_user(r.actors.secretary), passed=True
        ),
    ),
    (
        "approve",
        lambda n, r: nomination_approve(
            nomination=n,
            actor=as_request_user(r.actors.director),
            decision_number=f"{n.pk}/QĐ-CTK",  # every approval is its own decision: a number each
            decision_date=DECISION_DATE,
        ),
    ),
    ("report", lambda n, r: t.nomination_report(nomination=n, actor=as_request_user(r.actors.office))),
]
FLOOR_ACTOR = {"submit": "head", "evaluate": "office", "schedule": "secretary", "close_vote": "secretary"}


# --- the variants measured side by side ------------------------------------------------------------------
@dataclass
class Variant:
    """One way of running the path. `advance` runs one transition of one item (the timed part)."""

    name: str
    label: str
    prepare: Callable[[Rep, int], list[Any]]  # untimed: make `n` items in their first state
    advance: Callable[[list[Any], int, str, Rep], None]  # items, index, step name, rep


def _floor_prepare(rep: Rep, n: int) -> list[Any]:
    from bench.floor.models import FloorItem  # here: the test of benchmark 7's counts imports this module

    return [item.pk for item in FloorItem.objects.bulk_create([FloorItem() for _ in range(n)])]


def floor_transition(pk: int, name: str, actor: Person) -> None:
    """Lock the row, change the state, insert one audit row, commit."""
    with transaction.atomic():
        floor_step(pk, name, actor)


def floor_step(pk: int, name: str, actor: Person) -> None:
    """The floor's statements inside a transaction: lock the row, change the state, one audit insert."""
    from bench.floor.models import FloorAudit, FloorItem  # here: bench.floor is installed in bench only

    item = FloorItem.objects.select_for_update().get(pk=pk)
    from_state = item.state
    getattr(item, name)()
    item.save()
    FloorAudit.objects.create(
        item=item, actor=actor, transition=name, from_state=from_state, to_state=item.state
    )


def _floor_actor(rep: Rep, name: str) -> Person:
    who = FLOOR_ACTOR.get(name, "director" if name == "approve" else "office")
    if who == "head":
        return next(iter(rep.actors.heads.values()))
    return getattr(rep.actors, who)  # type: ignore[no-any-return]


def _floor_advance(items: list[Any], index: int, name: str, rep: Rep) -> None:
    floor_transition(items[index], name, _floor_actor(rep, name))


def _services_prepare(rep: Rep, n: int) -> list[Any]:
    """N drafts made by the real service, each with the three dossier files LĐTT requires."""
    award = Award.objects.get(code="LDTT")
    campaign = _campaign(f"{rep.index}-{n}")  # one per call: the one-per-campaign rule allows N nominees
    drafts = [
        nomination_services.nomination_create(
            actor=rep.actors.heads[person.unit_id],
            campaign=campaign,
            award=award,
            nominee_person=person,
            summary="Hoàn thành xuất sắc nhiệm vụ năm 2023.",
            rating="htxs",
        )
        for person in rep.nominees[:n]
    ]
    add_dossiers([(d.pk, rep.actors.heads[d.nominating_unit_id]) for d in drafts])
    return drafts


def add_dossiers(nominations: list[tuple[int, Person]]) -> None:
    """The three dossier files LĐTT requires for each (nomination id, uploader): rows pointing at one stored
    PDF, in one insert — uploads are not what is measured here."""
    kinds = [
        DossierFile.Kind.SUBMISSION,
        DossierFile.Kind.ACHIEVEMENT_REPORT,
        DossierFile.Kind.EVALUATION_MINUTES,
    ]
    DossierFile.objects.bulk_create(
        DossierFile(
            nomination_id=pk,
            kind=kind,
            file="dossiers/bench/ho-so.pdf",
            original_name="ho-so.pdf",
            content_type="application/pdf",
            size=1024,
            uploaded_by=uploader,
        )
        for pk, uploader in nominations
        for kind in kinds
    )


_SERVICE_STEPS = dict(STEPS)


def as_request_user(person: Person) -> Person:
    """The actor as a request has it: `request.user` is loaded afresh, without its unit or roles."""
    user = copy.copy(person)
    user._state = copy.copy(person._state)
    user._state.fields_cache = {}
    user.__dict__.pop("_role_codes", None)
    return user


def _services_advance(items: list[Any], index: int, name: str, rep: Rep) -> None:
    # Each service returns the nomination as it now is; the next step starts from it (as a page would).
    items[index] = _SERVICE_STEPS[name](items[index], rep)


def _deferred_advance(items: list[Any], index: int, name: str, rep: Rep) -> None:
    """The same service call with the on-commit mail delivery switched off (rows stay in the outbox).

    A diagnostic, not a product mode: it shows what sending the mail inside the request costs, the
    part `deliver_notifications` could take off the request.
    """
    original = notifications.deliver
    notifications.deliver = _leave_in_outbox  # type: ignore[assignment]
    try:
        _services_advance(items, index, name, rep)
    finally:
        notifications.deliver = original  # type: ignore[assignment]


def _leave_in_outbox(ids: Any = None) -> tuple[int, int]:
    return 0, 0


def _viewflow_variant() -> Variant | None:
    """Benchmark 2 — the viewflow hand-off excluded, set against "services, mail left in the outbox".

    Every transition ends in `workflow.process.routing.after_transition` → `process_sync`, which finishes the
    nomination's open task and lets the flow's gateway open the next one, in the same transaction.
    This variant runs the same service calls with `process_sync` switched off (and, like the variant
    it is compared with, the mail left in the outbox), so the ratio of the two is what viewflow's
    routing costs — with the notice of the next task, which needs the task. None without the flow.
    """
    from workflow.process import routing

    if not hasattr(routing, "process_sync"):
        return None

    def advance(items: list[Any], index: int, name: str, rep: Rep) -> None:
        original = routing.process_sync
        routing.process_sync = _no_hand_off
        try:
            _deferred_advance(items, index, name, rep)
        finally:
            routing.process_sync = original

    return Variant(
        "services_no_viewflow",
        "services without the viewflow hand-off, mail left in the outbox (benchmark 2)",
        _services_prepare,
        advance,
    )


def _no_hand_off(**kwargs: Any) -> None:
    return None


FLOOR = Variant("floor", "floor: bare django-fsm-2 + 1 audit insert", _floor_prepare, _floor_advance)
SERVICES = Variant(
    "services", "services (workflow.services.transitions)", _services_prepare, _services_advance
)


DEFERRED = Variant(
    "services_no_mail",
    "services, mail left in the outbox (diagnostic)",
    _services_prepare,
    _deferred_advance,
)


def variants() -> list[Variant]:
    viewflow = _viewflow_variant()
    return [FLOOR, SERVICES, DEFERRED, *([viewflow] if viewflow else [])]


# --- setup -----------------------------------------------------------------------------------------------
def _person(username: str) -> Person:
    return Person.objects.get(username=username)


def _actors() -> Actors:
    heads = {}
    for unit in OrgUnit.objects.exclude(code="ctk"):
        heads[unit.pk] = _person(f"head-{unit.code}")
    return Actors(heads, _person("office1"), _person("secretary"), _person("director"))


def _campaign(label: str) -> Campaign:
    return Campaign.objects.create(
        name=f"Phong trào thử tải {label}-{time.time_ns()}",
        kind=Campaign.Kind.ANNUAL,
        starts_on=datetime.date(2023, 1, 1),
        ends_on=datetime.date(2023, 12, 31),
    )


def new_rep(index: int, actors: Actors, nominees: list[Person]) -> Rep:
    stamp = f"{index}-{time.time_ns()}"
    session = CouncilSession.objects.create(
        name=f"Phiên họp thử tải {stamp}", date=datetime.date(2023, 12, 20), state=CouncilSession.State.OPEN
    )
    session.members.set(Person.objects.filter(username__in=COUNCIL))
    return Rep(index, session, actors, nominees)


# --- counting --------------------------------------------------------------------------------------------
def _split(captured: list[dict[str, Any]]) -> tuple[int, int, int]:
    """(data queries before and at COMMIT, data queries after COMMIT, transaction-control statements)."""
    before = after = control = 0
    committed = False
    for query in captured:
        sql = query["sql"].lstrip().upper()
        if sql.startswith(CONTROL):
            control += 1
            if sql.startswith("COMMIT"):
                committed = True
            continue
        if committed:
            after += 1
        else:
            before += 1
    return before, after, control


def count_queries(variant: Variant, rep: Rep, n: int) -> dict[str, Any]:
    """Per step: data queries inside the transaction, after commit (mail delivery), control statements."""
    items = variant.prepare(rep, n)
    by_step: dict[str, dict[str, float]] = {}
    for name, _step in STEPS:
        totals = [0, 0, 0]
        for index in range(n):
            with CaptureQueriesContext(connection) as ctx:
                variant.advance(items, index, name, rep)
            for i, v in enumerate(_split(ctx.captured_queries)):
                totals[i] += v
        by_step[name] = {"in_txn": totals[0] / n, "after_commit": totals[1] / n, "control": totals[2] / n}
    steps = len(by_step)
    in_txn = sum(s["in_txn"] for s in by_step.values()) / steps
    after = sum(s["after_commit"] for s in by_step.values()) / steps
    control = sum(s["control"] for s in by_step.values()) / steps
    return {
        "by_step": by_step,
        "in_txn": in_txn,
        "after_commit": after,
        "total": in_txn + after,
        "control": control,
    }


# --- the benchmark ---------------------------------------------------------------------------------------
def run(*, n: int, reps: int, chunk: int = 10, count_n: int = 10) -> dict[str, Any]:
    """`reps` timed repetitions (after one warm-up) of N items through every step, for every variant.

    Within a repetition the variants take turns every `chunk` items of a step (the order flipping each
    turn), so both see the same load from whatever else the machine is doing; the ratio is computed per
    repetition from these paired times.
    """
    actors = _actors()
    nominees = nominee_pool(n)
    measured = variants()
    seconds: dict[str, list[float]] = {v.name: [] for v in measured}
    for index in range(reps + 1):
        rep = new_rep(index, actors, nominees)
        prepared = {v.name: v.prepare(rep, n) for v in measured}
        spent = dict.fromkeys(prepared, 0.0)
        turn = 0
        for name, _step in STEPS:
            for start in range(0, n, chunk):
                order = measured if turn % 2 == 0 else list(reversed(measured))
                turn += 1
                for variant in order:
                    items = prepared[variant.name]
                    began = time.perf_counter()
                    for i in range(start, min(start + chunk, n)):
                        variant.advance(items, i, name, rep)
                    spent[variant.name] += time.perf_counter() - began
        if index > 0:  # repetition 0 warms up imports, caches and the tables' first pages
            for variant_name, elapsed in spent.items():
                seconds[variant_name].append(elapsed)
    queries = {v.name: count_queries(v, new_rep(reps + 1, actors, nominees), count_n) for v in measured}
    per_rep = n * len(STEPS)
    result: dict[str, Any] = {
        "n": n,
        "reps": reps,
        "chunk": chunk,
        "steps": [s for s, _ in STEPS],
        "variants": {},
    }
    for v in measured:
        result["variants"][v.name] = {
            "label": v.label,
            "transitions": per_rep,
            "seconds": seconds[v.name],
            "per_second": [per_rep / s for s in seconds[v.name]],
            "queries": queries[v.name],
        }
    result["ratio_to_floor"] = {
        v.name: [s / f for s, f in zip(seconds[v.name], seconds["floor"], strict=True)]
        for v in measured
        if v is not FLOOR
    }
    return result
