"""Signed checkpoints catch what the HMAC chain alone cannot: a log cut at its end, wiped, or re-sealed by
someone holding the chain key (workflow/audit/checkpoints.py, API.md "Audit checkpoints")."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from tests.audit.test_audit_log import logged, module_log, sql, triggers_disabled
from workflow.audit import checkpoints
from workflow.audit import log as audit
from workflow.models import AuditChainHead, AuditEvent

pytestmark = pytest.mark.django_db
__all__ = ["logged", "module_log"]  # the module's audit log fixtures, shared with test_audit_log


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("checkpoint-keys")
    for name in ("current", "retired", "stranger"):
        checkpoints.generate_key_pair(folder / f"{name}.pem", folder / f"{name}.pub.pem")
    return {name: folder / name for name in ("current", "retired", "stranger")}


def sign(settings: Any, keys: dict[str, Path], tmp_path: Path, key: str = "current", name: str = "") -> Path:
    settings.AUDIT_CHECKPOINT_SIGNING_KEY = f"{keys[key]}.pem"
    output = tmp_path / (name or f"checkpoint-{key}.json")
    call_command("audit_checkpoint", "--output", str(output), stdout=io.StringIO(), stderr=io.StringIO())
    return output


def verify(*files: Path, public: list[Path]) -> str:
    """verify_audit's output when it passes; raises CommandError (exit 1) with its message when not."""
    out = io.StringIO()
    arguments: list[str] = []
    if files:
        arguments += ["--checkpoint", *map(str, files)]
    for key in public:
        arguments += ["--public-key", f"{key}.pub.pem"]
    call_command("verify_audit", *arguments, stdout=out)
    return out.getvalue()


def fails(*files: Path, public: list[Path]) -> str:
    with pytest.raises(CommandError) as caught:
        verify(*files, public=public)
    assert caught.value.returncode == 1
    return str(caught.value)


EVENT_IDS = "SELECT id FROM workflow_auditevent"


# --- what a database administrator holding the chain key could do ---------------------------------
def reseal_from(seq: int) -> None:
    """Recompute every hash from `seq` on with the chain key, and move the head: a sound-looking chain."""
    previous = AuditEvent.objects.filter(seq=seq - 1).values_list("hash", flat=True).first() or audit.GENESIS
    for event in AuditEvent.objects.filter(seq__gte=seq).order_by("seq"):
        digest = audit.compute_hash(previous, event)
        sql(
            "UPDATE workflow_auditevent SET prev_hash = %s, hash = %s WHERE id = %s",
            [previous, digest, event.id],
        )
        previous = digest
    last = AuditEvent.objects.order_by("-seq").first()
    AuditChainHead.objects.filter(pk=1).update(seq=last.seq if last else 0, hash=previous)


def truncate_tail(drop: int = 3) -> None:
    keep = AuditEvent.objects.count() - drop
    with triggers_disabled():
        sql(f"DELETE FROM workflow_notification WHERE event_id IN ({EVENT_IDS} WHERE seq > %s)", [keep])
        sql("DELETE FROM workflow_auditevent WHERE seq > %s", [keep])
    last = AuditEvent.objects.get(seq=keep)
    AuditChainHead.objects.filter(pk=1).update(seq=keep, hash=last.hash)


def wipe() -> None:
    with triggers_disabled():
        sql("DELETE FROM workflow_notification WHERE event_id IS NOT NULL")
        sql("DELETE FROM workflow_auditevent")
    AuditChainHead.objects.all().delete()


def rewrite() -> None:
    with triggers_disabled():
        sql("UPDATE workflow_auditevent SET comment = 'đã sửa lại' WHERE seq = 5")
        reseal_from(5)


def reorder() -> None:
    with triggers_disabled():
        sql("UPDATE workflow_auditevent SET seq = 1000000 WHERE seq = 6")
        sql("UPDATE workflow_auditevent SET seq = 6 WHERE seq = 7")
        sql("UPDATE workflow_auditevent SET seq = 7 WHERE seq = 1000000")
        reseal_from(6)


