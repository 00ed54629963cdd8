"""My tasks: the ones I took (inbox) and the ones waiting for someone holding my rights (queue)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from viewflow.workflow.models import Task

from workflow.base.errors import TransitionRefused
from workflow.notify.workdays import Calendar
from workflow.process import sync as process_api
from workflow.process.nodes import MemberBallot

TASK_RELATED = (
    "owner",
    "process__nominationprocess__nomination__award",
    "process__nominationprocess__nomination__campaign",
    "process__nominationprocess__nomination__nominating_unit",
    "process__nominationprocess__nomination__nominee_person",
    "process__nominationprocess__nomination__nominee_unit",
    "process__nominationprocess__nomination__council_session",
)
LIMIT = 200  # the tasks a person has taken: a handful, shown whole up to this
QUEUE_PAGE = 50  # the queue, which holds every open task of the office's role at once, a page at a time


def _rows(tasks: Any, calendar: Calendar) -> list[dict[str, Any]]:
    rows = []
    for task in tasks:
        node = task.flow_task
        nomination = task.process.nominationprocess.nomination
        due = calendar.final_due(node.name, task.created)
        row = {
            "task": task,
            "title": node.task_title,
            "n": nomination,
            "due": due.due_on if due else None,
            "overdue": bool(due and due.overdue(calendar.today)),
        }
        if isinstance(node, MemberBallot) and nomination.council_session is not None:
            # A member's ballot is cast on the session's page, at this agenda item.
            row["session"] = nomination.council_session
            row["url"] = (
                reverse("council:detail", args=[nomination.council_session_id]) + f"#item-{nomination.pk}"
            )
        rows.append(row)
    return rows


@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    calendar = Calendar()
    inbox = process_api.tasks_inbox(request.user).select_related(*TASK_RELATED).order_by("created", "pk")
    queue = process_api.tasks_queue(request.user).select_related(*TASK_RELATED).order_by("created", "pk")
    # Paged: rendering the first 200 of a thousand waiting tasks cost 70-200 ms at 100k nominations
    # (bench/NOTES.md), and the heading showed 200 however many waited.
    page = Paginator(queue, QUEUE_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "workflow/my_tasks.html",
        {
            "inbox": _rows(inbox[:LIMIT], calendar),
            "queue": _rows(page.object_list, calendar),
            "page": page,
            "query": "",
        },
    )


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("my_tasks")


def _offered_task(request: HttpRequest, pk: int) -> Task:
    # Only a task offered to me can be taken or handed back: any other is a 404.
    return get_object_or_404(process_api.tasks_offered_to(request.user), pk=pk)


@login_required
@require_POST
def task_assign(request: HttpRequest, pk: int) -> HttpResponse:
    task = _offered_task(request, pk)
    try:
        process_api.task_assign(task=task, user=request.user)
    except TransitionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Đã nhận việc: %(task)s.") % {"task": task.flow_task.task_title})
    return _back(request)


@login_required
@require_POST
def task_unassign(request: HttpRequest, pk: int) -> HttpResponse:
    task = _offered_task(request, pk)
    try:
        process_api.task_unassign(task=task, user=request.user)
    except TransitionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Đã trả việc về hàng chờ."))
    return _back(request)
