"""The viewflow process of a nomination: which person's task is open at each step.

`Nomination.state` (django-fsm) is the only status. The flow keeps none of its own: after every
transition, `workflow.process.sync.process_sync` (called from `workflow.process.routing.after_transition`, inside
the transition's transaction) finishes the open task and the gateway after it reads the new state to
open the next one. The steps, and the per-object permission each is offered by:

    prepare        draft               the unit head (submit_nomination): complete and submit
    revise         returned            the unit head (submit_nomination): answer the office's return
    appraise       submitted           the office (review_nomination): check, return or evaluate
    schedule       evaluated           the office or secretary (schedule_nomination): put before the council
    vote           in_vote             the council secretary (close_vote_nomination): the council votes;
                                       each member of the session has their own `ballot` task meanwhile
    decide         proposed            the Director (decide_nomination): approve, decline or forward
    on_hold        on_hold             the office (review_nomination): release when the case is closed
    await_outcome  forwarded           the office (review_nomination): record the upper authority's result
    report         approved, granted   the office (review_nomination): report to the bloc / Sở Nội vụ
    in_force       reported            nobody: the award stands (it can still be revoked)
    closed         any final state     (end)

The gateway after each step is derived from the state machine: its branches are the steps of every
state one transition can lead to, so the chart shows exactly the paths the FSM allows and no state
change can leave the process without a branch to follow.

The council's ballots (issue 5): opening `vote` also opens one `ballot` task per member of the
nomination's session, assigned to that member (`workflow.process.nodes.CouncilVote`, a multi-instance task that
viewflow's open-source edition lacks). A member's task is finished by the ballot service that records
their participation (`workflow.process.sync.ballot_task_finish`) — never with their choice; when the session
closes, `close_vote` moves the state on, `vote` finishes like any step and cancels the ballots left open.
The ballots are not steps of their own: the process's position in `in_vote` is still `vote`.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from nominations.access import Perm
from nominations.models import FINAL_STATES, State
from workflow.models import NominationProcess
from workflow.process.nodes import CouncilVote, MemberBallot, NominationTask
from workflow.process.transitions import registry

# Which step is open in which state. Every state not named here is final and closes the process.
STEPS: dict[str, tuple[str, ...]] = {
    "prepare": (State.DRAFT,),
    "revise": (State.RETURNED,),
    "appraise": (State.SUBMITTED,),
    "schedule": (State.EVALUATED,),
    "vote": (State.IN_VOTE,),
    "decide": (State.PROPOSED,),
    "on_hold": (State.ON_HOLD,),
    "await_outcome": (State.FORWARDED,),
    "report": (State.APPROVED, State.GRANTED),
    "in_force": (State.REPORTED,),
}
STEP_FOR_STATE: dict[str, str] = {str(s): step for step, states in STEPS.items() for s in states}
CLOSED_STEP = "closed"
assert set(STEP_FOR_STATE) | {str(s) for s in FINAL_STATES} == set(State.values)


def step_for_state(state: str) -> str:
    return STEP_FOR_STATE.get(str(state), CLOSED_STEP)


def _state_in(states: tuple[str, ...]) -> Callable[[Any], bool]:
    wanted = frozenset(str(s) for s in states)

    def condition(activation: Any) -> bool:
        return activation.process.nomination.state in wanted

    return condition


def _states_of(step: str) -> tuple[str, ...]:
    return tuple(str(s) for s in FINAL_STATES) if step == CLOSED_STEP else STEPS[step]


def _next_steps(step: str) -> list[str]:
    """The steps one transition can lead to from `step`'s states, in the order of `STEPS`."""
    sources = set(STEPS[step])
    targets = {
        step_for_state(target)
        for spec in registry().values()
        if spec.sources & sources
        for target in spec.targets
    }
    return [name for name in [*STEPS, CLOSED_STEP] if name in targets and name != step]


def _after(step: str) -> flow.Switch:
    """The gateway after `step`: routes to the step of the nomination's new state."""
    switch = flow.Switch().Annotation(title=_("Theo trạng thái mới"))
    for name in _next_steps(step):
        switch.Case(getattr(this, name), _state_in(_states_of(name)))
    return switch


def _resume() -> flow.Switch:
    """For a nomination that has no process yet (made before it existed): start at its state's step."""
    switch = flow.Switch().Annotation(title=_("Tiếp tục theo trạng thái"))
    for name in [*STEPS, CLOSED_STEP]:
        switch.Case(getattr(this, name), _state_in(_states_of(name)))
    return switch


