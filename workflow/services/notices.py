"""The public notice (công khai) of a council's result.

Run from `workflow.services.follow_up.after_transition`, inside the transition's transaction: this module
never imports the transition services (it is part of what a transition runs).
"""

from __future__ import annotations

from django.utils import timezone

from nominations.models import Nomination, NoticePublication
from workflow.models import AuditEvent
from workflow.notify.workdays import holidays_around


def notice_publish(*, nomination: Nomination, event: AuditEvent) -> NoticePublication | None:
    """Publish the council's result for the campaign's notice period (none when it is 0 days).

    No audit event of its own: a transition writes exactly one (DOMAIN.md), and this row is derived
    from it — written in its transaction, starting at its very time, with the period it had then.
    """
    days = nomination.campaign.notice_days
    if not days:
        return None
    notice = NoticePublication(nomination=nomination, outcome=nomination.state, notice_days=days)
    notice.set_period(event.at, holidays_around(timezone.localtime(event.at).date()))
    notice.save()
    return notice
