"""What happens after a transition: who is told (and, with viewflow, whose task comes next)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from nominations.access import Perm
from nominations.models import Nomination, State
from workflow import notifications
from workflow.models import AuditEvent
from workflow.permissions import holders_of

# After a nomination reaches a state, who has the next step (and so is notified).
NEXT_ACTOR: dict[str, str] = {
    State.SUBMITTED: Perm.REVIEW,
    State.RETURNED: Perm.SUBMIT,
    State.EVALUATED: Perm.SCHEDULE,
    State.PROPOSED: Perm.DECIDE,
    State.FORWARDED: Perm.REVIEW,
    State.APPROVED: Perm.SUBMIT,
    State.DECLINED: Perm.SUBMIT,
    State.INELIGIBLE: Perm.SUBMIT,
    State.COUNCIL_FAILED: Perm.SUBMIT,
    State.GRANTED: Perm.SUBMIT,
    State.NOT_GRANTED: Perm.SUBMIT,
    State.REVOKED: Perm.SUBMIT,
}


def after_transition(nomination: Nomination, event: AuditEvent) -> None:
    from workflow.services import participation  # imported here: it runs transitions itself

    participation.after_transition(nomination, event)
    perm = NEXT_ACTOR.get(nomination.state)
    if perm is None:
        return
    recipients: Any = holders_of(perm, nomination)
    state_label = State(nomination.state).label
    subject = _("[Thi đua] %(nominee)s — %(award)s: %(state)s") % {
        "nominee": nomination.nominee,
        "award": nomination.award.name,
        "state": state_label,
    }
    body = _(
        "Hồ sơ đề nghị %(award)s cho %(nominee)s (%(campaign)s) đã chuyển sang trạng thái “%(state)s”.\n"
        "Người thực hiện: %(actor)s.\n%(comment)s\nXem hồ sơ: %(url)s"
    ) % {
        "award": nomination.award.name,
        "nominee": nomination.nominee,
        "campaign": nomination.campaign.name,
        "state": state_label,
        "actor": event.actor_name,
        "comment": (_("Ý kiến: %(comment)s") % {"comment": event.comment}) if event.comment else "",
        "url": f"{settings.SITE_URL}/ho-so/{nomination.pk}/",
    }
    notifications.queue(recipients=recipients, subject=subject, body=body, event=event)
