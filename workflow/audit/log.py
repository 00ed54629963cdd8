"""The tamper-evident audit log.

Each event is chained to the one before it: ``hash = HMAC(key, prev_hash ‖ canonical(event))``. The
key (``AUDIT_CHAIN_KEY``) is not in the database, so someone who can write to the database but not
read the server's configuration cannot recompute a consistent chain after editing, removing or
inserting a row. `verify` walks the chain in constant memory and names the first broken event.

One global chain orders every event, and no transaction touches its head (docs/decisions.md, "Audit
events written in one statement (branch chain)"). A transaction writes its events *waiting*, in one
INSERT: no place in the chain yet (``seq`` empty), each sealed on its own with the key
(``hash = HMAC(key, "pending" ‖ canonical(event))``). After commit its hook (`seal_pending`, once per
transaction) takes the head, holding nothing else, and chains every committed event that waits, oldest
id first, in one UPDATE; a writer whose events the holder of the head has already chained finds none
left. So the head is held only by these short after-commit batches, never by a transaction that changes
anything else. `audit_checkpoint` chains what a process that died between its commit and its hook left.
Readers list events in `CHAIN_ORDER`: the chained ones by ``seq``, then the waiting ones by id.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F, Func, Model, OrderBy, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from workflow.base.context import current_actor
from workflow.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64

# How to list events in the order of the chain, those still waiting for their place (`seq` empty, for a
# few milliseconds after their commit) after the chained ones, in the order they were written. For the
# events of one nomination (or session) this is the order they happened in: their transactions are
# ordered by the row's lock, and so are their ids.
CHAIN_ORDER: tuple[OrderBy | str, ...] = (F("seq").asc(nulls_last=True), "id")
NEWEST_FIRST: tuple[OrderBy | str, ...] = (F("seq").desc(nulls_first=True), "-id")


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


PENDING = "pending"


def pending_hash(event: AuditEvent) -> str:
    """The seal of an event waiting for its place in the chain (its `seq` is still empty)."""
    return compute_hash(PENDING, event)


def _seal_waiting(head: AuditChainHead) -> int:
    """Chain every committed event that waits, oldest first, under the locked `head`; how many.

    A waiting event whose own seal does not hold (forged, or a copy of one already chained) is left
    waiting: `verify` names it.
    """
    seen: set[str] = set()
    sealed = []
    for event in AuditEvent.objects.filter(seq__isnull=True).order_by("id"):
        if event.hash in seen or not hmac.compare_digest(event.hash, pending_hash(event)):
            continue
        seen.add(event.hash)
        sealed.append(event)
    if not sealed:
        return 0
    seq, prev = head.seq, head.hash
    for event in sealed:
        seq += 1
        event.seq = seq
        event.prev_hash = prev
        event.hash = prev = compute_hash(prev, event)
    head.seq, head.hash = seq, prev
    # AuditEvent's manager refuses updates; placing waiting events is the chain's one update (the
    # PostgreSQL trigger allows exactly this: an empty `seq` filled, every other column unchanged).
    # One statement for the batch (a CASE per column), and only rows still waiting are touched.
    QuerySet[AuditEvent](AuditEvent).filter(seq__isnull=True).bulk_update(
        sealed, ["seq", "prev_hash", "hash"], batch_size=1000
    )
    head.save(update_fields=["seq", "hash"])
    return len(sealed)


def seal_pending() -> int:
    """Chain the events that wait, in a transaction of its own that waits for the head; how many.

    Run after the commit of every transaction that wrote events (`_seal_after_commit`), and by
    `audit_checkpoint` for events left waiting by a process that died between its commit and its hook.
    """
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:  # the very first event
            head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        return _seal_waiting(head)


def _seal_after_commit() -> None:
    seal_pending()


def _schedule_sealing() -> None:
    """Chain after commit, once per transaction however many events it wrote (a savepoint rolled back
    takes its hook with it, so the list itself says whether one is still to come)."""
    connection = transaction.get_connection()
    if not any(hook is _seal_after_commit for _sids, hook, _robust in connection.run_on_commit):
        transaction.on_commit(_seal_after_commit, robust=True)


def _append(events: list[AuditEvent]) -> None:
    """Insert `events` waiting, each sealed on its own: the transaction's one statement for its log.
    They are chained, in order, after commit."""
    for event in events:
        event.seq = None
        event.prev_hash = ""
        event.hash = pending_hash(event)
    # AuditEvent's manager refuses bulk_create so that nothing else appends; this is the chain's own append.
    if len(events) == 1:
        events[0].save(force_insert=True)
    else:
        QuerySet[AuditEvent](AuditEvent).bulk_create(events, batch_size=1000)
    _schedule_sealing()


def event_count() -> int:
    """How many events the log holds, read from the chain rather than counted: the chained events are
    numbered 1 to the head's `seq` without a gap (`verify` names any gap as an event removed), so they are
    that many; the waiting ones, a few for a few milliseconds, are counted through their partial index.
    One statement, so one snapshot: an event chained meanwhile is not counted twice or missed. Counting a
    million rows took ~70 ms on PostgreSQL, on every page of the log (bench/NOTES.md)."""
    waiting = AuditEvent.objects.filter(seq__isnull=True).order_by().values(n=Func(F("id"), function="COUNT"))
    total = list(
        AuditChainHead.objects.filter(pk=1)
        .annotate(total=F("seq") + Subquery(waiting))
        .values_list("total", flat=True)
    )
    return int(total[0]) if total else AuditEvent.objects.count()  # no head: nothing chained yet


class LogPaginator(Paginator):
    """Pages of audit events, which know the size of the whole log without counting it (`event_count`);
    a filtered list is counted as usual."""

    @cached_property
    def count(self) -> int:
        events = self.object_list
        if isinstance(events, QuerySet) and events.model is AuditEvent and not events.query.has_filters():
            return event_count()
        return super().count


_UNIT_CODE = "_audit_unit_code"  # on the actor: (unit_id, code), for the rest of the request


def remember_actor_unit(actor: Any, code: str | None) -> None:
    """Keep the actor's unit code, read by the caller in a statement it runs anyway (a transition's row
    lock), so the events of this request need not read the unit (`request.user` comes without it)."""
    if actor is not None and code is not None and getattr(actor, "unit_id", None) is not None:
        actor.__dict__[_UNIT_CODE] = (actor.unit_id, code)


def actor_unit_code_known(actor: Any) -> bool:
    remembered = actor.__dict__.get(_UNIT_CODE) if actor is not None else None
    return remembered is not None and remembered[0] == getattr(actor, "unit_id", None)


def actor_unit_code(actor: Any) -> str:
    """The code of the actor's unit, as the event records it: remembered for this actor object, or read.

    Kept per actor object, i.e. per request, and tied to `unit_id`: a person moved to another unit
    (their `unit_id` changed on this object) has their new unit read again."""
    if actor is None:
        return ""
    if actor_unit_code_known(actor):
        return str(actor.__dict__[_UNIT_CODE][1])
    unit = getattr(actor, "unit", None)
    code = unit.code if unit is not None else ""
    remember_actor_unit(actor, code)
    return code


def event_of(
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
    """An event not yet chained nor saved (`record` and `record_many` chain and save it)."""
    if actor is None:
        actor = current_actor.get()
    return AuditEvent(
        at=timezone.now(),
        kind=kind,
        actor=actor,
        actor_name=(actor.get_full_name() if actor is not None else "hệ thống"),
        actor_role=actor_role,
        actor_unit=actor_unit_code(actor),
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        nomination=nomination,
        transition=transition_name,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        data=json.loads(json.dumps(data or {}, default=str)),
    )


def record_many(events: list[AuditEvent]) -> list[AuditEvent]:
    """Append several events (made by `event_of`) in order, chained exactly as `record` chains one: one lock
    of the chain head and one bulk insert, for a bulk write such as an import of thousands of rows."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record_many must run inside the transaction of the change it records")
    if not events:
        return []
    _append(events)
    return events


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
    event = event_of(
        kind=kind,
        obj=obj,
        actor=actor,
        actor_role=actor_role,
        nomination=nomination,
        transition_name=transition_name,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        data=data,
    )
    _append([event])
    return event


