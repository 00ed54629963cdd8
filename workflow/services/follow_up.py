"""What a transition leaves in the records of participation: the public notice, the award history.

`workflow.process.routing.after_transition` calls it inside the transition's transaction. It imports only
services that never run a transition themselves, so the transition services can reach it without a
cycle (transitions → routing → follow_up → notices, award_history).
"""

from __future__ import annotations

from nominations.models import Nomination, State
from workflow.models import AuditEvent
from workflow.services.award_history import award_record_annul, award_record_from_decision
from workflow.services.notices import notice_publish


def after_transition(nomination: Nomination, event: AuditEvent) -> None:
    """Inside the transition's transaction: publish a council result; keep the award history right."""
    if event.transition in ("close_vote", "propose") and nomination.state in (
        State.PROPOSED,
        State.COUNCIL_FAILED,
    ):
        notice_publish(nomination=nomination, event=event)
    elif nomination.state in (State.APPROVED, State.GRANTED) and event.from_state != nomination.state:
        award_record_from_decision(nomination=nomination)
    elif nomination.state == State.REVOKED:
        award_record_annul(nomination=nomination)
