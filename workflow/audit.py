"""The tamper-evident audit log.

Each event is chained to the one before it: ``hash = HMAC(key, prev_hash ‖ canonical(event))``. The
key (``AUDIT_CHAIN_KEY``) is not in the database, so someone who can write to the database but not
read the server's configuration cannot recompute a consistent chain after editing, removing or
inserting a row. `verify` walks the chain in constant memory and names the first broken event.

One global chain orders every event. Its head row is locked only for the insert itself, taken as the
last step of a transition's transaction, so transitions of different nominations wait on each other
only for the few statements between that insert and the commit (measured in bench/).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from workflow.context import current_actor
from workflow.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64


def _canonical(event: AuditEvent) -> bytes:
    payload = {
        "seq": event.seq,
        "at": event.at.isoformat(),
        "kind": event.kind,
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "actor_role": event.actor_role,
        "actor_unit": event.actor_unit,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "nomination": event.nomination_id,
        "transition": event.transition,
        "from": event.from_state,
        "to": event.to_state,
        "comment": event.comment,
        "data": event.data,
    }
    return json.dumps(
        payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    ).encode()


def compute_hash(prev_hash: str, event: AuditEvent) -> str:
    key = settings.AUDIT_CHAIN_KEY.encode()
    return hmac.new(key, prev_hash.encode() + b"|" + _canonical(event), hashlib.sha256).hexdigest()


def record(
    *,
    kind: str,
    obj: Model,
    actor: Any = None,
    actor_role: str = "",
    nomination: Any = None,
    transition_name: str = "",
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. Must run inside the transaction of the change it records."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must run inside the transaction of the change it records")
    if actor is None:
        actor = current_actor.get()
    unit = getattr(actor, "unit", None) if actor is not None else None
    event = AuditEvent(
        at=timezone.now(),
        kind=kind,
        actor=actor,
        actor_name=(actor.get_full_name() if actor is not None else "hệ thống"),
        actor_role=actor_role,
        actor_unit=unit.code if unit is not None else "",
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        nomination=nomination,
        transition=transition_name,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        data=json.loads(json.dumps(data or {}, default=str)),
    )
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    event.seq = head.seq + 1
    event.prev_hash = head.hash
    event.hash = compute_hash(head.hash, event)
    event.save(force_insert=True)
    head.seq = event.seq
    head.hash = event.hash
    head.save(update_fields=["seq", "hash"])
    return event


@dataclass(frozen=True)
class Break:
    seq: int
    event_id: int | None
    problem: str

    def __str__(self) -> str:
        where = f"event #{self.seq}" + (f" (id {self.event_id})" if self.event_id is not None else "")
        return f"{where}: {self.problem}"


@dataclass(frozen=True)
class VerifyResult:
    count: int
    first_break: Break | None

    @property
    def ok(self) -> bool:
        return self.first_break is None


def _events() -> Iterator[AuditEvent]:
    return AuditEvent.objects.order_by("seq").iterator(chunk_size=2000)


def verify() -> VerifyResult:
    """Walk the whole chain once, streaming, and report the first event that does not fit."""
    expected_seq = 1
    prev_hash = GENESIS
    count = 0
    for event in _events():
        count += 1
        if event.seq < expected_seq:
            return VerifyResult(
                count, Break(event.seq, event.id, "inserted out of order (duplicate position)")
            )
        if event.seq > expected_seq:
            return VerifyResult(
                count,
                Break(
                    expected_seq, None, f"removed (the chain jumps from #{expected_seq - 1} to #{event.seq})"
                ),
            )
        if event.prev_hash != prev_hash:
            return VerifyResult(
                count,
                Break(event.seq, event.id, "inserted out of order (does not link to the event before it)"),
            )
        if not hmac.compare_digest(event.hash, compute_hash(prev_hash, event)):
            return VerifyResult(
                count, Break(event.seq, event.id, "altered (its content no longer matches its hash)")
            )
        prev_hash = event.hash
        expected_seq += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    if head_seq > count:
        return VerifyResult(
            count, Break(count + 1, None, f"removed (the log ends at #{count}, its head at #{head_seq})")
        )
    if head_seq < count or head_hash != prev_hash:
        return VerifyResult(count, Break(head_seq + 1, None, "inserted after the last sealed event"))
    return VerifyResult(count, None)