@dataclass(frozen=True)
class Break:
    """The first event that does not fit: `kind` is "altered", "removed" or "inserted"."""

    seq: int | None  # None: an event still waiting for its place in the chain
    event_id: int | None
    kind: str
    problem: str

    def __str__(self) -> str:
        where = _("sự kiện chờ niêm phong") if self.seq is None else _("sự kiện #%(seq)s") % {"seq": self.seq}
        if self.event_id is not None:
            where += f" (id {self.event_id})"
        return f"{where}: {self.problem}"


@dataclass(frozen=True)
class VerifyResult:
    count: int
    first_break: Break | None
    waiting: int = 0  # of `count`: committed, sealed on their own, not yet placed in the chain

    @property
    def ok(self) -> bool:
        return self.first_break is None


def _events() -> Iterator[AuditEvent]:
    return AuditEvent.objects.filter(seq__isnull=False).order_by("seq").iterator(chunk_size=2000)


def _check_waiting(count: int) -> VerifyResult:
    """After the chain: every event still waiting must carry its own seal, once."""
    waiting = 0
    previous = ""
    # In hash order a copy follows its original: constant memory, however many rows wait.
    for event in AuditEvent.objects.filter(seq__isnull=True).order_by("hash", "id").iterator(chunk_size=2000):
        waiting += 1
        if event.hash == previous:
            problem = _("bị chèn (bản sao của một sự kiện đang chờ niêm phong)")
            return VerifyResult(count + waiting, Break(None, event.id, "inserted", problem), waiting)
        if not hmac.compare_digest(event.hash, pending_hash(event)):
            problem = _("bị sửa hoặc bị chèn (mã băm không do hệ thống tạo)")
            return VerifyResult(count + waiting, Break(None, event.id, "inserted", problem), waiting)
        previous = event.hash
    return VerifyResult(count + waiting, None, waiting)


