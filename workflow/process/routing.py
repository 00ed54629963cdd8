"""What happens after a transition: the process moves on, and the people concerned are told.

Called inside the transition's transaction (from `workflow.services.transitions.run_transition`), so
the process position, the audit event and the outbox rows commit together with the new state.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task

from nominations.access import Perm, people_holding, people_holding_each
from nominations.models import Nomination, State
from workflow.base.language import site_language
from workflow.models import AuditEvent
from workflow.notify import notifications
from workflow.process.nodes import NominationTask
from workflow.process.sync import process_start, process_sync, process_sync_many
from workflow.services import follow_up
from workflow.services.common import site_url

# Outcomes the nominating unit's head is told about, even when no task of theirs follows.
UNIT_IS_TOLD: frozenset[str] = frozenset(
    {
        State.RETURNED,
        State.INELIGIBLE,
        State.ON_HOLD,
        State.COUNCIL_FAILED,
        State.APPROVED,
        State.DECLINED,
        State.FORWARDED,
        State.GRANTED,
        State.NOT_GRANTED,
        State.REVOKED,
    }
)


def nomination_url(nomination: Nomination) -> str:
    return site_url("nomination_detail", nomination.pk)


def _subject(nomination: Nomination, what: Any) -> str:
    return _("[Thi đua] %(what)s: %(nominee)s — %(award)s") % {
        "what": what,
        "nominee": nomination.nominee,
        "award": nomination.award.name,
    }


def _task_notice(nomination: Nomination, task: Task, event: AuditEvent | None) -> tuple[str, str]:
    node: NominationTask = task.flow_task
    subject = _subject(nomination, _("Việc mới — %(task)s") % {"task": node.task_title})
    lines = [
        _("Hồ sơ đề nghị %(award)s cho %(nominee)s (%(unit)s, %(campaign)s) đang chờ bạn: %(task)s.")
        % {
            "award": nomination.award.name,
            "nominee": nomination.nominee,
            "unit": nomination.nominating_unit.name,
            "campaign": nomination.campaign.name,
            "task": node.task_title,
        },
        _("Trạng thái: %(state)s.") % {"state": State(nomination.state).label},
    ]
    if event is not None:
        lines.append(_("Người chuyển: %(actor)s.") % {"actor": event.actor_name})
        if event.comment:
            lines.append(_("Ý kiến: %(comment)s") % {"comment": event.comment})
    lines.append(_("Xem và xử lý: %(url)s") % {"url": nomination_url(nomination)})
    return subject, "\n".join(lines)


def _outcome_notice(nomination: Nomination, event: AuditEvent) -> tuple[str, str]:
    state_label = State(nomination.state).label
    subject = _subject(nomination, state_label)
    lines = [
        _("Hồ sơ đề nghị %(award)s cho %(nominee)s (%(campaign)s) đã chuyển sang trạng thái “%(state)s”.")
        % {
            "award": nomination.award.name,
            "nominee": nomination.nominee,
            "campaign": nomination.campaign.name,
            "state": state_label,
        },
        _("Người thực hiện: %(actor)s.") % {"actor": event.actor_name},
    ]
    if nomination.state == State.APPROVED:
        lines.append(
            _("Quyết định số %(number)s ngày %(date)s.")
            % {"number": nomination.decision_number, "date": f"{nomination.decision_date:%d/%m/%Y}"}
        )
    if nomination.state == State.FORWARDED:
        lines.append(_("Tờ trình cấp trên số %(number)s.") % {"number": nomination.submission_number})
    if event.comment:
        label = _("Lý do") if nomination.state == State.RETURNED else _("Ý kiến")
        lines.append(f"{label}: {event.comment}")
    lines.append(_("Xem hồ sơ: %(url)s") % {"url": nomination_url(nomination)})
    return subject, "\n".join(lines)


def _task_notice_to(
    nomination: Nomination, task: Task | None, event: AuditEvent | None, actor: Any
) -> tuple[QuerySet[Any], str, str] | None:
    """The notice of a new task: to everyone holding its permission but the one who acted."""
    if task is None or not isinstance(task.flow_task, NominationTask):
        return None
    people = people_holding(task.flow_task.perm, nomination)
    if actor is not None:
        people = people.exclude(pk=actor.pk)
    with site_language():
        subject, body = _task_notice(nomination, task, event)
    return people, subject, body


def after_create(nomination: Nomination, actor: Any) -> None:
    """A new nomination: its process starts at the unit's preparation step."""
    process_start(nomination=nomination)


def after_transition(nomination: Nomination, event: AuditEvent) -> None:
    follow_up.after_transition(nomination, event)
    task = process_sync(nomination=nomination, actor=event.actor, transition=event.transition)
    notices = []
    task_notice = _task_notice_to(nomination, task, event, event.actor)
    if task_notice is not None:
        notices.append(task_notice)
    if nomination.state in UNIT_IS_TOLD:
        heads = people_holding(Perm.SUBMIT, nomination)
        if event.actor_id is not None:
            heads = heads.exclude(pk=event.actor_id)
        if task_notice is not None:  # who is told of the new task is not told of the outcome as well
            heads = heads.exclude(pk__in=task_notice[0].values("pk"))
        with site_language():
            subject, body = _outcome_notice(nomination, event)
        notices.append((heads, subject, body))
    # The holders are selected by the insert itself: one statement for every notice, however many
    # (or no) people they reach.
    notifications.queue_to(notices=notices, event=event)


def after_transitions(done: list[tuple[Nomination, AuditEvent]]) -> None:
    """`after_transition` for a batch whose follow-up records are written (`follow_up.after_transition`,
    run per nomination by the batch): the processes moved on together (`process_sync_many`), and the same
    people told as one by one — their grants read once per permission, the mail queued in one INSERT."""
    tasks = process_sync_many([(nomination, event.actor, event.transition) for nomination, event in done])
    by_perm: dict[str, list[Nomination]] = {}
    for (nomination, _event), task in zip(done, tasks, strict=True):
        if task is not None and isinstance(task.flow_task, NominationTask):
            by_perm.setdefault(task.flow_task.perm, []).append(nomination)
    holders = {perm: people_holding_each(perm, nominations) for perm, nominations in by_perm.items()}
    told_heads = [nomination for nomination, _event in done if nomination.state in UNIT_IS_TOLD]
    heads_of = people_holding_each(Perm.SUBMIT, told_heads) if told_heads else {}
    messages: list[tuple[list[Any], str, str, AuditEvent | None]] = []
    with site_language():
        for (nomination, event), task in zip(done, tasks, strict=True):
            actor = event.actor
            told: set[int] = set()
            if task is not None and isinstance(task.flow_task, NominationTask):
                people = [
                    p
                    for p in holders[task.flow_task.perm].get(str(nomination.pk), [])
                    if actor is None or p.pk != actor.pk
                ]
                if people:
                    messages.append((people, *_task_notice(nomination, task, event), event))
                told = {p.pk for p in people}
            if nomination.state in UNIT_IS_TOLD:
                heads = [
                    p
                    for p in heads_of.get(str(nomination.pk), [])
                    if p.pk not in told and (event.actor is None or p.pk != event.actor_id)
                ]
                if heads:
                    messages.append((heads, *_outcome_notice(nomination, event), event))
    if messages:
        notifications.queue_many(messages)