def _task(step: str, perm: str, actions: tuple[str, ...], title: Any) -> NominationTask:
    return NominationTask(perm, actions=actions).Annotation(title=title).Next(getattr(this, f"after_{step}"))


def _nodes(*, with_resume: bool) -> dict[str, Any]:
    """The nodes of the flow, made afresh for each flow class (viewflow binds nodes to their class)."""
    nodes: dict[str, Any] = {
        "start": flow.StartHandle(this.start_process).Annotation(title=_("Lập hồ sơ")).Next(this.prepare),
        "prepare": _task("prepare", Perm.SUBMIT, ("submit", "withdraw"), _("Đơn vị hoàn thiện và gửi hồ sơ")),
        "revise": _task(
            "revise", Perm.SUBMIT, ("resubmit", "withdraw"), _("Đơn vị bổ sung hồ sơ bị trả lại")
        ),
        "appraise": _task(
            "appraise",
            Perm.REVIEW,
            ("evaluate", "return", "mark_ineligible", "hold"),
            _("Phòng TC-HC kiểm tra, thẩm định"),
        ),
        "on_hold": _task("on_hold", Perm.REVIEW, ("release",), _("Tạm dừng xét, chờ kết luận")),
        "schedule": _task(
            "schedule", Perm.SCHEDULE, ("schedule", "propose", "hold"), _("Trình Hội đồng TĐKT")
        ),
        "vote": CouncilVote(Perm.CLOSE_VOTE, actions=("close_vote",), ballot=this.ballot)
        .Annotation(title=_("Hội đồng biểu quyết"))
        .Next(this.after_vote),
        "ballot": MemberBallot().Annotation(title=_("Thành viên Hội đồng bỏ phiếu kín")),
        "decide": _task("decide", Perm.DECIDE, ("approve", "decline", "forward"), _("Cục trưởng quyết định")),
        "await_outcome": _task(
            "await_outcome", Perm.REVIEW, ("record_outcome",), _("Chờ kết quả của cấp trên")
        ),
        "report": _task("report", Perm.REVIEW, ("report",), _("Báo cáo kết quả")),
        # Reported ends the normal path, but an annulment can still revoke the award (DOMAIN.md): the
        # process waits here, with no person's task, so that its position still follows the state.
        "in_force": flow.Handle()
        .Annotation(title=_("Đã báo cáo, khen thưởng có hiệu lực"))
        .Next(this.after_in_force),
        "closed": flow.End().Annotation(title=_("Kết thúc")),
    }
    for step in STEPS:
        nodes[f"after_{step}"] = _after(step)
    if with_resume:
        nodes["resume"] = (
            flow.StartHandle(this.start_process)
            .Annotation(title=_("Tiếp nhận hồ sơ có sẵn"))
            .Next(this.resume_route)
        )
        nodes["resume_route"] = _resume()
    return nodes


def _start_process(self: Any, activation: Any, nomination: Any) -> Any:
    activation.process.nomination = nomination
    return activation.process


def _make_flow(name: str, *, with_resume: bool) -> Any:
    attrs = {
        "__module__": __name__,
        "__qualname__": name,
        "__doc__": "Hồ sơ đề nghị khen thưởng\n\nTừ khi đơn vị lập hồ sơ đến khi có kết quả khen thưởng và báo cáo.",
        "process_class": NominationProcess,
        "lock_impl": lock.select_for_update_lock,
        "process_title": _("Hồ sơ đề nghị khen thưởng"),
        "process_description": _("Từ khi đơn vị lập hồ sơ đến khi có kết quả khen thưởng và báo cáo."),
        "start_process": _start_process,
        **_nodes(with_resume=with_resume),
    }
    return types.new_class(name, (flow.Flow,), exec_body=lambda namespace: namespace.update(attrs))


# The process: `start` for every new nomination; `resume` only for one made before the process existed
# (e.g. imported data), entering at its state's step.
NominationFlow = _make_flow("NominationFlow", with_resume=True)
# The same flow as drawn for people, without the `resume` entry.
NominationChartFlow = _make_flow("NominationChartFlow", with_resume=False)


def task_nodes() -> list[NominationTask]:
    return [node for node in NominationFlow.instance.nodes() if isinstance(node, NominationTask)]


def ballot_node() -> MemberBallot:
    node = NominationFlow.instance.node("ballot", no_obsolete=True)
    assert isinstance(node, MemberBallot)
    return node
