"""Keeping each nomination's viewflow process at the step its state calls for, and reading tasks.

The process never decides anything: a transition service changes `Nomination.state`, then (in the same
transaction) `process_sync` finishes the open task on behalf of the person who acted and the flow's
gateway opens the task for the new state. Whatever the entry point — page, API, admin action, command —
the process position and the state cannot drift apart, because both change in one commit.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow import PROCESS, STATUS, FlowLockFailed, flow
from viewflow.workflow.models import Process, Task

from nominations.access import ALWAYS, NOT_HELD, holding_any
from nominations.models import Nomination
from workflow.base.errors import Conflict, NotPermitted, WrongState
from workflow.models import NominationProcess
from workflow.notify.workdays import Calendar, latest_start_overdue
from workflow.process.flows import CLOSED_STEP, NominationFlow, ballot_node, step_for_state, task_nodes
from workflow.process.nodes import OPEN, CouncilVote, MemberBallot, NominationTask

OPEN_STATUSES = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)
HUMAN = "HUMAN"
# The tasks a process waits on: people's steps, and the `in_force` handle after a report.
WAITING = (HUMAN, "FUNCTION")


def process_start(*, nomination: Nomination) -> NominationProcess:
    """Start the process of a new nomination (inside the transaction that creates it)."""
    process: NominationProcess = NominationFlow.start.run(nomination=nomination)
    return process


def open_tasks(process: Any) -> QuerySet[Task]:
    """The tasks the process waits on (at most one: the step of the nomination's state).

    The members' ballot tasks are not among them: they are instances inside the `vote` step, which
    ends (and cancels those left open) when the session closes.
    """
    return Task.objects.filter(process=process, flow_task_type__in=WAITING, status__in=OPEN_STATUSES).exclude(
        flow_task=ballot_node()
    )


def ballot_tasks(process: Any) -> QuerySet[Task]:
    """The council members' ballot tasks of the process, open or not."""
    return Task.objects.filter(process=process, flow_task=ballot_node())


def ballot_task_finish(*, nomination: Nomination, member_id: int) -> int:
    """Finish the ballot task of `member_id` on `nomination`: their participation was just recorded.

    Called by `workflow.services.council_ballots` inside the transaction that writes the participation row, after
    locking the nomination. It is given no choice, and writes none: the task only turns DONE. A ballot on a
    nomination scheduled before the ballot tasks existed finds no task, and nothing happens (0 returned).

    One UPDATE leaves the row as viewflow's `start` then `execute` would (started, DONE, finished): a member's
    ballot routes nowhere (`MemberBallot`), nothing listens to viewflow's task signals here, and the
    nomination's row lock, which the ballot holds, stands in for the flow lock, as in the hand-off
    (docs/decisions.md, "Ballot task finished in one statement").
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ballot_task_finish must run inside the transaction of the ballot")
    now = timezone.now()
    return Task.objects.filter(
        process__nominationprocess__nomination=nomination,
        flow_task=ballot_node(),
        owner_id=member_id,
        status=STATUS.ASSIGNED,
    ).update(status=STATUS.DONE, started=now, finished=now)


def _finish(task: Task, actor: Any, transition: str) -> None:
    """Finish `task` as done by `actor` (who just ran `transition`), and let the gateway route on."""
    activation = task.flow_task.activation_class(task)
    if task.flow_task_type != HUMAN:  # the `in_force` handle: nobody's task, it just moves on
        task.data = {**(task.data or {}), "transition": transition}
        activation.run(None)
        activation.execute()
        return
    if task.status == STATUS.NEW:
        activation.assign(actor)
    elif actor is not None and task.owner_id != actor.pk:
        # The step was taken by someone else than the person it was assigned to: record who did it.
        task.data = {**(task.data or {}), "assigned_to": task.owner_id}
        task.owner = actor
    task.data = {**(task.data or {}), "transition": transition}
    if task.status == STATUS.ASSIGNED:
        activation.start(None)
    activation.execute()


def process_sync(*, nomination: Nomination, actor: Any = None, transition: str = "") -> Task | None:
    """Bring the process to the step `nomination.state` calls for; return the task now open, if any.

    Runs inside the transaction of the transition, which holds the nomination's row lock: every writer
    of a nomination's tasks takes that lock first (the transitions, the ballots, `task_assign` and
    `task_unassign`), so the hand-off needs no lock of its own. The usual step — a person's task
    finished, the gateway passed, the next step's task opened — is written in four statements
    (`_hand_off`); anything else (no process yet, the end, the `in_force` handle, several open tasks)
    goes through viewflow's own activations under the flow's lock on the process row.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("process_sync must run inside the transaction of the transition")
    expected = step_for_state(nomination.state)
    tasks = list(open_tasks_of(nomination))
    for task in tasks:
        if task.flow_task.name == expected:
            return task
    if len(tasks) == 1:
        opened = _hand_off(tasks[0], nomination, actor, transition)
        if opened is not None:
            return opened
    return _sync_through_activations(nomination, actor, transition)


