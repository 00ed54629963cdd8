"""The data generator of benchmarks 4 and 5: many nominations and a long, valid audit chain.

`fill(nominations=100_000, events=1_000_000)` brings the database up to (at least) that many generated
nominations and audit events, in bulk: nominations spread over the demo campaigns, awards, units and
states; for each, what `nomination_create` makes — no grant of its own (its rights are held by the roles and
by its unit, `workflow.rights.permissions`) — and its timeline of audit events (created, dossier files, then one
event per transition up to its state). The events are appended to the one HMAC chain exactly as
`workflow.audit.log.record` would chain them (same `compute_hash`, chain head updated), so `verify()` passes
over the result. Each batch is one transaction. Deterministic (seeded).
"""

from __future__ import annotations

import datetime
import random
import time
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from guardian.models import GroupObjectPermission, UserObjectPermission

from nominations.models import (
    FINAL_STATES,
    Award,
    Campaign,
    CouncilSession,
    Nomination,
    OrgUnit,
    Person,
    State,
)
from workflow.audit import log as audit
from workflow.models import AuditChainHead, AuditEvent

GENERATED_SUMMARY = "Thành tích (dữ liệu sinh cho thử tải)."
FINAL = [State.INELIGIBLE, State.WITHDRAWN, State.COUNCIL_FAILED, State.DECLINED]
BATCH = 2000
SEED = 20231231

# The transitions leading to each state (from draft), as the services would have run them.
PATHS: dict[str, list[tuple[str, State]]] = {
    State.DRAFT: [],
    State.SUBMITTED: [("submit", State.SUBMITTED)],
    State.RETURNED: [("submit", State.SUBMITTED), ("return", State.RETURNED)],
    State.INELIGIBLE: [("submit", State.SUBMITTED), ("mark_ineligible", State.INELIGIBLE)],
    State.WITHDRAWN: [("withdraw", State.WITHDRAWN)],
    State.EVALUATED: [("submit", State.SUBMITTED), ("evaluate", State.EVALUATED)],
}
_VOTED = [("submit", State.SUBMITTED), ("evaluate", State.EVALUATED), ("schedule", State.IN_VOTE)]
PATHS[State.IN_VOTE] = _VOTED
PATHS[State.PROPOSED] = [*_VOTED, ("close_vote", State.PROPOSED)]
PATHS[State.COUNCIL_FAILED] = [*_VOTED, ("close_vote", State.COUNCIL_FAILED)]
PATHS[State.DECLINED] = [*PATHS[State.PROPOSED], ("decline", State.DECLINED)]
PATHS[State.APPROVED] = [*PATHS[State.PROPOSED], ("approve", State.APPROVED)]
PATHS[State.REPORTED] = [*PATHS[State.APPROVED], ("report", State.REPORTED)]

# How the generated nominations are spread over the states (a year that is mostly decided).
WEIGHTS: dict[str, int] = {
    State.DRAFT: 8,
    State.SUBMITTED: 12,
    State.RETURNED: 4,
    State.INELIGIBLE: 3,
    State.WITHDRAWN: 3,
    State.EVALUATED: 10,
    State.IN_VOTE: 5,
    State.PROPOSED: 6,
    State.COUNCIL_FAILED: 3,
    State.DECLINED: 2,
    State.APPROVED: 14,
    State.REPORTED: 30,
}
ACTOR_OF = {
    "submit": "head",
    "withdraw": "head",
    "return": "office",
    "mark_ineligible": "office",
    "evaluate": "office",
    "report": "office",
    "schedule": "secretary",
    "close_vote": "secretary",
    "approve": "director",
    "decline": "director",
}
ROLE_OF = {
    "head": "unit_head",
    "office": "office_staff",
    "secretary": "council_secretary",
    "director": "director",
}


@dataclass
class World:
    campaigns: list[Campaign]
    individual_awards: list[Award]
    collective_awards: list[Award]
    units: list[OrgUnit]
    nominees: dict[int, list[Person]]  # unit pk -> people who can be nominated
    heads: dict[int, Person]
    actors: dict[str, Person]
    session: CouncilSession


def nominee_pool(n: int) -> list[Person]:
    """`n` staff people spread over the units (made once, in bulk: no roles, no login)."""
    units = list(OrgUnit.objects.exclude(code="ctk").order_by("order", "code"))
    existing = Person.objects.filter(username__startswith="bench-nominee-").count()
    if existing < n:
        Person.objects.bulk_create(
            Person(
                username=f"bench-nominee-{i:06d}",
                full_name=f"Cán bộ thử tải {i}",
                unit=units[i % len(units)],
                password="!",
            )
            for i in range(existing, n)
        )
    return list(
        Person.objects.filter(username__startswith="bench-nominee-")
        .select_related("unit")
        .order_by("username")[:n]
    )