def _judge(
    event: AuditEvent, following: AuditEvent | None, prev_hash: str, head_seq: int
) -> tuple[str, str] | None:
    """What is wrong with `event`, given the hash it must link to; None if it fits the chain."""
    links = event.prev_hash == prev_hash
    genuine = hmac.compare_digest(event.hash, compute_hash(event.prev_hash, event))
    if links and genuine:
        return None
    if genuine:
        # A real event, sealed with the key, but for another place in the chain: moved or replayed.
        return "inserted", _("bị chèn sai thứ tự (sự kiện thật nhưng không nối tiếp sự kiện liền trước)")
    if (event.seq or 0) > head_seq:
        return "inserted", _(
            "bị chèn thêm sau sự kiện cuối cùng đã niêm phong (mã băm không do hệ thống tạo)"
        )
    if following is not None and following.id < event.id:
        # Rows are inserted one at a time in chain order, so their ids grow with `seq`: a row whose
        # id is newer than the next event's was put in afterwards.
        return "inserted", _("bị chèn sai thứ tự (thêm vào sau, giữa các sự kiện đã có; mã băm không khớp)")
    return "altered", _("bị sửa hoặc giả mạo (nội dung không còn khớp với mã băm)")


def verify() -> VerifyResult:
    """Walk the whole chain once, streaming, and report the first event that does not fit.

    The head is read first: events appended while the walk runs are checked like the others (only
    the key can seal one), so a concurrent transition never makes a sound chain look broken.
    """
    head = AuditChainHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    expected_seq = 1
    prev_hash = GENESIS
    count = 0
    events = _events()
    event = next(events, None)
    while event is not None:
        following = next(events, None)
        count += 1
        seq = event.seq or 0  # _events() reads chained events only
        if seq < expected_seq:
            return VerifyResult(
                count,
                Break(
                    event.seq, event.id, "inserted", _("bị chèn sai thứ tự (trùng vị trí với sự kiện khác)")
                ),
            )
        if seq > expected_seq:
            problem = _("bị xóa (chuỗi nhảy từ #%(last)s sang #%(next)s)") % {
                "last": expected_seq - 1,
                "next": event.seq,
            }
            return VerifyResult(count, Break(expected_seq, None, "removed", problem))
        judged = _judge(event, following, prev_hash, head_seq)
        if judged is None and event.seq == head_seq and event.hash != head_hash:
            judged = ("altered", _("không khớp với đầu chuỗi đã niêm phong"))
        if judged is not None:
            return VerifyResult(count, Break(event.seq, event.id, *judged))
        prev_hash = event.hash
        expected_seq += 1
        event = following
    if head_seq >= expected_seq:
        problem = _("bị xóa (nhật ký dừng ở #%(last)s, đầu chuỗi ở #%(head)s)") % {
            "last": expected_seq - 1,
            "head": head_seq,
        }
        return VerifyResult(count, Break(expected_seq, None, "removed", problem))
    return _check_waiting(count)
