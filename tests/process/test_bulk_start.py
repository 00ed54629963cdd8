"""A batch enters the processes of imported drafts in bulk (`process_sync_many`): the same rows as viewflow's
`resume`, and a process viewflow then treats like any other — its inbox, its next step, its pages, cancel."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from viewflow.workflow import STATUS
from viewflow.workflow.models import Process, Task

from bench import batch as bench_batch
from nominations.models import Nomination, Person, State
from workflow.models import NominationProcess
from workflow.process import sync
from workflow.services import transitions as t
from workflow.services.submissions import submission_submit

pytestmark = pytest.mark.django_db

# What differs between two processes however they were started: their ids, times and the nomination.
PER_ROW = {"id", "process_id", "created", "started", "finished", "owner_permission_obj_pk"}


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def _rows(nomination: Nomination) -> dict[str, Any]:
    """The rows of the nomination's process, without what is its own (ids, times, its nomination's pk)."""
    process = NominationProcess.objects.get(nomination=nomination)
    tasks = list(Task.objects.filter(process=process).order_by("pk"))
    position = {task.pk: i for i, task in enumerate(tasks)}

    def value(task: Task, attname: str) -> str:
        return task.flow_task.name if attname == "flow_task" else str(getattr(task, attname))

    parent = Process.objects.get(pk=process.pk)
    return {
        "process": {
            f.attname: getattr(parent, f.attname)
            for f in Process._meta.concrete_fields
            if f.attname not in {"id", "created"}
        },
        "tasks": [
            {
                f.attname: value(task, f.attname)
                for f in Task._meta.concrete_fields
                if f.attname not in PER_ROW
            }
            for task in tasks
        ],
        "links": sorted(
            (position[link.from_task_id], position[link.to_task_id])
            for link in Task.previous.through.objects.filter(from_task__process=process)
        ),
        "object": [task.owner_permission_obj_pk for task in tasks if task.owner_permission_obj_pk],
    }


def _resumed_one_by_one() -> Nomination:
    """An imported draft submitted on its own: viewflow's `resume` enters its process (`process_sync`)."""
    _submission, ids, head = bench_batch.world(1, "bulk-start-one")
    return t.nomination_submit(nomination=Nomination.objects.get(pk=ids[0]), actor=head)


def _submitted_in_bulk(n: int) -> list[Nomination]:
    submission, ids, head = bench_batch.world(n, "bulk-start-many")
    assert not NominationProcess.objects.filter(nomination__in=ids).exists()  # imported: no process yet
    submission_submit(submission=submission, actor=head)
    return list(Nomination.objects.filter(pk__in=ids).order_by("pk"))


def test_a_bulk_started_process_has_the_rows_resume_writes(demo: None) -> None:
    reference = _rows(_resumed_one_by_one())
    assert [task["flow_task"] for task in reference["tasks"]] == [
        "resume",
        "resume_route",
        "appraise",
    ]
    for nomination in _submitted_in_bulk(3):
        rows = _rows(nomination)
        assert rows["object"] == [str(nomination.pk)]
        assert {**rows, "object": None} == {**reference, "object": None}


def test_viewflow_takes_a_bulk_started_process_on_like_any_other(demo: None, client: Client) -> None:
    first, second, third = _submitted_in_bulk(3)
    office = Person.objects.get(username="office1")
    # Its inbox: the office is offered each appraisal.
    offered = set(sync.tasks_queue(office).values_list("process__nominationprocess__nomination", flat=True))
    assert {first.pk, second.pk, third.pk} <= offered
    # Its next step: taken, then run through viewflow's activations.
    task = sync.open_tasks_of(first).get()
    sync.task_assign(task=task, user=office)
    assert Task.objects.get(pk=task.pk).status == STATUS.ASSIGNED
    evaluated = t.nomination_evaluate(nomination=first, actor=office, score=95, assessment="Đạt")
    assert evaluated.state == State.EVALUATED
    process = NominationProcess.objects.get(nomination=first)
    assert sync.process_position(process) == ["schedule"] and process.status == STATUS.NEW
    assert Task.objects.get(pk=task.pk).status == STATUS.DONE
    # Its pages: the nomination's timeline and viewflow's chart of where its process stands.
    client.force_login(office)
    page = client.get(reverse("nomination_detail", args=[second.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and 'id="appraise"' in html and "Phòng TC-HC kiểm tra, thẩm định" in html
    # Cancel: viewflow's own activation cancels its open task, as it would any process's.
    task = sync.open_tasks_of(third).get()
    activation = task.flow_task.activation_class(task)
    assert activation.cancel.can_proceed()
    with transaction.atomic():
        activation.cancel()
    assert Task.objects.get(pk=task.pk).status == STATUS.CANCELED
    assert not sync.open_tasks_of(third).exists()
