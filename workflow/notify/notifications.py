"""E-mail notifications through an outbox.

Rows are written in the transaction of the change that causes them, and delivered after commit.
If the mail server fails, the rows stay unsent and `manage.py deliver_notifications` retries them:
a transition is never rolled back or lost because of mail.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import F, QuerySet
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


def queue_to(*, notices: list[tuple[QuerySet[Any], str, str]], event: AuditEvent | None = None) -> int:
    """`queue` for the people queries select (e.g. `nominations.access.people_holding`): each notice is
    (people, subject, body), and all of them are written in one statement, `INSERT … SELECT … UNION ALL
    … RETURNING`, instead of reading the people of each and then inserting their rows. Those without an
    address get no row, as in `queue`. Returns how many rows were written.

    Every transition tells the next step's holders (and some the nominating unit): reading them first
    was a query of its own per notice (issue #17).
    """
    table = connection.ops.quote_name(Notification._meta.db_table)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    selects: list[str] = []
    params: list[Any] = []
    for people, subject, body in notices:
        chosen = (
            people.exclude(email="")
            .order_by()
            .annotate(chosen_pk=F("pk"), chosen_email=F("email"))
            .values_list("chosen_pk", "chosen_email")
        )
        sql, chosen_params = chosen.query.get_compiler(using=chosen.db).as_sql()
        selects.append(
            f"SELECT chosen.chosen_pk, chosen.chosen_email, %s, %s, %s, %s, 0, '' FROM ({sql}) chosen"
        )
        # A subject is one header line (see `queue`).
        params += [" ".join(subject.split())[:250], body, event.pk if event is not None else None, now]
        params += chosen_params
    if not selects:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (recipient_id, email, subject, body, event_id, created_at, attempts, "
            f"last_error) {' UNION ALL '.join(selects)} RETURNING id",
            params,
        )
        ids = [row[0] for row in cursor.fetchall()]
    if ids:
        transaction.on_commit(lambda: deliver(ids))
    return len(ids)


# A claimed row is left alone this long: enough for one SMTP exchange (EMAIL_TIMEOUT), short enough that
# a worker killed mid-send does not keep its rows from being retried for long.
CLAIM_LEASE = datetime.timedelta(minutes=5)


def _claim(ids: Iterable[int] | None, now: datetime.datetime) -> list[tuple[int, str, str, str]]:
    """Claim the due rows (these `ids`, or all) in one statement; return (id, email, subject, body) of
    those this run won.

    One `UPDATE … RETURNING` (PostgreSQL, SQLite ≥ 3.35), not a claim per row: each autocommitted
    statement is a commit. The conditions stand on the updated table itself, so when two runs race for
    a row, PostgreSQL re-checks them on the row the first run wrote, and the second run skips it.
    """
    table = connection.ops.quote_name(Notification._meta.db_table)
    where = ["sent_at IS NULL", "attempts < %s", "(claimed_at IS NULL OR claimed_at < %s)"]
    params: list[Any] = [now, MAX_ATTEMPTS, now - CLAIM_LEASE]
    if ids is not None:
        wanted = [int(pk) for pk in ids]
        if not wanted:
            return []
        where.append(f"id IN ({', '.join(['%s'] * len(wanted))})")
        params += wanted
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET claimed_at = %s, attempts = attempts + 1 WHERE {' AND '.join(where)} "
            "RETURNING id, email, subject, body",
            params,
        )
        return sorted(cursor.fetchall())


def deliver_keyed(keys: Iterable[str]) -> tuple[int, int]:
    """`deliver` the unsent rows queued with these dedupe keys (rows inserted with a dedupe key get no id
    back from bulk_create, so a reminder run finds them by key)."""
    return deliver(
        Notification.objects.filter(dedupe_key__in=list(keys), sent_at__isnull=True).values_list(
            "pk", flat=True
        )
    )


def deliver(ids: Iterable[int] | None = None) -> tuple[int, int]:
    """Send unsent notifications (these `ids`, or all due). Returns (sent, failed).

    The rows are claimed before they are sent (an UPDATE that only one run can win), so two delivery
    runs — the on-commit delivery and `deliver_notifications` from cron — never send the same mail
    twice. Two statements whatever the number of mails: the claim, and marking the sent ones.
    """
    claimed = _claim(ids, timezone.now())
    if not claimed:
        return 0, 0
    sent: list[int] = []
    failed = 0
    smtp = get_connection()
    for pk, email, subject, body in claimed:
        try:
            EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [email], connection=smtp).send()
        except Exception as exc:  # any transport failure: keep the row for the next run
            failed += 1
            Notification.objects.filter(pk=pk).update(last_error=str(exc)[:2000], claimed_at=None)
            log.warning("notification %s not delivered: %s", pk, exc)
            continue
        sent.append(pk)
    if sent:
        Notification.objects.filter(pk__in=sent).update(
            sent_at=timezone.now(), last_error="", claimed_at=None
        )
    return len(sent), failed


def queue_many(messages: Sequence[tuple[Iterable[Any], str, str, AuditEvent | None]]) -> list[Notification]:
    """`queue` for many messages — (recipients, subject, body, event) each — in one INSERT, delivered together
    after commit (one claim, one mark: two statements for the whole batch)."""
    rows = [
        Notification(
            recipient=person,
            email=person.email,
            subject=" ".join(subject.split())[:250],
            body=body,
            event=event,
        )
        for recipients, subject, body, event in messages
        for person in recipients
        if person.email
    ]
    created = Notification.objects.bulk_create(rows)
    ids = [row.pk for row in created if row.pk is not None]
    if ids:
        transaction.on_commit(lambda: deliver(ids))
    return created