def _world(pool: int) -> World:
    units = list(OrgUnit.objects.exclude(code="ctk").order_by("order", "code"))
    nominees: dict[int, list[Person]] = {u.pk: [] for u in units}
    for person in nominee_pool(pool):
        if person.unit_id is not None:
            nominees[person.unit_id].append(person)
    session, _ = CouncilSession.objects.get_or_create(
        name="Phiên họp (dữ liệu sinh cho thử tải)",
        defaults={"date": datetime.date(2023, 12, 20), "state": CouncilSession.State.CLOSED},
    )
    awards = list(Award.objects.order_by("pk"))
    return World(
        campaigns=list(Campaign.objects.exclude(name__startswith="Phong trào thử tải").order_by("pk")),
        individual_awards=[a for a in awards if a.accepts(individual=True)],
        collective_awards=[
            a for a in awards if a.accepts(individual=False) and not a.accepts(individual=True)
        ],
        units=units,
        nominees=nominees,
        heads={u.pk: Person.objects.get(username=f"head-{u.code}") for u in units},
        actors={
            who: Person.objects.get(username=name)
            for who, name in (("office", "office1"), ("secretary", "secretary"), ("director", "director"))
        },
        session=session,
    )


def _actor(world: World, who: str, unit_pk: int) -> Person:
    return world.heads[unit_pk] if who == "head" else world.actors[who]


DRAWS = 20


def _standing_keys() -> set[tuple[int, int, int]]:
    """(campaign, award, person id or minus the unit id) of every nomination still standing."""
    rows = Nomination.objects.exclude(state__in=FINAL_STATES).values_list(
        "campaign_id", "award_id", "nominee_person_id", "nominee_unit_id"
    )
    return {(c, a, p if p is not None else -(u or 0)) for c, a, p, u in rows}


def _generated_count() -> int:
    return Nomination.objects.filter(summary=GENERATED_SUMMARY).count()


def fill(*, nominations: int, events: int, processes: int = 0) -> dict[str, Any]:
    """Bring the database up to `nominations` generated nominations and `events` audit events.

    `processes`: how many of the generated nominations still open get their viewflow process (through
    the flow's own `resume` entry, one by one as the product would), so the inbox has tasks to list.
    """
    started = time.perf_counter()
    rng = random.Random(SEED + _generated_count())
    need = max(0, nominations - _generated_count())
    world = _world(pool=max(200, nominations // 25))
    units_by_pk = {u.pk: u for u in world.units}
    states = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()), k=need)
    base = sum(1 + len(PATHS[s]) for s in states)
    pad_total = max(0, events - AuditEvent.objects.count() - base)
    made = 0
    taken = _standing_keys()
    for start in range(0, need, BATCH):
        batch_states = states[start : start + BATCH]
        with transaction.atomic():
            rows = []
            for offset, state in enumerate(batch_states):
                index = start + offset
                unit = world.units[index % len(world.units)]
                campaign = world.campaigns[index % len(world.campaigns)]
                # One standing nomination per nominee, award and campaign (a database constraint): draw
                # again while the draw is taken; a row that finds no free draw goes to a final state.
                for attempt in range(DRAWS):
                    individual = attempt > 0 or bool(rng.random() < 0.8) or not world.collective_awards
                    award = rng.choice(world.individual_awards if individual else world.collective_awards)
                    nominee = rng.choice(world.nominees[unit.pk]) if individual else None
                    key = (campaign.pk, award.pk, nominee.pk if nominee else -unit.pk)
                    if state in FINAL_STATES or key not in taken:
                        break
                else:
                    state = State.COUNCIL_FAILED
                if state not in FINAL_STATES:
                    taken.add(key)
                in_vote = any(name == "schedule" for name, _to in PATHS[state])
                rows.append(
                    Nomination(
                        campaign=campaign,
                        award=award,
                        nominating_unit=unit,
                        nominee_person=nominee,
                        nominee_unit=None if individual else unit,
                        summary=GENERATED_SUMMARY,
                        rating="htxs",
                        state=state,
                        score=95 if state not in {State.DRAFT, State.SUBMITTED, State.RETURNED} else None,
                        council_session=world.session if in_vote else None,
                        decision_number="01/QĐ-CTK" if state in {State.APPROVED, State.REPORTED} else "",
                        decision_date=datetime.date(2024, 1, 10)
                        if state in {State.APPROVED, State.REPORTED}
                        else None,
                        created_by=world.heads[unit.pk],
                    )
                )
            created = Nomination.objects.bulk_create(rows, batch_size=1000)
            pads = [
                pad_total // need + (1 if start + offset < pad_total % need else 0)
                for offset in range(len(created))
            ]
            events_rows = []
            for nomination, pad in zip(created, pads, strict=True):
                events_rows.extend(_timeline(world, units_by_pk, nomination, pad))
            _append(events_rows)
        made += len(created)
    if need == 0 and AuditEvent.objects.count() < events:
        _pad_existing(world, units_by_pk, events - AuditEvent.objects.count())
    started_processes = _start_processes(processes)
    return {
        "processes_started": started_processes,
        "nominations": _generated_count(),
        "added": made,
        "events": AuditEvent.objects.count(),
        "grants_added": 0,  # a nomination carries no grant of its own (issue 17)
        "grant_rows": _grant_rows(),
        "seconds": time.perf_counter() - started,
    }


