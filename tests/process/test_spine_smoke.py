from __future__ import annotations

import pytest

from nominations.models import State
from tests.builders import core as builders
from workflow.audit import log as audit
from workflow.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_an_ldtt_nomination_goes_from_draft_to_reported_and_every_step_is_logged(demo: None) -> None:
    nomination = builders.draft(award="LDTT", nominee="staff-tkth-2")
    nomination = builders.to_state(nomination, State.REPORTED)
    assert nomination.state == State.REPORTED
    transitions = list(
        AuditEvent.objects.filter(nomination=nomination, kind=AuditEvent.Kind.TRANSITION).values_list(
            "transition", "from_state", "to_state", "actor_role"
        )
    )
    assert transitions == [
        ("submit", "draft", "submitted", "unit_head"),
        ("evaluate", "submitted", "evaluated", "office_staff"),
        ("schedule", "evaluated", "in_vote", "council_secretary"),
        ("close_vote", "in_vote", "proposed", "council_secretary"),
        ("approve", "proposed", "approved", "director"),
        ("report", "approved", "reported", "office_staff"),
    ]
    assert audit.verify().ok