def insert() -> None:
    with triggers_disabled():
        sql("UPDATE workflow_auditevent SET seq = seq + 1000000 WHERE seq >= 4")
        sql("UPDATE workflow_auditevent SET seq = seq - 999999 WHERE seq >= 1000000")
        columns = (
            "at, kind, actor_id, actor_name, actor_role, actor_unit, object_type, object_id, "
            "nomination_id, transition, from_state, to_state, comment, data"
        )
        sql(
            f"INSERT INTO workflow_auditevent (seq, {columns}, prev_hash, hash) "
            f"SELECT 4, {columns}, prev_hash, hash FROM workflow_auditevent WHERE seq = 2"
        )
        reseal_from(4)


TAMPERING: dict[str, Callable[[], None]] = {
    "truncate the tail and rewind the head": truncate_tail,
    "wipe the log and its head": wipe,
    "rewrite an event and re-seal the chain": rewrite,
    "reorder two events and re-seal": reorder,
    "insert an event and re-seal": insert,
}


@pytest.mark.parametrize("tamper", TAMPERING.values(), ids=TAMPERING.keys())
def test_without_a_checkpoint_such_tampering_looks_sound(logged: int, tamper: Callable[[], None]) -> None:
    """Why checkpoints exist: each of these leaves a chain that verifies on its own."""
    tamper()
    assert verify(public=[]).startswith("OK ")


@pytest.mark.parametrize("tamper", TAMPERING.values(), ids=TAMPERING.keys())
def test_a_checkpoint_catches_it_and_names_the_checkpoint(
    logged: int, settings: Any, keys: dict[str, Path], tmp_path: Path, tamper: Callable[[], None]
) -> None:
    checkpoint = sign(settings, keys, tmp_path)
    assert verify(checkpoint, public=[keys["current"]]) == f"OK {logged} events\nOK checkpoint {checkpoint}\n"
    tamper()
    message = fails(checkpoint, public=[keys["current"]])
    assert f"BROKEN checkpoint {checkpoint}" in message
    assert f"sealed {logged} events" in message or f"sealed event #{logged}" in message


def test_a_later_log_extends_the_checkpoint_and_passes(
    logged: int, settings: Any, keys: dict[str, Path], tmp_path: Path, people: Any
) -> None:
    checkpoint = sign(settings, keys, tmp_path)
    with transaction.atomic():
        audit.record(kind=AuditEvent.Kind.OTHER, obj=people["office1"], comment="sau điểm kiểm tra")
    audit.seal_pending()  # what its transaction's hook does after commit (this test's is rolled back)
    assert (
        verify(checkpoint, public=[keys["current"]])
        == f"OK {logged + 1} events\nOK checkpoint {checkpoint}\n"
    )


def test_each_failing_checkpoint_is_named_and_the_sound_ones_pass(
    logged: int, settings: Any, keys: dict[str, Path], tmp_path: Path
) -> None:
    early = tmp_path / "early.json"
    body = json.loads(sign(settings, keys, tmp_path).read_text())
    late = sign(settings, keys, tmp_path, name="late.json")
    # An earlier checkpoint of the same log: re-signed at count 10 (what an hourly timer would have made).
    signing = checkpoints.load_private_key(f"{keys['current']}.pem")
    earlier = checkpoints.Checkpoint(
        origin=body["origin"],
        count=10,
        hash=AuditEvent.objects.get(seq=10).hash,
        time=body["time"],
        key_id=body["key_id"],
    )
    early.write_text(
        checkpoints.Checkpoint(
            **{
                **earlier.__dict__,
                "signature": base64.b64encode(signing.sign(earlier.signed_text())).decode(),
            }
        ).to_json()
    )
    truncate_tail(drop=2)
    message = fails(early, late, public=[keys["current"]])
    assert f"checkpoint {late}" in message and f"checkpoint {early}" not in message


