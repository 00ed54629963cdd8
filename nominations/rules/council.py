"""The council's procedure on a session: an item goes only to a session that has not closed, and a
session's vote is closed only over an agenda that has something to vote on.

These are the procedure of the council (its sessions), not criteria of an award. DOMAIN.md ("Council
voting") says a session has a date, its members and an agenda of nominations, and that the minutes record
the tally and the outcome of each item; it names no article for either check, so the refusals cite none
and say the rule plainly (`Refusal` prints no empty basis).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from nominations.models import CouncilSession
from nominations.rules.eligibility import Refusal


def check_session_open(session: CouncilSession) -> list[Refusal]:
    if session.state != CouncilSession.State.CLOSED:
        return []
    return [Refusal("session_open", _("Phiên họp %(session)s đã kết thúc.") % {"session": session}, "")]


def check_agenda_not_empty(session: CouncilSession, *, items: int) -> list[Refusal]:
    """Closing the vote counts the ballots of each agenda item: with no item there is nothing to count,
    and the minutes would record a vote that never took place."""
    if items > 0:
        return []
    return [
        Refusal(
            "agenda_not_empty",
            _(
                "Phiên họp %(session)s chưa có nội dung biểu quyết: đưa ít nhất một hồ sơ vào phiên họp "
                "trước khi kết thúc biểu quyết và kiểm phiếu."
            )
            % {"session": session},
            "",
        )
    ]
