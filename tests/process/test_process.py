"""The viewflow process follows Nomination.state: after every step, the open task is the state's step."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from viewflow.workflow import STATUS
from viewflow.workflow.models import Task

from nominations.models import Nomination, State
from tests.builders import core as builders
from workflow.base.errors import TransitionRefused
from workflow.models import NominationProcess
from workflow.process import sync as process_api
from workflow.process.flows import STEP_FOR_STATE, NominationChartFlow, NominationFlow, step_for_state
from workflow.process.transitions import registry
from workflow.services import transitions as t
from workflow.services.decisions import nomination_approve

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def assert_in_step(nomination: Nomination) -> None:
    nomination.refresh_from_db()
    process = NominationProcess.objects.get(nomination=nomination)
    assert process_api.process_position(process) == process_api.expected_position(nomination), (
        nomination.state
    )
    open_count = process_api.open_tasks(process).count()
    if step_for_state(nomination.state) == "closed":
        assert open_count == 0
        assert process.status == STATUS.DONE
    else:
        assert open_count == 1
        assert process.status == STATUS.NEW


def test_every_state_has_exactly_one_step_and_every_step_a_node() -> None:
    names = {node.name for node in NominationFlow.instance.nodes()}
    for state in State.values:
        assert step_for_state(state) in names
    assert set(STEP_FOR_STATE) <= set(State.values)


def test_the_process_follows_an_ldtt_nomination_through_a_return_and_the_whole_path(demo: None) -> None:
    head, office, director = (
        builders.person("head-tkth"),
        builders.person("office1"),
        builders.person("director"),
    )
    nomination = builders.draft(award="LDTT", nominee="staff-tkth-2")
    assert_in_step(nomination)
    for step in [
        lambda n: t.nomination_submit(nomination=n, actor=head),
        lambda n: t.nomination_return(nomination=n, actor=office, comment="Thiếu biên bản bình xét"),
        lambda n: t.nomination_resubmit(nomination=n, actor=head),
        lambda n: t.nomination_hold(nomination=n, actor=office, comment="Có đơn khiếu nại"),
        lambda n: t.nomination_release(nomination=n, actor=office),
        lambda n: t.nomination_evaluate(nomination=n, actor=office, score=90, assessment="Đạt"),
        lambda n: t.nomination_schedule(nomination=n, actor=office, session=builders.session()),
        lambda n: t.nomination_close_vote(nomination=n, actor=builders.person("secretary"), passed=True),
        lambda n: nomination_approve(
            nomination=n, actor=director, decision_number="1/QĐ", decision_date=datetime.date(2024, 1, 5)
        ),
        lambda n: t.nomination_report(nomination=n, actor=office),
        lambda n: t.nomination_revoke(nomination=n, actor=director, comment="Hủy theo kết luận thanh tra"),
    ]:
        nomination = step(nomination)
        assert_in_step(nomination)
    assert nomination.state == State.REVOKED


def test_finished_tasks_record_who_acted_and_by_which_transition(demo: None) -> None:
    head, office = builders.person("head-tkth"), builders.person("office1")
    nomination = builders.draft(award="LDTT", nominee="staff-tkth-2")
    nomination = t.nomination_submit(nomination=nomination, actor=head)
    nomination = t.nomination_return(nomination=nomination, actor=office, comment="Bổ sung")
    done = Task.objects.filter(
        process__nominationprocess__nomination=nomination, flow_task_type="HUMAN", status=STATUS.DONE
    ).order_by("pk")
    assert [(task.flow_task.name, task.owner.username, task.data["transition"]) for task in done] == [
        ("prepare", "head-tkth", "submit"),
        ("appraise", "office1", "return"),
    ]


def test_a_refused_transition_leaves_the_process_where_it_was(demo: None) -> None:
    nomination = builders.draft(award="LDTT", nominee="staff-tkth-2", files=False)
    with pytest.raises(t.RuleNotMet):
        t.nomination_submit(nomination=nomination, actor=builders.person("head-tkth"))
    assert_in_step(nomination)
    assert nomination.state == State.DRAFT


@pytest.mark.parametrize("target", [State.WITHDRAWN, State.INELIGIBLE, State.DECLINED])
def test_a_nomination_that_stops_closes_its_process(demo: None, target: str) -> None:
    head, office, director = (
        builders.person("head-tkth"),
        builders.person("office1"),
        builders.person("director"),
    )
    nomination = builders.draft(award="LDTT", nominee="staff-tkth-2")
    if target == State.WITHDRAWN:
        nomination = t.nomination_withdraw(nomination=nomination, actor=head)
    elif target == State.INELIGIBLE:
        nomination = t.nomination_submit(nomination=nomination, actor=head)
        nomination = t.nomination_mark_ineligible(nomination=nomination, actor=office, comment="Không đạt")
    else:
        nomination = builders.to_state(nomination, State.PROPOSED)
        nomination = t.nomination_decline(nomination=nomination, actor=director, comment="Chưa tiêu biểu")
    assert nomination.state == target
    assert_in_step(nomination)
    assert process_api.process_position(nomination.workflow_process) == ["closed"]


def test_a_nomination_without_a_process_enters_the_flow_at_its_state(demo: None) -> None:
    nomination = builders.to_state(builders.draft(award="LDTT", nominee="staff-tkth-2"), State.EVALUATED)
    process = nomination.workflow_process
    Task.objects.filter(process=process).delete()
    NominationProcess.objects.filter(pk=process.pk).delete()
    nomination = Nomination.objects.get(pk=nomination.pk)
    nomination = t.nomination_schedule(
        nomination=nomination, actor=builders.person("secretary"), session=builders.session()
    )
    assert_in_step(nomination)


def test_each_gateway_has_a_branch_for_every_state_one_transition_reaches() -> None:
    for node in NominationFlow.instance.nodes():
        if not node.name.startswith("after_"):
            continue
        step = node.name.removeprefix("after_")
        targets = {
            step_for_state(target)
            for spec in registry().values()
            if spec.sources & {s for s, name in STEP_FOR_STATE.items() if name == step}
            for target in spec.targets
        } - {step}
        assert {edge.dst.name for edge in node._outgoing()} == targets


def test_the_chart_flow_is_the_flow_without_its_resume_entry() -> None:
    drawn = {node.name for node in NominationChartFlow.instance.nodes()}
    assert {node.name for node in NominationFlow.instance.nodes()} - drawn == {"resume", "resume_route"}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_people_acting_at_once_one_wins_and_the_process_agrees(demo: None) -> None:
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    nomination = t.nomination_submit(
        nomination=builders.draft(award="LDTT", nominee="staff-tkth-2"), actor=builders.person("head-tkth")
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def act(name: str) -> None:
        try:
            barrier.wait()
            if name == "return":
                t.nomination_return(nomination=nomination, actor=builders.person("office1"), comment="Thiếu")
            else:
                t.nomination_evaluate(
                    nomination=nomination, actor=builders.person("office2"), score=90, assessment="Đạt"
                )
            outcomes.append(f"{name}:ok")
        except TransitionRefused as refusal:
            outcomes.append(f"{name}:{refusal.status}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(name,)) for name in ("return", "evaluate")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(o.split(":")[1] for o in outcomes) == ["409", "ok"], outcomes
    assert_in_step(nomination)