def test_a_forged_checkpoint_is_refused(
    logged: int, settings: Any, keys: dict[str, Path], tmp_path: Path
) -> None:
    checkpoint = sign(settings, keys, tmp_path)
    truncate_tail()
    # The intruder rewrites the checkpoint to match the shortened log, but cannot sign it.
    body = json.loads(checkpoint.read_text())
    head = AuditChainHead.objects.get(pk=1)
    body.update(count=head.seq, hash=head.hash)
    checkpoint.write_text(json.dumps(body))
    message = fails(checkpoint, public=[keys["current"]])
    assert "signature is not valid" in message and str(checkpoint) in message


def test_a_checkpoint_signed_by_another_key_is_refused(
    logged: int, settings: Any, keys: dict[str, Path], tmp_path: Path
) -> None:
    checkpoint = sign(settings, keys, tmp_path, key="stranger")
    message = fails(checkpoint, public=[keys["current"]])
    assert "unknown key" in message and str(checkpoint) in message


def test_after_rotation_the_retired_public_key_still_verifies_old_checkpoints(
    logged: int, settings: Any, keys: dict[str, Path], tmp_path: Path
) -> None:
    old = sign(settings, keys, tmp_path, key="retired")
    new = sign(settings, keys, tmp_path, key="current")
    assert json.loads(old.read_text())["key_id"] != json.loads(new.read_text())["key_id"]
    settings.AUDIT_CHECKPOINT_PUBLIC_KEYS = [f"{keys['current']}.pub.pem", f"{keys['retired']}.pub.pem"]
    out = io.StringIO()
    call_command("verify_audit", "--checkpoint", str(old), str(new), stdout=out)
    assert out.getvalue().count("OK checkpoint") == 2


@pytest.mark.parametrize("content", ["", "{}", '{"format": "thidua-audit-checkpoint/1", "count": "many"}'])
def test_an_unreadable_checkpoint_is_named(
    logged: int, keys: dict[str, Path], tmp_path: Path, content: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    assert f"BROKEN checkpoint {bad}" in fails(bad, public=[keys["current"]])


def test_no_checkpoint_is_signed_over_a_broken_chain(
    logged: int, settings: Any, keys: dict[str, Path], tmp_path: Path
) -> None:
    with triggers_disabled():
        sql("UPDATE workflow_auditevent SET comment = 'sửa' WHERE seq = 3")
    with pytest.raises(CommandError, match="broken"):
        sign(settings, keys, tmp_path)
    assert not (tmp_path / "checkpoint-current.json").exists()


def test_without_a_signing_key_the_command_names_the_variable(
    logged: int, settings: Any, tmp_path: Path
) -> None:
    settings.AUDIT_CHECKPOINT_SIGNING_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="AUDIT_CHECKPOINT_SIGNING_KEY"):
        call_command("audit_checkpoint", "--output", str(tmp_path / "x.json"))


def test_the_checkpoint_holds_count_hash_time_and_key_id(
    logged: int, settings: Any, keys: dict[str, Path], tmp_path: Path
) -> None:
    body = json.loads(sign(settings, keys, tmp_path).read_text())
    head = AuditChainHead.objects.get(pk=1)
    assert (body["count"], body["hash"], body["origin"]) == (logged, head.hash, settings.AUDIT_LOG_ORIGIN)
    assert body["time"].endswith("Z") and len(body["key_id"]) == 16 and body["signature"]


def test_without_a_public_key_verify_audit_says_which_to_give(
    logged: int, settings: Any, keys: dict[str, Path], tmp_path: Path
) -> None:
    checkpoint = sign(settings, keys, tmp_path)
    settings.AUDIT_CHECKPOINT_PUBLIC_KEYS = []
    with pytest.raises(CommandError, match="AUDIT_CHECKPOINT_PUBLIC_KEYS") as caught:
        verify(checkpoint, public=[])
    assert caught.value.returncode == 2
    settings.AUDIT_CHECKPOINT_PUBLIC_KEYS = [str(tmp_path / "missing.pem")]
    with pytest.raises(CommandError, match=r"missing\.pem"):
        verify(checkpoint, public=[])
