"""The permission matrix of the state machine, replayed over HTTP.

Every transition × every role × the nominating unit's own head and another unit's head, on a nomination in
a state the transition leaves from and on one in a state it does not. Each cell is answered twice, each
time rolled back: by the service (what the pages do) and over HTTP. The HTTP answer must be the service's
(NotPermitted → 403, WrongState / RuleNotMet → 409), except that a nomination the caller may not see is a
404. Both must also agree with DOMAIN.md's table, written out below by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from nominations.models import Nomination, Person, State
from nominations.selectors.nominations import nominations_visible_to
from tests.builders import core as builders
from workflow.base.errors import TransitionRefused
from workflow.models import AuditEvent
from workflow.process.transitions import registry
from workflow.services import transitions as services
from workflow.services.actions import SERVICES

pytestmark = pytest.mark.django_db

Api = Callable[[str], APIClient]

# Roles, as demo accounts. "own_head" is the head of the nomination's unit, "other_head" another unit's.
ACTORS = {
    "own_head": None,
    "other_head": "head-nsba",
    "office": "office1",
    "secretary": "secretary",
    "director": "director",
    "deputy": "deputy",
    "auditor": "auditor",
    "council_member": "council2",
    "staff": "staff-nsba-1",
    "admin": "admin",
}

# DOMAIN.md "States of a nomination": who may run each transition.
WHO = {
    "submit": {"own_head"},
    "resubmit": {"own_head"},
    "withdraw": {"own_head"},
    "return": {"office"},
    "mark_ineligible": {"office"},
    "evaluate": {"office"},
    "hold": {"office"},
    "release": {"office"},
    "propose": {"office"},
    "record_outcome": {"office"},
    "report": {"office"},
    "schedule": {"office", "secretary"},
    "close_vote": {"secretary"},
    "approve": {"director"},
    "decline": {"director"},
    "forward": {"director"},
    "revoke": {"director"},
}
# Who sees every nomination (and so gets 403, not 404, for what they may not do).
SEES = {"own_head", "office", "secretary", "director", "auditor"}
# Allowed callers who are still refused with 409 in a source state, and why.
REFUSED_BY_RULE = {
    "propose": "every demo award needs a council vote (use schedule)",
    "close_vote": "the tally decides: closing the council session runs it, never a caller",
}

# The nomination each transition is tried on (a source state), by key of `nominations` below.
SOURCE = {
    "submit": "draft",
    "withdraw": "draft",
    "resubmit": "returned",
    "return": "submitted",
    "mark_ineligible": "submitted",
    "evaluate": "submitted",
    "hold": "submitted",
    "release": "on_hold",
    "propose": "evaluated",
    "schedule": "evaluated",
    "close_vote": "in_vote",
    "approve": "proposed",
    "decline": "proposed",
    "forward": "proposed_upward",
    "record_outcome": "forwarded",
    "report": "approved",
    "revoke": "approved",
}


def build_nominations() -> dict[str, Nomination]:
    office = builders.person("office1")

    def at(target: str, *, award: str = "LDTT", nominee: str) -> Nomination:
        return builders.to_state(builders.draft(award=award, nominee=nominee), target)

    returned = services.nomination_return(
        nomination=at(State.SUBMITTED, nominee="staff-tkkt-2"), actor=office, comment="Bổ sung biên bản"
    )
    on_hold = services.nomination_hold(
        nomination=at(State.SUBMITTED, nominee="staff-tkxh-2"), actor=office, comment="Đang xác minh"
    )
    forwarded = services.nomination_forward(
        nomination=at(State.PROPOSED, award="BANG_KHEN", nominee="staff-prtc-1"),
        actor=builders.person("director"),
        submission_number="09/TTr-CTK",
    )
    return {
        "draft": builders.draft(nominee="staff-tkth-2"),
        "submitted": at(State.SUBMITTED, nominee="staff-tkth-3"),
        "returned": returned,
        "evaluated": at(State.EVALUATED, nominee="staff-tkkt-3"),
        "on_hold": on_hold,
        "in_vote": at(State.IN_VOTE, nominee="staff-tkxh-3"),
        "proposed": at(State.PROPOSED, nominee="staff-ttth-1"),
        "proposed_upward": at(State.PROPOSED, award="BANG_KHEN", nominee="staff-tkth-1"),
        "forwarded": forwarded,
        "approved": at(State.APPROVED, nominee="staff-ttth-2"),
        "reported": at(State.REPORTED, nominee="staff-ttth-3"),
    }


def not_a_source(name: str) -> str:
    return "reported" if State.DRAFT in registry()[name].sources else "draft"


def body_for(name: str, session_id: int) -> dict[str, Any]:
    fields: dict[str, dict[str, Any]] = {
        "evaluate": {"score": 90, "assessment": "Đạt"},
        "schedule": {"session": session_id},
        "approve": {"decision_number": "05/QĐ-CTK", "decision_date": "2024-01-15"},
        "forward": {"submission_number": "07/TTr-CTK"},
        "record_outcome": {"granted": True, "decision_number": "123/QĐ-UBND"},
    }
    return {"comment": "Kiểm tra ma trận quyền", **fields.get(name, {})}


def by_service(name: str, nomination: Nomination, actor: Person, body: dict[str, Any]) -> int:
    """What the service answers (as an HTTP status), rolled back."""
    with transaction.atomic():
        try:
            if name == "close_vote":
                services.nomination_close_vote(
                    nomination=nomination, actor=actor, passed=True, comment=body["comment"]
                )
            else:
                SERVICES[name](nomination=nomination, actor=actor, **body)
            status = 200
        except TransitionRefused as refusal:
            status = refusal.status
        transaction.set_rollback(True)
    return status


def over_http(client: APIClient, name: str, nomination: Nomination, body: dict[str, Any]) -> tuple[int, bool]:
    """The HTTP status, and whether a refusal left the nomination and the log untouched; rolled back."""
    with transaction.atomic():
        events = AuditEvent.objects.count()
        response = client.post(f"/api/nominations/{nomination.pk}/transitions/{name}/", body, format="json")
        untouched = (
            Nomination.objects.get(pk=nomination.pk).state == nomination.state
            and AuditEvent.objects.count() == events
        )
        transaction.set_rollback(True)
    assert response.status_code != 500
    return response.status_code, untouched


def expected_by_table(name: str, role: str, *, in_source: bool) -> int:
    if role not in SEES:
        return 404
    if role not in WHO[name]:
        return 403
    if not in_source or name in REFUSED_BY_RULE:
        return 409
    return 200


def test_every_transition_answers_every_role_over_http_as_the_services_and_domain_table_do(api: Api) -> None:
    nominations = build_nominations()
    session_id = builders.session().pk
    usernames = {
        username
        for username in [*ACTORS.values(), *(f"head-{n.nominating_unit.code}" for n in nominations.values())]
        if username
    }
    clients = {username: api(username) for username in usernames}  # tokens made before any rollback
    people = {p.username: p for p in Person.objects.filter(username__in=usernames)}

    mismatches: list[str] = []
    for name in registry():
        body = body_for(name, session_id)
        for in_source, key in ((True, SOURCE[name]), (False, not_a_source(name))):
            nomination = Nomination.objects.select_related("nominating_unit").get(pk=nominations[key].pk)
            for role, username in ACTORS.items():
                username = username or f"head-{nomination.nominating_unit.code}"
                actor = people[username]
                visible = nominations_visible_to(user=actor).filter(pk=nomination.pk).exists()
                from_service = by_service(name, nomination, actor, body) if visible else 404
                if name == "close_vote" and from_service == 200:
                    from_service = 409  # the API never lets a caller pick a vote's outcome
                status, untouched = over_http(clients[username], name, nomination, body)
                table = expected_by_table(name, role, in_source=in_source)
                if not (status == from_service == table) or (status != 200 and not untouched):
                    mismatches.append(
                        f"{name} on {key} by {role}: http {status}, service {from_service}, table {table}"
                        + ("" if untouched or status == 200 else ", changed something")
                    )
    assert mismatches == []


def test_the_table_covers_every_transition_of_the_state_machine() -> None:
    assert set(WHO) == set(SOURCE) == set(registry())
    for name, key in SOURCE.items():
        assert key.removesuffix("_upward") in registry()[name].sources, name