def open_tasks_of(nomination: Nomination) -> QuerySet[Task]:
    """`open_tasks` of the nomination's process, read without reading the process row first."""
    return Task.objects.filter(
        process__nominationprocess__nomination=nomination,
        flow_task_type__in=WAITING,
        status__in=OPEN_STATUSES,
    ).exclude(flow_task=ballot_node())


class _Routed:
    """What the flow's callables read of an activation (the gateway's conditions, the task's permission
    object): its process's nomination — here the locked one in hand, never read again."""

    def __init__(self, nomination: Nomination) -> None:
        self.process = self
        self.nomination = nomination


def _gateway_after(node: Any) -> flow.Switch | None:
    for edge in node._outgoing():
        if isinstance(edge.dst, flow.Switch):
            return edge.dst
    return None


def _hand_off(task: Task, nomination: Nomination, actor: Any, transition: str) -> Task | None:
    """Finish a person's `task`, pass its gateway and open the next step's task, in bulk statements.

    The rows are those viewflow's activations write for the same step (`ViewActivation.assign`, `start`,
    `complete`; `SwitchActivation`; `ViewActivation.create` / `Activation.create`): the task done by
    the actor, a SWITCH task done, the next task NEW with its permission and object, each linked to the
    one before. Four statements (the finished task's UPDATE, both new tasks in one INSERT, their links in
    one INSERT) instead of viewflow's ~15, which also re-read the process and the nomination. Returns None
    — nothing written — where this path does not apply; the caller then runs the activations.
    """
    now = timezone.now()
    rows = _hand_off_rows(task, nomination, actor, transition, now, with_ballots=True)
    if rows is None:
        return None
    passed, opened, routed = rows
    Task.objects.filter(pk=task.pk).update(
        status=task.status, owner_id=task.owner_id, data=task.data, started=now, finished=now
    )
    node = task.flow_task
    if isinstance(node, CouncilVote):
        # The vote closed: the ballots of members who did not vote end, as CouncilVoteActivation does.
        Task.objects.filter(previous=task, flow_task=node.ballot, status__in=OPEN).update(
            status=STATUS.CANCELED, finished=now
        )
    # bulk_create skips Task.save (which sets flow_task_type, set in `_hand_off_rows`) and gives the ids back.
    Task.objects.bulk_create([passed, opened])
    links = Task.previous.through
    linked = [
        links(from_task_id=passed.pk, to_task_id=task.pk),
        links(from_task_id=opened.pk, to_task_id=passed.pk),
    ]
    target = opened.flow_task
    if isinstance(target, CouncilVote):  # as CouncilVoteActivation.create: each member's ballot task
        ballot: MemberBallot = target.ballot
        ballots = ballot.activation_class.insert_for(ballot, opened, target.session_of(routed))
        linked += ballot.activation_class.links_for(opened, ballots)  # in the same insert as the rest
    links.objects.bulk_create(linked)
    return opened


