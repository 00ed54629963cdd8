"""Where a nomination stands, as a person reads it: the steps done, the one now, the ones next, and who
holds each. Built from its state and the events already loaded for the page (no query of its own).

The steps are the flow's own (their titles come from `workflow.process.flows.NominationFlow`); a side step takes
the place of the main step it stands in for: a returned dossier is revised where it was prepared, a dossier
on hold waits where it is appraised, and a nomination forwarded to the upper authority awaits its outcome
between the Director's decision and the report. A final state other than the report ends the line there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from nominations.models import FINAL_STATES, Role, State
from workflow.models import AuditEvent
from workflow.process.flows import NominationFlow, step_for_state

MAIN = ("prepare", "appraise", "schedule", "vote", "decide", "report", "in_force")
# A side step shown in the place of a main one.
IN_PLACE_OF = {"revise": "prepare", "on_hold": "appraise"}
# Who holds each step (the role its task is offered to).
HOLDERS: dict[str, str] = {
    "prepare": Role.UNIT_HEAD,
    "revise": Role.UNIT_HEAD,
    "appraise": Role.OFFICE_STAFF,
    "on_hold": Role.OFFICE_STAFF,
    "schedule": Role.OFFICE_STAFF,
    "vote": Role.COUNCIL_MEMBER,
    "decide": Role.DIRECTOR,
    "await_outcome": Role.OFFICE_STAFF,
    "report": Role.OFFICE_STAFF,
}
# The step each state's arrival finishes (its event's date is the step's "done on").
LEAVES = {
    State.SUBMITTED: ("prepare", "revise"),
    State.EVALUATED: ("appraise",),
    State.IN_VOTE: ("schedule",),
    State.PROPOSED: ("vote", "schedule"),
    State.COUNCIL_FAILED: ("vote",),
    State.APPROVED: ("decide",),
    State.FORWARDED: ("decide",),
    State.DECLINED: ("decide",),
    State.GRANTED: ("await_outcome",),
    State.NOT_GRANTED: ("await_outcome",),
    State.REPORTED: ("report",),
}


@dataclass
class Step:
    name: str
    title: str
    status: str  # "done", "now", "next", "skipped"
    holder: str = ""
    owner: str = ""
    at: datetime | None = None
    since: datetime | None = None


def _title(name: str) -> str:
    return str(NominationFlow.instance.node(name, no_obsolete=True).task_title)


def _holder(name: str) -> str:
    role = HOLDERS.get(name)
    return str(Role(role).label) if role else ""


def step_timeline(
    *, state: str, events: Iterable[AuditEvent], owner: str = "", since: datetime | None = None
) -> list[Step]:
    """The steps of the nomination in `state`; `owner`/`since`: who took the open step, and when it opened."""
    events = list(events)
    done_at: dict[str, datetime] = {}
    forwarded = False
    for e in events:
        if e.to_state == State.FORWARDED:
            forwarded = True
        for name in LEAVES.get(e.to_state, ()):  # type: ignore[call-overload]
            done_at[name] = e.at
    current = step_for_state(state)
    path = list(MAIN)
    if forwarded or current == "await_outcome":
        path.insert(path.index("report"), "await_outcome")
    place = IN_PLACE_OF.get(current, current)
    final = state in FINAL_STATES
    steps: list[Step] = []
    reached = False  # past the current step
    for name in path:
        shown = current if name == place and current in IN_PLACE_OF else name
        if final and state != State.REPORTED:
            # Ended off the main path: the steps whose work was done are done, the rest were never reached.
            status = "done" if name in done_at else "skipped"
        elif name == place:
            status = "now"
            reached = True
        else:
            status = "next" if reached else "done"
        if state == State.REPORTED and name == "in_force":
            status = "now"
        steps.append(
            Step(
                name=shown,
                title=_title(shown),
                status=status,
                holder=_holder(shown),
                owner=owner if status == "now" else "",
                at=done_at.get(name) if status == "done" else None,
                since=since if status == "now" else None,
            )
        )
    if final and state != State.REPORTED:
        ended_at = events[-1].at if events else None
        steps.append(
            Step(
                name="closed",
                title=_("Kết thúc: %(state)s") % {"state": State(state).label},
                status="now",
                at=ended_at,
            )
        )
        steps = [s for s in steps if s.status != "skipped"] + [s for s in steps if s.status == "skipped"]
    return steps
