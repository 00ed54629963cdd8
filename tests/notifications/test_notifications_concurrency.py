"""Delivery runs racing for the same outbox rows on PostgreSQL: every mail goes exactly once."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core import mail
from django.db import connection, connections

from nominations.models import Person
from workflow.models import Notification
from workflow.notify import notifications

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]
RUNS = 6


def test_runs_racing_for_the_same_rows_send_each_mail_once(transactional_db: None, demo: None) -> None:
    people = list(Person.objects.exclude(email="").order_by("pk")[:20])
    rows = Notification.objects.bulk_create(
        Notification(recipient=p, email=p.email, subject=f"Thư {p.pk}", body="Nội dung") for p in people
    )
    ids = [row.pk for row in rows]
    assert len(ids) == 20
    start = threading.Barrier(RUNS)
    results: list[Any] = []

    def run(index: int) -> None:
        try:
            start.wait(timeout=10)
            # Half deliver these ids (the on-commit delivery), half every due row (cron).
            results.append(notifications.deliver(ids if index % 2 else None))
        except Exception as exc:  # a database error would land here
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(RUNS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert all(isinstance(r, tuple) for r in results), results
    assert sum(sent for sent, _failed in results) == len(ids)
    assert sorted(m.subject for m in mail.outbox) == sorted(f"Thư {p.pk}" for p in people)
    assert Notification.objects.filter(pk__in=ids, sent_at__isnull=False, attempts=1).count() == len(ids)