def _hand_off_rows(
    task: Task,
    nomination: Nomination,
    actor: Any,
    transition: str,
    now: datetime.datetime,
    *,
    with_ballots: bool,
) -> tuple[Task, Task, _Routed] | None:
    """What `_hand_off` writes for one step, not written yet: `task` marked done by the actor (in memory),
    the gateway's task and the next step's task, with the routed nomination. None — `task` untouched —
    where the path does not apply: not a person's open task, no gateway after it, the process's end (it
    keeps viewflow's path), or, without `with_ballots`, a next step that opens members' ballots."""
    node = task.flow_task
    if task.flow_task_type != HUMAN or task.status not in (STATUS.NEW, STATUS.ASSIGNED):
        return None
    gateway = _gateway_after(node)
    if gateway is None:
        return None
    routed = _Routed(nomination)
    target = next((dst for dst, condition in gateway._branches if condition and condition(routed)), None)
    if not isinstance(target, NominationTask | flow.Handle):
        return None
    if isinstance(target, CouncilVote) and not with_ballots:
        return None
    data = dict(task.data or {})
    owner_id = task.owner_id
    if task.status == STATUS.NEW:
        owner_id = actor.pk if actor is not None else None
    elif actor is not None and task.owner_id != actor.pk:
        # The step was taken by someone else than the person it was assigned to: record who did it.
        data["assigned_to"] = task.owner_id
        owner_id = actor.pk
    data["transition"] = transition
    task.status, task.owner_id, task.data, task.started, task.finished = (
        STATUS.DONE,
        owner_id,
        data,
        now,
        now,
    )
    passed = Task(
        process_id=task.process_id,
        flow_task=gateway,
        flow_task_type=gateway.task_type,
        status=STATUS.DONE,
        token=task.token,
        created=now,
        finished=now,
        data={},
    )
    opened = Task(
        process_id=task.process_id,
        flow_task=target,
        flow_task_type=target.task_type,
        status=STATUS.NEW,
        token=task.token,
        created=now,
        data={},
    )
    if isinstance(target, NominationTask):
        opened.owner_permission = target.calc_owner_permission(routed)
        opened.owner_permission_obj = target.calc_owner_permission_obj(routed)
    return passed, opened, routed


def _sync_through_activations(nomination: Nomination, actor: Any, transition: str) -> Task | None:
    """`process_sync` through viewflow's activations, under the flow's lock on the process row."""
    process = NominationProcess.objects.filter(nomination=nomination).first()
    if process is None:
        # A nomination made before its process existed (e.g. imported): enter at its state's step.
        process = NominationFlow.resume.run(nomination=nomination)
        return open_tasks(process).first()
    process.nomination = nomination
    expected = step_for_state(nomination.state)
    try:
        with NominationFlow.lock(process.pk):
            tasks = list(open_tasks(process))
            for task in tasks:
                if task.flow_task.name == expected:
                    return task
            for task in tasks:
                _finish(task, actor, transition)
    except FlowLockFailed as exc:  # the whole transition rolls back: a clear 409, never a 500
        raise Conflict(_("Quy trình của hồ sơ đang được người khác cập nhật; hãy thử lại.")) from exc
    return open_tasks(process).first()


def process_position(process: Any) -> list[str]:
    """The names of the steps the process stands at: its open tasks, or the end it reached."""
    names = [task.flow_task.name for task in open_tasks(process)]
    if names:
        return names
    ended = (
        Task.objects.filter(process=process, flow_task_type="END", status=STATUS.DONE).order_by("-pk").first()
    )
    return [ended.flow_task.name] if ended is not None else []


def expected_position(nomination: Nomination) -> list[str]:
    return [step_for_state(nomination.state)]


def is_closed_step(name: str) -> bool:
    return name == CLOSED_STEP


