"""Every transition × every role × own/other unit, and every transition from every state it does not allow.

The tables below are DOMAIN.md's ("States of a nomination"), written by hand; the code must match
them, never the other way round.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from nominations.models import Nomination, State
from tests.builders.world import World, footprint, fresh, world
from workflow.base.errors import NotPermitted, WrongState
from workflow.models import AuditEvent
from workflow.process.transitions import registry
from workflow.services.actions import SERVICES

__all__ = ["world"]  # the module-scoped fixture

# DOMAIN.md: transition -> (sources, targets)
DOMAIN_EDGES: dict[str, tuple[set[str], set[str]]] = {
    "submit": ({"draft"}, {"submitted"}),
    "resubmit": ({"returned"}, {"submitted"}),
    "withdraw": ({"draft", "submitted", "returned", "evaluated"}, {"withdrawn"}),
    "return": ({"submitted"}, {"returned"}),
    "mark_ineligible": ({"submitted"}, {"ineligible"}),
    "evaluate": ({"submitted"}, {"evaluated"}),
    "hold": ({"submitted", "evaluated", "proposed"}, {"on_hold"}),
    "release": ({"on_hold"}, {"submitted"}),
    "schedule": ({"evaluated"}, {"in_vote"}),
    "close_vote": ({"in_vote"}, {"proposed", "council_failed"}),
    "propose": ({"evaluated"}, {"proposed"}),
    "approve": ({"proposed"}, {"approved"}),
    "decline": ({"proposed"}, {"declined"}),
    "forward": ({"proposed"}, {"forwarded"}),
    "record_outcome": ({"forwarded"}, {"granted", "not_granted"}),
    "report": ({"approved", "granted"}, {"reported"}),
    "revoke": ({"approved", "reported"}, {"revoked"}),
}

# DOMAIN.md "who": the roles allowed to run each transition (everyone else is refused).
ROLES = [
    "unit head of own unit",
    "unit head of another unit",
    "office staff",
    "council secretary",
    "council member",
    "director",
    "deputy without delegation",
    "auditor",
    "administrator",
    "plain staff",
]
ALLOWED: dict[str, frozenset[str]] = {
    **dict.fromkeys(["submit", "resubmit", "withdraw"], frozenset({"unit head of own unit"})),
    **dict.fromkeys(
        ["return", "mark_ineligible", "evaluate", "hold", "release", "propose", "record_outcome", "report"],
        frozenset({"office staff"}),
    ),
    "schedule": frozenset({"council secretary", "office staff"}),
    "close_vote": frozenset({"council secretary"}),
    **dict.fromkeys(["approve", "decline", "forward", "revoke"], frozenset({"director"})),
}
# The role recorded in the audit event when the transition is allowed.
RECORDED_ROLE = {
    "unit head of own unit": "unit_head",
    "office staff": "office_staff",
    "council secretary": "council_secretary",
    "director": "director",
}


def username_for(role: str, nomination: Nomination) -> str:
    unit = nomination.nominating_unit.code
    return {
        "unit head of own unit": f"head-{unit}",
        "unit head of another unit": "head-tkkt" if unit == "tkth" else "head-tkth",
        "office staff": "office1",
        "council secretary": "secretary",
        "council member": "council1",
        "director": "director",
        "deputy without delegation": "deputy",
        "auditor": "auditor",
        "administrator": "admin",
        "plain staff": "staff-tchc-1",
    }[role]


def params_for(transition: str, world: World) -> dict[str, Any]:
    """Valid input for each transition, so only the permission or the state can refuse it."""
    return {
        "submit": {},
        "resubmit": {"comment": "Đã bổ sung hồ sơ."},
        "withdraw": {"comment": "Đơn vị rút hồ sơ."},
        "return": {"comment": "Thiếu chữ ký trên biên bản."},
        "mark_ineligible": {"comment": "Không đủ tiêu chuẩn."},
        "evaluate": {"score": 92, "assessment": "Đủ điều kiện."},
        "hold": {"comment": "Có đơn khiếu nại."},
        "release": {"comment": "Đã giải quyết xong khiếu nại."},
        "schedule": {"session": world.session},
        "close_vote": {"passed": True},
        "propose": {},
        "approve": {"decision_number": "15/QĐ-CTK", "decision_date": datetime.date(2024, 1, 12)},
        "decline": {"comment": "Chưa tiêu biểu."},
        "forward": {"submission_number": "20/TTr-CTK"},
        "record_outcome": {"granted": True, "decision_number": "300/QĐ-UBND"},
        "report": {},
        "revoke": {"comment": "Phát hiện kê khai sai thành tích."},
    }[transition]


def run(transition: str, nomination: Nomination, username: str, world: World) -> Nomination:
    return SERVICES[transition](nomination=nomination, actor=fresh(username), **params_for(transition, world))


def test_the_code_has_exactly_the_states_and_transitions_of_domain_md() -> None:
    code = {name: (set(s.sources), set(s.targets)) for name, s in registry().items()}
    assert code == DOMAIN_EDGES
    assert set(SERVICES) == set(DOMAIN_EDGES) == set(ALLOWED)
    assert {s for sources, targets in DOMAIN_EDGES.values() for s in sources | targets} == set(State.values)


MATRIX = [
    (transition, source, role)
    for transition, (sources, _targets) in DOMAIN_EDGES.items()
    for source in sorted(sources)
    for role in ROLES
]


@pytest.mark.parametrize(("transition", "source", "role"), MATRIX)
def test_a_transition_is_allowed_exactly_to_the_roles_domain_md_names(
    world: World, db: None, transition: str, source: str, role: str
) -> None:
    nomination = world.source(transition, source)
    assert Nomination.objects.get(pk=nomination.pk).state == source
    username = username_for(role, nomination)
    before = footprint(nomination)
    # The end of the log by id: events are chained after commit, and this test never commits.
    last_event = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    if role in ALLOWED[transition]:
        result = run(transition, nomination, username, world)
        assert result.state in DOMAIN_EDGES[transition][1]
        assert Nomination.objects.get(pk=nomination.pk).state == result.state
        new_events = list(AuditEvent.objects.filter(id__gt=last_event).order_by("id"))
        expected = [(AuditEvent.Kind.TRANSITION, transition, source, result.state)]
        if transition == "approve":  # every approval is a decision: the decision's own event follows it
            expected.append((AuditEvent.Kind.DOCUMENT, "decision_issued", "", ""))
        assert [(e.kind, e.transition, e.from_state, e.to_state) for e in new_events] == expected
        assert new_events[0].actor.username == username
        assert new_events[0].actor_role == RECORDED_ROLE[role]
        assert new_events[0].nomination_id == nomination.pk
    else:
        with pytest.raises(NotPermitted):
            run(transition, nomination, username, world)
        assert footprint(nomination) == before


WRONG_STATES = [
    (transition, state)
    for transition, (sources, _targets) in DOMAIN_EDGES.items()
    for state in State.values
    if state not in sources
]


@pytest.mark.parametrize(("transition", "state"), WRONG_STATES)
def test_a_transition_from_a_state_it_does_not_allow_is_refused_and_changes_nothing(
    world: World, db: None, transition: str, state: str
) -> None:
    nomination = world.by_state[state]
    # Someone who holds the transition's permission on this very nomination: only the state refuses.
    allowed_role = sorted(ALLOWED[transition])[0]
    before = footprint(nomination)
    with pytest.raises(WrongState):
        run(transition, nomination, username_for(allowed_role, nomination), world)
    assert footprint(nomination) == before
