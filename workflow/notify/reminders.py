"""Reminders for steps past their deadline (working days), each sent once per task and deadline."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow import STATUS
from viewflow.workflow.models import Task

from nominations.access import people_holding
from nominations.models import State
from nominations.rules.workdays import add_working_days
from workflow.base.language import site_language
from workflow.models import Reminder
from workflow.notify import notifications
from workflow.notify.workdays import Calendar, latest_start_overdue, local_date
from workflow.process.flows import NominationFlow
from workflow.process.nodes import NominationTask
from workflow.process.routing import nomination_url
from workflow.process.sync import HUMAN


@dataclass
class ReminderRun:
    reminders: int = 0
    notifications: int = 0


def _recipients(task: Task, node: NominationTask, nomination: Any) -> list[Any]:
    if task.owner_id is not None and task.owner is not None and task.owner.is_active:
        return [task.owner]
    return list(people_holding(node.perm, nomination))


def _message(
    task: Task, node: NominationTask, nomination: Any, label: str, due_on: datetime.date
) -> tuple[str, str]:
    subject = _("[Thi đua] Quá hạn: %(task)s — %(nominee)s") % {
        "task": node.task_title,
        "nominee": nomination.nominee,
    }
    body = "\n".join(
        [
            _("Việc “%(task)s” của hồ sơ đề nghị %(award)s cho %(nominee)s (%(unit)s) đã quá hạn.")
            % {
                "task": node.task_title,
                "award": nomination.award.name,
                "nominee": nomination.nominee,
                "unit": nomination.nominating_unit.name,
            },
            _("%(label)s: hạn %(due)s (tính theo ngày làm việc từ %(since)s).")
            % {
                "label": label,
                "due": f"{due_on:%d/%m/%Y}",
                "since": f"{timezone.localtime(task.created):%d/%m/%Y}",
            },
            _("Trạng thái hồ sơ: %(state)s.") % {"state": State(nomination.state).label},
            _("Xử lý: %(url)s") % {"url": nomination_url(nomination)},
        ]
    )
    return subject, body


def send_reminders(*, today: datetime.date | None = None) -> ReminderRun:
    """Queue one reminder per open step and passed deadline not yet reminded. Safe to run concurrently:
    the `Reminder` row is unique per task and deadline, and is written with the mail in one transaction."""
    calendar = Calendar(today)
    run = ReminderRun()
    for node_name, deadlines in calendar.by_node.items():
        node = NominationFlow.instance.node(node_name, no_obsolete=True)
        if not isinstance(node, NominationTask):
            continue
        for deadline in deadlines:
            latest = latest_start_overdue(calendar.today, deadline.working_days, calendar.holidays)
            cutoff = timezone.make_aware(
                datetime.datetime.combine(latest + datetime.timedelta(days=1), datetime.time())
            )
            tasks = (
                Task.objects.filter(
                    flow_task=node,
                    flow_task_type=HUMAN,
                    status__in=[STATUS.NEW, STATUS.ASSIGNED],
                    created__lt=cutoff,
                )
                .exclude(pk__in=Reminder.objects.filter(deadline=deadline).values("task_id"))
                .select_related(
                    "owner",
                    "process__nominationprocess__nomination__award",
                    "process__nominationprocess__nomination__nominating_unit",
                    "process__nominationprocess__nomination__nominee_person",
                    "process__nominationprocess__nomination__nominee_unit",
                )
                .order_by("pk")
            )
            for task in tasks:
                due_on = add_working_days(local_date(task.created), deadline.working_days, calendar.holidays)
                nomination = task.process.nominationprocess.nomination
                try:
                    with transaction.atomic():
                        Reminder.objects.create(task=task, deadline=deadline, due_on=due_on)
                        with site_language():
                            subject, body = _message(task, node, nomination, deadline.label, due_on)
                        rows = notifications.queue(
                            recipients=_recipients(task, node, nomination), subject=subject, body=body
                        )
                except IntegrityError:
                    continue  # another run reminded it a moment ago
                run.reminders += 1
                run.notifications += len(rows)
    return run