# --- whose tasks --------------------------------------------------------------------------------------
def tasks_offered_to(user: Any) -> QuerySet[Task]:
    """Open human tasks of nominations on which `user` holds the task's permission — per object.

    Through a group, a live delegation or in person; never by a global permission or superuser status
    (unlike viewflow's own `user_queue`); in one query.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return Task.objects.none()
    # One condition per distinct level (all the permissions held agency-wide, all those held on the same
    # units, …), not one per permission: `holding_any` hands the same condition to the permissions it fits.
    perms = sorted({node.perm for node in task_nodes()})
    by_condition: dict[int, tuple[Q, list[str]]] = {}
    for perm, held in holding_any(user, perms, Nomination, OuterRef("owner_permission_obj_pk")).items():
        by_condition.setdefault(id(held), (held, []))[1].append(f"nominations.{perm}")
    condition = Q()
    for held, owner_permissions in by_condition.values():
        if held is ALWAYS:
            condition |= Q(owner_permission__in=owner_permissions)
        elif held is not NOT_HELD:
            condition |= Q(owner_permission__in=owner_permissions) & held
    # A member's own ballot tasks: assigned to them alone, never offered to anyone else.
    condition |= Q(flow_task=ballot_node(), owner=user)
    return Task.objects.filter(
        condition,
        process__flow_class=NominationFlow,
        flow_task_type=HUMAN,
        status__in=[STATUS.NEW, STATUS.ASSIGNED],
    )


def tasks_inbox(user: Any) -> QuerySet[Task]:
    """Tasks I have taken (assigned to me)."""
    return tasks_offered_to(user).filter(owner=user, status=STATUS.ASSIGNED)


def tasks_queue(user: Any) -> QuerySet[Task]:
    """Tasks nobody has taken yet that I may take."""
    return tasks_offered_to(user).filter(status=STATUS.NEW)


def task_node(task: Task) -> NominationTask | MemberBallot:
    node = task.flow_task
    assert isinstance(node, NominationTask | MemberBallot)
    return node


@contextmanager
def _task_lock(task: Task) -> Iterator[None]:
    """The nomination's row lock (which `process_sync` relies on: a transition's hand-off takes no lock of
    its own), then the flow's lock on the process row, as every change of a nomination's tasks takes."""
    try:
        with transaction.atomic():
            list(Nomination.objects.select_for_update(of=("self",)).filter(workflow_process=task.process_id))
            with NominationFlow.lock(task.process_id):
                yield
    except FlowLockFailed as exc:
        raise Conflict(_("Hồ sơ đang được người khác cập nhật; hãy thử lại.")) from exc


def task_assign(*, task: Task, user: Any) -> None:
    """Take a task from the queue (it moves to my inbox). Refused unless I hold its permission."""
    with _task_lock(task):
        task.refresh_from_db()
        if task.status != STATUS.NEW:
            raise WrongState(_("Việc này đã có người nhận hoặc đã xong."))
        if not task_node(task).can_assign(user, task):
            raise NotPermitted(_("Bạn không được giao việc này."))
        task.flow_task.activation_class(task).assign(user)


def task_unassign(*, task: Task, user: Any) -> None:
    """Put a task I took back in the queue."""
    with _task_lock(task):
        task.refresh_from_db()
        if task.status != STATUS.ASSIGNED:
            raise WrongState(_("Việc này chưa có ai nhận."))
        if not task_node(task).can_unassign(user, task):
            raise NotPermitted(_("Bạn không thể trả lại việc này."))
        task.flow_task.activation_class(task).unassign()


# --- lists: the step each nomination stands at, in the same query -------------------------------------
def with_step(queryset: QuerySet[Nomination]) -> QuerySet[Nomination]:
    """Annotate each nomination with its open step (`step_task`: the node), since when, and who took it."""
    open_task = (
        Task.objects.filter(
            process_id=OuterRef("workflow_process"), flow_task_type__in=WAITING, status__in=OPEN_STATUSES
        )
        .exclude(flow_task=ballot_node())
        .order_by("pk")
    )
    return queryset.annotate(
        step_task=Subquery(open_task.values("flow_task")[:1]),
        step_since=Subquery(open_task.values("created")[:1]),
        step_owner=Subquery(open_task.values("owner__full_name")[:1]),
    )


def overdue_condition(calendar: Calendar) -> Q:
    """Nominations (annotated by `with_step`) whose open step is past its last deadline, in SQL.

    Each node's test of the open step comes with what it implies: the nomination's process has an open
    task of that node started before the cut-off, read as one list of processes from the open tasks.
    Without it PostgreSQL ran the step's sub-queries for every nomination: 90 ms at 100k for the
    dashboard's count, whose answer is usually a handful (bench/NOTES.md)."""
    condition = Q(pk__in=[])
    late_tasks = Q(pk__in=[])
    for node_name, deadlines in calendar.by_node.items():
        node = NominationFlow.instance.node(node_name, no_obsolete=True)
        if node is None:
            continue
        latest = latest_start_overdue(calendar.today, deadlines[-1].working_days, calendar.holidays)
        cutoff = timezone.make_aware(
            datetime.datetime.combine(latest + datetime.timedelta(days=1), datetime.time())
        )
        condition |= Q(step_task=node, step_since__lt=cutoff)
        late_tasks |= Q(flow_task=node, created__lt=cutoff)
    late = Task.objects.filter(late_tasks, flow_task_type__in=WAITING, status__in=OPEN_STATUSES)
    return Q(workflow_process__in=late.values("process_id")) & condition


