"""The audit log is append-only, and `verify_audit` names the first event altered, removed or inserted."""

from __future__ import annotations

import importlib
import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction

from nominations.models import State
from tests.builders import core as builders
from tests.builders.world import rolled_back
from workflow.audit import log as audit
from workflow.models import AppendOnlyError, AuditEvent

pytestmark = pytest.mark.django_db
triggers = importlib.import_module("workflow.migrations.0002_audit_append_only_triggers")
placing = importlib.import_module("workflow.migrations.0007_audit_sqlite_placing")
COLUMNS = (
    "seq, at, kind, actor_id, actor_name, actor_role, actor_unit, object_type, object_id, nomination_id, "
    "transition, from_state, to_state, comment, data, prev_hash, hash"
)


@pytest.fixture(scope="module")
def module_log(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[int]:
    """A log with a few dozen events (people, roles, nominations, files, transitions), built once."""
    with rolled_back(django_db_blocker, tmp_path_factory.mktemp("media")):
        call_command("loaddemo", "--password", "demo-pass-123", stdout=io.StringIO())
        builders.in_state(State.REPORTED, award="LDTT", nominee="staff-tkth-2")
        builders.in_state(State.RETURNED, award="LDTT", nominee="staff-tkkt-2")
        audit.seal_pending()  # what the hooks after each commit do (this transaction is rolled back)
        yield AuditEvent.objects.count()


@pytest.fixture
def logged(module_log: int, db: None) -> int:
    """The module's log, in this test's savepoint (tampering is undone after each test); its length."""
    assert module_log > 20 and audit.verify().ok
    return module_log


def sql(statement: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@contextmanager
def triggers_disabled() -> Iterator[None]:
    """What someone with direct write access to the database would do first."""
    if connection.vendor == "postgresql":
        # Run the deferred foreign-key checks of this test's inserts first: ALTER TABLE refuses to
        # run while they are pending.
        sql("SET CONSTRAINTS ALL IMMEDIATE")
        sql("ALTER TABLE workflow_auditevent DISABLE TRIGGER USER")
        yield
        sql("ALTER TABLE workflow_auditevent ENABLE TRIGGER USER")
        sql("SET CONSTRAINTS ALL DEFERRED")
    else:
        sql(triggers.SQLITE_DROP)
        yield
        sql(placing.SQLITE_PLACING)


def broken() -> str:
    """Run `verify_audit`, expect it to fail, and return what it said."""
    with pytest.raises(CommandError) as caught:
        call_command("verify_audit", stdout=io.StringIO())
    assert caught.value.returncode == 1
    return str(caught.value)


def event(seq: int) -> AuditEvent:
    return AuditEvent.objects.get(seq=seq)


# --- append-only ----------------------------------------------------------------------------------
def test_the_model_refuses_to_update_or_delete_an_event(logged: int) -> None:
    first = event(1)
    first.comment = "sửa"
    with pytest.raises(AppendOnlyError):
        first.save()
    with pytest.raises(AppendOnlyError):
        first.delete()
    # A fresh instance carrying an existing primary key would otherwise be saved as an UPDATE.
    copy = AuditEvent.objects.values().get(seq=2)
    with pytest.raises(AppendOnlyError):
        AuditEvent(**{**copy, "comment": "ghi đè"}).save()
    assert event(2).comment == copy["comment"]


def test_the_queryset_refuses_to_update_or_delete_events(logged: int) -> None:
    events = AuditEvent.objects.filter(seq__lte=3)
    with pytest.raises(AppendOnlyError):
        events.update(comment="sửa")
    with pytest.raises(AppendOnlyError):
        events.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update(list(events), ["comment"])
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update_or_create(seq=1, defaults={"comment": "sửa"})
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_create([AuditEvent(seq=1, hash="0", prev_hash="0")], update_conflicts=True)
    assert AuditEvent.objects.count() == logged
    assert audit.verify().ok


def test_the_database_refuses_a_raw_update(logged: int) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        sql("UPDATE workflow_auditevent SET comment = 'sửa' WHERE seq = 1")
    assert event(1).comment != "sửa"


@pytest.mark.postgres
def test_on_postgresql_the_database_refuses_a_raw_delete(logged: int) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the DELETE trigger exists on PostgreSQL only")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        sql("DELETE FROM workflow_auditevent WHERE seq = 1")
    assert AuditEvent.objects.count() == logged


# --- verify_audit -----------------------------------------------------------------------------------
def test_verify_audit_says_ok_and_counts_the_events(logged: int) -> None:
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert out.getvalue() == f"OK {logged} events\n"


def test_verify_audit_exits_non_zero_from_the_command_line(
    logged: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # run_from_argv closes the connections when it ends; that would end this test's transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    ManagementUtility(["manage.py", "verify_audit"]).execute()
    assert capsys.readouterr().out == f"OK {logged} events\n"
    target = event(7)
    with triggers_disabled():
        sql("UPDATE workflow_auditevent SET to_state = 'approved' WHERE seq = 7")
    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(["manage.py", "verify_audit"]).execute()
    assert exit_.value.code == 1
    assert f"#7 (id {target.id})" in capsys.readouterr().err


def test_an_edited_row_is_named(logged: int) -> None:
    target = AuditEvent.objects.filter(kind=AuditEvent.Kind.TRANSITION, transition="approve").get()
    with triggers_disabled():
        sql("UPDATE workflow_auditevent SET comment = 'Đã duyệt' WHERE seq = %s", [target.seq])
    message = broken()
    assert f"#{target.seq} (id {target.id})" in message
    assert "bị sửa" in message


def test_an_edited_hash_is_named(logged: int) -> None:
    with triggers_disabled():
        sql("UPDATE workflow_auditevent SET hash = %s WHERE seq = 5", ["a" * 64])
    assert f"#5 (id {event(5).id})" in broken()


def test_a_deleted_row_is_named(logged: int) -> None:
    with triggers_disabled():
        sql("DELETE FROM workflow_auditevent WHERE seq = 12")
    message = broken()
    assert "#12" in message and "bị xóa" in message


def test_a_deleted_last_row_is_named(logged: int) -> None:
    last = event(logged)
    with triggers_disabled():
        sql("DELETE FROM workflow_notification WHERE event_id = %s", [last.id])
        sql("DELETE FROM workflow_auditevent WHERE seq = %s", [logged])
    message = broken()
    assert f"#{logged}" in message and "bị xóa" in message


def test_a_row_inserted_between_two_events_is_named(logged: int) -> None:
    """The forger makes room at #10 and puts in a copy of #10 pointing to #9, with a made-up hash."""
    with triggers_disabled():
        sql("UPDATE workflow_auditevent SET seq = seq + 1000000 WHERE seq >= 10")
        sql("UPDATE workflow_auditevent SET seq = seq - 999999 WHERE seq >= 1000000")
        sql(
            f"INSERT INTO workflow_auditevent ({COLUMNS}) SELECT 10, at, kind, actor_id, actor_name, "
            "actor_role, actor_unit, object_type, object_id, nomination_id, transition, from_state, to_state, "
            "'thêm vào sau', data, prev_hash, %s FROM workflow_auditevent WHERE seq = 11",
            ["f" * 64],
        )
    forged = event(10)
    message = broken()
    assert f"#10 (id {forged.id})" in message
    assert "bị chèn" in message


def test_a_row_replayed_at_the_end_is_named(logged: int) -> None:
    """A genuine event copied, hash and all, to the end of the chain."""
    with triggers_disabled():
        sql(
            f"INSERT INTO workflow_auditevent ({COLUMNS}) SELECT %s, at, kind, actor_id, actor_name, "
            "actor_role, actor_unit, object_type, object_id, nomination_id, transition, from_state, to_state, "
            "comment, data, prev_hash, hash FROM workflow_auditevent WHERE seq = 3",
            [logged + 1],
        )
    replayed = event(logged + 1)
    message = broken()
    assert f"#{logged + 1} (id {replayed.id})" in message
    assert "bị chèn" in message


def test_an_event_appended_while_verifying_does_not_break_the_chain(
    logged: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """verify reads the head first; an event committed during the walk is checked like the others."""
    original = audit._events

    def events_with_a_concurrent_append() -> Iterator[AuditEvent]:
        with transaction.atomic():
            audit.record(kind=AuditEvent.Kind.OTHER, obj=builders.person("office1"), comment="đồng thời")
        return original()

    monkeypatch.setattr(audit, "_events", events_with_a_concurrent_append)
    result = audit.verify()
    assert result.ok and result.count == logged + 1
