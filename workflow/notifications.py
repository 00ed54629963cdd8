"""E-mail notifications through an outbox.

Rows are written in the transaction of the change that causes them, and delivered after commit.
If the mail server fails, the rows stay unsent and `manage.py deliver_notifications` retries them:
a transition is never rolled back or lost because of mail.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from workflow.models import AuditEvent, Notification

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 10


def queue(
    *,
    recipients: Iterable[Any],
    subject: str,
    body: str,
    event: AuditEvent | None = None,
    dedupe_key: str | None = None,
) -> list[Notification]:
    # A subject is one header line: a line break typed into a name must not end it (mail would refuse it,
    # or worse, read the rest as another header).
    subject = " ".join(subject.split())[:250]
    rows = [
        Notification(
            recipient=person,
            email=person.email,
            subject=subject,
            body=body,
            event=event,
            dedupe_key=f"{dedupe_key}:{person.pk}" if dedupe_key else None,
        )
        for person in recipients
        if person.email
    ]
    created = Notification.objects.bulk_create(rows, ignore_conflicts=dedupe_key is not None)
    ids = [row.pk for row in created if row.pk is not None]
    if ids:
        transaction.on_commit(lambda: deliver(ids))
    return created


# A claimed row is left alone this long: enough for one SMTP exchange (EMAIL_TIMEOUT), short enough that
# a worker killed mid-send does not keep its rows from being retried for long.
CLAIM_LEASE = datetime.timedelta(minutes=5)


def _unclaimed(now: datetime.datetime) -> Q:
    return Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_LEASE)


def deliver(ids: Iterable[int] | None = None) -> tuple[int, int]:
    """Send unsent notifications (these `ids`, or all due). Returns (sent, failed).

    Each row is claimed before it is sent (an UPDATE that only one run can win), so two delivery runs
    — the on-commit delivery and `deliver_notifications` from cron — never send the same mail twice.
    """
    now = timezone.now()
    pending = Notification.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS).filter(
        _unclaimed(now)
    )
    if ids is not None:
        pending = pending.filter(pk__in=list(ids))
    sent = failed = 0
    for note in pending.order_by("pk"):
        now = timezone.now()
        claimed = (
            Notification.objects.filter(pk=note.pk, sent_at__isnull=True)
            .filter(_unclaimed(now))
            .update(claimed_at=now, attempts=F("attempts") + 1)
        )
        if not claimed:
            continue
        try:
            send_mail(note.subject, note.body, settings.DEFAULT_FROM_EMAIL, [note.email])
        except Exception as exc:  # any transport failure: keep the row for the next run
            failed += 1
            Notification.objects.filter(pk=note.pk).update(last_error=str(exc)[:2000], claimed_at=None)
            log.warning("notification %s not delivered: %s", note.pk, exc)
            continue
        Notification.objects.filter(pk=note.pk).update(sent_at=timezone.now(), last_error="", claimed_at=None)
        sent += 1
    return sent, failed