def step_info(nomination: Any, calendar: Calendar) -> dict[str, Any] | None:
    """Title, owner, received and due date of the annotated open step of `nomination` (no query)."""
    node = getattr(nomination, "step_task", None)
    if node is None:
        return None
    since = nomination.step_since
    due = calendar.final_due(node.name, since) if isinstance(node, NominationTask) else None
    return {
        "title": node.task_title,
        "owner": nomination.step_owner,
        "since": since,
        "due": due.due_on if due else None,
        "overdue": bool(due and due.overdue(calendar.today)),
    }


def process_sync_many(items: list[tuple[Nomination, Any, str]]) -> list[Task | None]:
    """`process_sync` for a batch of (nomination, actor, transition) — the task now open of each, in order.

    The open tasks of all are read in one query; the usual step of each (`_hand_off`: a person's task
    finished, the gateway passed, the next task opened) is written for all together — the finished tasks
    in one UPDATE, the new tasks in one INSERT, their links in one. A step `_hand_off` would not take (no
    process yet, the end, a council vote opening its members' ballots, several open tasks) goes through
    `process_sync` on its own, as it would outside a batch. The same rows as one `process_sync` each.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("process_sync_many must run inside the transaction of the transitions")
    open_of: dict[int, list[Task]] = {}
    for task in (
        Task.objects.filter(
            process__nominationprocess__nomination__in=[nomination.pk for nomination, _a, _t in items],
            flow_task_type__in=WAITING,
            status__in=OPEN_STATUSES,
        )
        .exclude(flow_task=ballot_node())
        .annotate(nomination_pk=F("process__nominationprocess__nomination"))
    ):
        open_of.setdefault(task.nomination_pk, []).append(task)
    result: list[Task | None] = []
    finished: list[Task] = []
    created: list[Task] = []
    cancel_ballots: dict[Any, list[int]] = {}
    now = timezone.now()
    started = _start_many([nomination for nomination, _a, _t in items if nomination.pk not in open_of], now)
    for nomination, actor, transition in items:
        if nomination.pk in started:
            result.append(started[nomination.pk])
            continue
        tasks = open_of.get(nomination.pk, [])
        expected = step_for_state(nomination.state)
        already = next((task for task in tasks if task.flow_task.name == expected), None)
        if already is not None:
            result.append(already)
            continue
        step = _hand_off_step(tasks[0], nomination, actor, transition, now) if len(tasks) == 1 else None
        if step is None:
            result.append(process_sync(nomination=nomination, actor=actor, transition=transition))
            continue
        done, passed, opened = step
        finished.append(done)
        created += [passed, opened]
        if isinstance(done.flow_task, CouncilVote):
            cancel_ballots.setdefault(done.flow_task.ballot, []).append(done.pk)
        result.append(opened)
    if finished:
        Task.objects.bulk_update(finished, ["status", "owner", "data", "started", "finished"])
        for ballot, previous in cancel_ballots.items():
            # The votes closed: the ballots of members who did not vote end, as CouncilVoteActivation does.
            Task.objects.filter(previous__in=previous, flow_task=ballot, status__in=OPEN).update(
                status=STATUS.CANCELED, finished=now
            )
        Task.objects.bulk_create(created)
        links = Task.previous.through
        rows = []
        for done, passed, opened in zip(finished, created[::2], created[1::2], strict=True):
            rows += [
                links(from_task_id=passed.pk, to_task_id=done.pk),
                links(from_task_id=opened.pk, to_task_id=passed.pk),
            ]
        links.objects.bulk_create(rows)
    return result


def _hand_off_step(
    task: Task, nomination: Nomination, actor: Any, transition: str, now: datetime.datetime
) -> tuple[Task, Task, Task] | None:
    """What `_hand_off` writes for one step of a batch, not written yet: the task finished, the gateway's
    task, the next task. None where `_hand_off` would not apply, or where the next step opens members'
    ballots (the batch leaves those to the single path)."""
    rows = _hand_off_rows(task, nomination, actor, transition, now, with_ballots=False)
    if rows is None:
        return None
    passed, opened, _routed = rows
    return task, passed, opened


def _start_many(nominations: list[Nomination], now: datetime.datetime) -> dict[int, Task]:
    """Enter the processes of the `nominations` that have none yet (made in bulk, e.g. imported), each at its
    state's step; the task now open of each started, by nomination. The rows are those `NominationFlow.resume`
    writes for one (`StartHandleActivation.execute`, `SwitchActivation`, `Activation.create`): the process
    and its `NominationProcess` row, the `resume` task done, the `resume_route` gateway's task done, the
    step's task NEW with its permission and object, each linked to the one before — in seven statements for
    the batch instead of ~18 per nomination. One that has a process (ended, or waiting elsewhere), or whose
    step is not a plain person's task (the end, `in_force`, a vote opening ballots), is left out: the caller
    gives it to `process_sync`, which enters it through `resume` as outside a batch."""
    if not nominations:
        return {}
    have = set(
        NominationProcess.objects.filter(nomination__in=[n.pk for n in nominations]).values_list(
            "nomination_id", flat=True
        )
    )
    start, route = NominationFlow.resume, NominationFlow.resume_route
    planned: list[tuple[Nomination, Any]] = []
    for nomination in nominations:
        if nomination.pk in have:
            continue
        routed = _Routed(nomination)
        target = next((dst for dst, condition in route._branches if condition and condition(routed)), None)
        if isinstance(target, NominationTask) and not isinstance(target, CouncilVote):
            planned.append((nomination, target))
    if not planned:
        return {}
    # `Process` is viewflow's concrete parent: its rows bulk-insert (with their ids back); Django's
    # bulk_create refuses the multi-table child, whose rows (a pointer and the nomination) go in one INSERT.
    processes = Process.objects.bulk_create(
        [Process(flow_class=NominationFlow, status=PROCESS.NEW, created=now, data={}) for _ in planned]
    )
    _insert_nomination_processes([(p.pk, n.pk) for p, (n, _target) in zip(processes, planned, strict=True)])
    tasks: list[Task] = []
    for process, (nomination, target) in zip(processes, planned, strict=True):
        routed = _Routed(nomination)
        opened = Task(
            process_id=process.pk,
            flow_task=target,
            flow_task_type=target.task_type,
            status=STATUS.NEW,
            created=now,
            data={},
        )
        opened.owner_permission = target.calc_owner_permission(routed)
        opened.owner_permission_obj = target.calc_owner_permission_obj(routed)
        tasks += [
            Task(
                process_id=process.pk,
                flow_task=start,
                flow_task_type=start.task_type,
                status=STATUS.DONE,
                created=now,
                started=now,
                finished=now,
                data={},
            ),
            Task(
                process_id=process.pk,
                flow_task=route,
                flow_task_type=route.task_type,
                status=STATUS.DONE,
                created=now,
                finished=now,
                data={},
            ),
            opened,
        ]
    # The starts, the gateways' and the steps' tasks, one INSERT per kind: each under SQLite's 999 parameters.
    for kind in range(3):
        Task.objects.bulk_create(tasks[kind::3])
    links = Task.previous.through
    rows = []
    for begun, passed, opened in zip(tasks[::3], tasks[1::3], tasks[2::3], strict=True):
        rows += [
            links(from_task_id=passed.pk, to_task_id=begun.pk),
            links(from_task_id=opened.pk, to_task_id=passed.pk),
        ]
    links.objects.bulk_create(rows)
    return {nomination.pk: opened for (nomination, _target), opened in zip(planned, tasks[2::3], strict=True)}


def _insert_nomination_processes(rows: list[tuple[int, int]]) -> None:
    """INSERT the `NominationProcess` rows (process pointer, nomination) of processes just created."""
    meta = NominationProcess._meta
    pointer, nomination = meta.get_field("process_ptr").column, meta.get_field("nomination").column
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for at in range(0, len(rows), 400):
            chunk = rows[at : at + 400]
            cursor.execute(
                f"INSERT INTO {quote(meta.db_table)} ({quote(pointer)}, {quote(nomination)}) VALUES "
                + ", ".join(["(%s, %s)"] * len(chunk)),
                [value for row in chunk for value in row],
            )