def _grant_rows() -> dict[str, int]:
    """Guardian's object-permission rows after the fill: on nominations, on units, in all."""
    rows = {"nominations": 0, "units": 0, "all": 0}
    for model in (GroupObjectPermission, UserObjectPermission):
        objects = model.objects.all()
        rows["all"] += objects.count()
        rows["nominations"] += objects.filter(
            content_type=ContentType.objects.get_for_model(Nomination)
        ).count()
        rows["units"] += objects.filter(content_type=ContentType.objects.get_for_model(OrgUnit)).count()
    return rows


def _timeline(
    world: World, units_by_pk: dict[int, OrgUnit], nomination: Nomination, pad: int
) -> list[AuditEvent]:
    def event(kind: str, who: str, **fields: Any) -> AuditEvent:
        actor = _actor(world, who, nomination.nominating_unit_id)
        unit = units_by_pk.get(actor.unit_id) if actor.unit_id else None
        return AuditEvent(
            kind=kind,
            actor=actor,
            actor_name=actor.get_full_name(),
            actor_role=ROLE_OF[who],
            actor_unit=unit.code if unit else "",
            object_type="nominations.nomination",
            object_id=str(nomination.pk),
            nomination=nomination,
            **fields,
        )

    rows = [event(AuditEvent.Kind.CREATED, "head", to_state=str(State.DRAFT))]
    rows.extend(
        event(AuditEvent.Kind.FILE_ADDED, "head", comment="ho-so.pdf", data={"kind": "bao_cao"})
        for _ in range(pad)
    )
    from_state = str(State.DRAFT)
    for name, to_state in PATHS[nomination.state]:
        rows.append(
            event(
                AuditEvent.Kind.TRANSITION,
                ACTOR_OF[name],
                transition=name,
                from_state=from_state,
                to_state=str(to_state),
            )
        )
        from_state = str(to_state)
    return rows


def _start_processes(count: int) -> int:
    """Resume the viewflow process of up to `count` open generated nominations (none before the flow)."""
    try:
        from workflow.models import NominationProcess
        from workflow.process.flows import NominationFlow
    except ImportError:
        return 0
    have = NominationProcess.objects.filter(nomination__summary=GENERATED_SUMMARY).count()
    if have >= count:
        return 0
    waiting = (
        Nomination.objects.filter(summary=GENERATED_SUMMARY, workflow_process__isnull=True)
        .exclude(state__in=[State.REPORTED, *FINAL])
        .order_by("-pk")[: count - have]
    )
    started = 0
    for nomination in waiting:
        with transaction.atomic():
            NominationFlow.resume.run(nomination=nomination)
        started += 1
    return started


def _pad_existing(world: World, units_by_pk: dict[int, OrgUnit], count: int) -> None:
    """More events on nominations already generated (when only the event target grew)."""
    pks = list(
        Nomination.objects.filter(summary=GENERATED_SUMMARY).order_by("pk").values_list("pk", flat=True)
    )
    nominations = {n.pk: n for n in Nomination.objects.filter(pk__in=pks[: max(1, min(len(pks), count))])}
    targets = list(nominations.values())
    for start in range(0, count, BATCH * 10):
        size = min(BATCH * 10, count - start)
        with transaction.atomic():
            rows = []
            for i in range(size):
                nomination = targets[(start + i) % len(targets)]
                rows.append(_timeline(world, units_by_pk, nomination, 1)[1])
            _append(rows)


def _append(rows: list[AuditEvent]) -> None:
    """Chain `rows` after the current head, as `audit.record` does one by one, and move the head."""
    if not rows:
        return
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    seq, prev = head.seq, head.hash
    now = timezone.now()
    for i, row in enumerate(rows):
        seq += 1
        row.seq = seq
        row.at = now + datetime.timedelta(microseconds=i)
        row.prev_hash = prev
        row.hash = prev = audit.compute_hash(prev, row)
    # AuditEvent's own manager refuses bulk_create (events are appended through audit.record only); the
    # generator is the one exception, and it chains every row exactly as record does.
    QuerySet(AuditEvent).bulk_create(rows, batch_size=2000)
    head.seq, head.hash = seq, prev
    head.save(update_fields=["seq", "hash"])
