"""Every transition of a nomination by name, as the pages, the API and the transition matrix run them.

`approve` is the decision service (an approval is a decision, issued in one transaction with it); the
others are the transition services. One table here keeps `transitions` free of `decisions`, which
builds on it.
"""

from __future__ import annotations

from collections.abc import Callable

from nominations.models import Nomination
from workflow.services.decisions import nomination_approve
from workflow.services.transitions import (
    nomination_close_vote,
    nomination_decline,
    nomination_evaluate,
    nomination_forward,
    nomination_hold,
    nomination_mark_ineligible,
    nomination_propose,
    nomination_record_outcome,
    nomination_release,
    nomination_report,
    nomination_resubmit,
    nomination_return,
    nomination_revoke,
    nomination_schedule,
    nomination_submit,
    nomination_withdraw,
)

SERVICES: dict[str, Callable[..., Nomination]] = {
    "submit": nomination_submit,
    "resubmit": nomination_resubmit,
    "withdraw": nomination_withdraw,
    "return": nomination_return,
    "mark_ineligible": nomination_mark_ineligible,
    "evaluate": nomination_evaluate,
    "hold": nomination_hold,
    "release": nomination_release,
    "propose": nomination_propose,
    "schedule": nomination_schedule,
    "close_vote": nomination_close_vote,
    "approve": nomination_approve,
    "decline": nomination_decline,
    "forward": nomination_forward,
    "record_outcome": nomination_record_outcome,
    "report": nomination_report,
    "revoke": nomination_revoke,
}

__all__ = ["SERVICES"]
