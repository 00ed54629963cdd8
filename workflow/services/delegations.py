"""Delegation of the decision step: the Director lends it to a Deputy Director for a period."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nominations import roles
from nominations.access import Perm
from nominations.models import Delegation, Person, Role
from workflow.audit import log as audit
from workflow.base.errors import InvalidInput, NotPermitted, WrongState
from workflow.base.language import site_language
from workflow.models import AuditEvent
from workflow.notify import notifications
from workflow.services.common import require_active


def _as_datetime(value: Any, field: str, *, end: bool = False) -> datetime.datetime:
    """A moment from a datetime, a date (its start, or its end with `end`) or their ISO text."""
    if isinstance(value, str):
        text = value.strip()
        try:
            value = (
                datetime.date.fromisoformat(text)
                if len(text) == 10
                else datetime.datetime.fromisoformat(text)
            )
        except ValueError:
            raise InvalidInput(_("Thời điểm không hợp lệ (YYYY-MM-DD)."), field=field) from None
    if isinstance(value, datetime.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    if isinstance(value, datetime.date):
        moment = datetime.datetime.combine(value, datetime.time.max if end else datetime.time.min)
        return timezone.make_aware(moment)
    raise InvalidInput(_("Thời điểm không hợp lệ (YYYY-MM-DD)."), field=field)


def delegation_create(
    *, actor: Person, delegate: Person | None, starts: Any, ends: Any, note: str = ""
) -> Delegation:
    """The Director delegates the decision step to a Deputy Director for a period — nothing else, nobody else."""
    require_active(actor)
    if not roles.is_director(actor):
        raise NotPermitted(_("Chỉ Cục trưởng mới ủy quyền quyết định khen thưởng."))
    if delegate is None or not delegate.is_active or not roles.is_deputy_director(delegate):
        raise InvalidInput(_("Chỉ ủy quyền cho Phó Cục trưởng."), field="delegate")
    if delegate.pk == actor.pk:
        raise InvalidInput(_("Không tự ủy quyền cho chính mình."), field="delegate")
    starts_at = _as_datetime(starts, "starts_at")
    ends_at = _as_datetime(ends, "ends_at", end=True)
    if ends_at <= starts_at:
        raise InvalidInput(_("Thời điểm kết thúc phải sau thời điểm bắt đầu."), field="ends_at")
    if ends_at <= timezone.now():
        raise InvalidInput(_("Thời hạn ủy quyền đã qua."), field="ends_at")
    note = str(note or "").strip()[:300]
    with transaction.atomic():
        delegation = Delegation.objects.create(
            delegator=actor, delegate=delegate, starts_at=starts_at, ends_at=ends_at, note=note
        )
        audit.record(
            kind=AuditEvent.Kind.PERMISSION_GRANTED,
            obj=delegation,
            actor=actor,
            actor_role=Role.DIRECTOR,
            comment=note,
            data={
                "action": "delegation_created",
                "permission": Perm.DECIDE,
                "delegate": delegate.username,
                "starts_at": starts_at,
                "ends_at": ends_at,
            },
        )
        with site_language():
            notifications.queue(
                recipients=[delegate],
                subject=_("[Thi đua] Ủy quyền quyết định khen thưởng"),
                body=_(
                    "%(director)s ủy quyền cho bạn quyết định khen thưởng từ %(start)s đến %(end)s.\n%(note)s"
                )
                % {
                    "director": actor,
                    "start": f"{timezone.localtime(starts_at):%d/%m/%Y %H:%M}",
                    "end": f"{timezone.localtime(ends_at):%d/%m/%Y %H:%M}",
                    "note": note,
                },
            )
    return delegation


def delegation_revoke(*, delegation: Delegation, actor: Person, reason: str = "") -> Delegation:
    require_active(actor)
    if not roles.is_director(actor):
        raise NotPermitted(_("Chỉ Cục trưởng mới thu hồi ủy quyền."))
    with transaction.atomic():
        locked = Delegation.objects.select_for_update().select_related("delegate").get(pk=delegation.pk)
        if locked.revoked_at is not None:
            raise WrongState(_("Ủy quyền này đã bị thu hồi."))
        now = timezone.now()
        if locked.ends_at < now:
            raise WrongState(_("Ủy quyền này đã hết hạn."))
        locked.revoked_at = now
        locked.revoked_by = actor
        locked.save(update_fields=["revoked_at", "revoked_by"])
        audit.record(
            kind=AuditEvent.Kind.PERMISSION_REVOKED,
            obj=locked,
            actor=actor,
            actor_role=Role.DIRECTOR,
            comment=str(reason or "").strip(),
            data={
                "action": "delegation_revoked",
                "permission": Perm.DECIDE,
                "delegate": locked.delegate.username,
            },
        )
        with site_language():
            notifications.queue(
                recipients=[locked.delegate],
                subject=_("[Thi đua] Thu hồi ủy quyền quyết định khen thưởng"),
                body=_("%(director)s đã thu hồi ủy quyền quyết định khen thưởng của bạn.")
                % {"director": actor},
            )
    return locked
