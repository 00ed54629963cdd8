"""The council's agenda: an item goes only to a session that has not closed.

This is the procedure of the council (its sessions), not a criterion of the award: the refusal cites
no article, and reads as it always has (`Refusal` prints no empty basis).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from nominations.models import CouncilSession
from nominations.rules.eligibility import Refusal


def check_session_open(session: CouncilSession) -> list[Refusal]:
    if session.state != CouncilSession.State.CLOSED:
        return []
    return [Refusal("session_open", _("Phiên họp %(session)s đã kết thúc.") % {"session": session}, "")]
