"""No transaction waits for the audit chain's head: an event is written waiting, sealed on its own, and is
chained after commit by its transaction's hook or by the next one's (workflow/audit/log.py). PostgreSQL:
real row locks."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from nominations.models import Person
from tests.audit.test_audit_log import sql, triggers_disabled
from workflow.audit import log as audit
from workflow.models import AuditChainHead, AuditEvent

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not ON_POSTGRESQL, reason="row locks and real concurrency need PostgreSQL"),
]


@contextmanager
def head_held_elsewhere() -> Iterator[threading.Event]:
    """Another connection holds the chain head (as a transaction between its append and its commit)
    until the yielded event is set."""
    taken, release = threading.Event(), threading.Event()

    def holder() -> None:
        try:
            with transaction.atomic():
                AuditChainHead.objects.select_for_update().get_or_create(pk=1)
                taken.set()
                release.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=holder)
    thread.start()
    assert taken.wait(30)
    try:
        yield release
    finally:
        release.set()
        thread.join(30)


def someone() -> Person:
    return Person.objects.get_or_create(username="audit-sealing", defaults={"full_name": "Người thử"})[0]


def log(comment: str) -> AuditEvent:
    """Record an event in a transaction of its own; the event as stored once that has committed."""
    with transaction.atomic():
        event = audit.record(kind=AuditEvent.Kind.OTHER, obj=someone(), comment=comment)
    return AuditEvent.objects.get(pk=event.pk)


def test_an_event_written_while_the_head_is_held_waits_then_is_chained_after_commit(
    transactional_db: None,
) -> None:
    first = log("trước")
    with head_held_elsewhere() as release, transaction.atomic():
        waiting = audit.record(kind=AuditEvent.Kind.OTHER, obj=someone(), comment="trong lúc chờ")
        # Not blocked: written at once, without a place, sealed on its own.
        assert waiting.seq is None and waiting.hash == audit.pending_hash(waiting)
        release.set()
    # The on-commit hook waited for the head and chained it.
    assert AuditEvent.objects.get(pk=waiting.pk).seq == first.seq + 1
    assert AuditChainHead.objects.get(pk=1).seq == first.seq + 1
    assert audit.verify().ok and audit.verify().waiting == 0


def test_the_next_holder_chains_the_waiting_events_before_its_own(
    transactional_db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = log("trước")
    # This process's on-commit sealing is lost (as if it died right after its commit).
    monkeypatch.setattr(audit, "_seal_after_commit", lambda: None)
    with head_held_elsewhere():
        waiting = [log(f"chờ {i}") for i in range(3)]
    assert [AuditEvent.objects.get(pk=e.pk).seq for e in waiting] == [None, None, None]
    result = audit.verify()
    assert result.ok and result.waiting == 3 and result.count == AuditEvent.objects.count()
    monkeypatch.undo()  # the next writer's hook chains them, oldest first, before its own
    after = log("sau")
    assert [AuditEvent.objects.get(pk=e.pk).seq for e in [*waiting, after]] == [
        first.seq + 1,
        first.seq + 2,
        first.seq + 3,
        first.seq + 4,
    ]
    assert audit.verify().ok and audit.verify().waiting == 0


def test_a_forged_waiting_event_is_never_chained_and_verify_names_it(
    transactional_db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    log("trước")
    monkeypatch.setattr(audit, "_seal_after_commit", lambda: None)
    with head_held_elsewhere():
        genuine = log("chờ")
    columns = (
        "at, kind, actor_id, actor_name, actor_role, actor_unit, object_type, object_id, "
        "nomination_id, transition, from_state, to_state, comment, data"
    )
    # Someone with write access adds a waiting row of their own: they cannot make its seal.
    sql(
        f"INSERT INTO workflow_auditevent ({columns}, prev_hash, hash) "
        f"SELECT {columns}, '', %s FROM workflow_auditevent WHERE id = %s",
        ["e" * 64, genuine.pk],
    )
    forged = AuditEvent.objects.get(hash="e" * 64)
    result = audit.verify()
    assert not result.ok and result.first_break is not None
    assert result.first_break.event_id == forged.pk and result.first_break.kind == "inserted"
    assert audit.seal_pending() == 1  # the genuine one only
    assert AuditEvent.objects.get(pk=forged.pk).seq is None
    assert AuditEvent.objects.get(pk=genuine.pk).seq is not None


def test_a_copy_of_a_waiting_event_is_chained_once_and_named(
    transactional_db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    log("trước")
    monkeypatch.setattr(audit, "_seal_after_commit", lambda: None)
    with head_held_elsewhere():
        genuine = log("chờ")
    columns = (
        "at, kind, actor_id, actor_name, actor_role, actor_unit, object_type, object_id, "
        "nomination_id, transition, from_state, to_state, comment, data, prev_hash, hash"
    )
    sql(
        f"INSERT INTO workflow_auditevent ({columns}) SELECT {columns} FROM workflow_auditevent WHERE id = %s",
        [genuine.pk],
    )
    result = audit.verify()
    assert not result.ok and result.first_break is not None and "bản sao" in str(result.first_break)
    assert audit.seal_pending() == 1
    assert AuditEvent.objects.filter(hash=genuine.hash).count() == 1  # the copy still waits, unchained


def test_the_database_allows_only_placing_a_waiting_event(
    transactional_db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    sealed = log("trước")
    monkeypatch.setattr(audit, "_seal_after_commit", lambda: None)
    with head_held_elsewhere():
        waiting = log("chờ")
    # Placing it while changing what it says is refused; so is any change of a chained event.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        sql("UPDATE workflow_auditevent SET seq = 999, comment = 'khác' WHERE id = %s", [waiting.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        sql("UPDATE workflow_auditevent SET seq = NULL WHERE id = %s", [sealed.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        sql("DELETE FROM workflow_auditevent WHERE id = %s", [waiting.pk])
    assert audit.seal_pending() == 1 and audit.verify().ok
    with triggers_disabled():  # the tamper helpers still work around the triggers
        sql("UPDATE workflow_auditevent SET comment = 'sửa' WHERE id = %s", [waiting.pk])
    assert not audit.verify().ok


def test_eight_writers_at_once_lose_nothing_and_leave_one_dense_sound_chain(transactional_db: None) -> None:
    before = log("trước").seq or 0
    writers, each = 8, 25
    start = threading.Barrier(writers, timeout=30)
    errors: list[str] = []

    def writer(k: int) -> None:
        try:
            person = Person.objects.create(username=f"audit-writer-{k}", full_name=f"Người ghi {k}")
            start.wait()
            for i in range(each):
                with transaction.atomic():
                    Person.objects.select_for_update().get(pk=person.pk)
                    audit.record(kind=AuditEvent.Kind.OTHER, obj=person, comment=f"{k}:{i}")
        except Exception as exc:  # reported by the test
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    audit.seal_pending()  # what a writer that died after its commit would have left
    seqs = list(AuditEvent.objects.filter(seq__gt=before).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(before + 1, before + 1 + writers * each))
    # Each writer's events are chained in the order it wrote them.
    for k in range(writers):
        comments = AuditEvent.objects.filter(
            object_id=str(Person.objects.get(username=f"audit-writer-{k}").pk)
        )
        assert list(comments.order_by("seq").values_list("comment", flat=True)) == [
            f"{k}:{i}" for i in range(each)
        ]
    result = audit.verify()
    assert result.ok and result.waiting == 0
