"""Complaints (khiếu nại) about a published result: lodged, the item held; resolved, the hold released.

Each write runs in one transaction with its audit event, and runs the transitions it needs (hold, release).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nominations.access import Perm, holds, people_holding
from nominations.models import Complaint, Nomination, Person, Role, State
from nominations.rules.publicity import latest_notice
from workflow.audit import log as audit
from workflow.base.errors import InvalidInput, NotPermitted, WrongState
from workflow.base.language import site_language
from workflow.models import AuditEvent
from workflow.notify import notifications
from workflow.services.common import require_active, required_text, site_url
from workflow.services.transitions import Authority, run_transition

COMPLAINANT_ROLE = "complainant"
# A complaint in the notice period puts the item on hold, whoever lodges it (ND152 Art. 4): the
# complaint service — never a page or API call of `hold` — runs the hold on this ground, as the system.
# Who complained is named only in the complaint's own audit event, which is kept off the nomination's
# timeline (its unit head reads that timeline): the office and the auditor see it, the nominee's unit not.
COMPLAINT_HOLD = Authority(role="system", reason="complaint", transitions=frozenset({"hold"}))


def complaint_lodge(*, nomination: Nomination, actor: Person, text: str) -> Complaint:
    """Any member of staff contests a published result during its notice period; the item goes on hold."""
    require_active(actor)
    text = required_text(text, "text", _("Cần nêu nội dung khiếu nại."))
    today = timezone.localdate()
    with transaction.atomic():
        locked = Nomination.objects.select_for_update().select_related("award").get(pk=nomination.pk)
        notice = latest_notice(locked)
        if notice is None:
            raise WrongState(_("Kết quả của hồ sơ này không được công khai."))
        if not notice.is_running(today):
            raise WrongState(
                _("Thời gian công khai đã kết thúc ngày %(end)s: không còn nhận khiếu nại.")
                % {"end": f"{notice.ends_on:%d/%m/%Y}"}
            )
        if locked.state not in (State.PROPOSED, State.ON_HOLD):
            raise WrongState(
                _("Không thể khiếu nại khi hồ sơ đang ở trạng thái “%(state)s”.")
                % {"state": State(locked.state).label}
            )
        if Complaint.objects.filter(nomination=locked, lodged_by=actor, state=Complaint.State.OPEN).exists():
            raise WrongState(_("Bạn đã có khiếu nại về hồ sơ này đang được giải quyết."))
        complaint = Complaint.objects.create(nomination=locked, notice=notice, lodged_by=actor, text=text)
        audit.record(
            kind=AuditEvent.Kind.OTHER,
            obj=complaint,
            actor=actor,
            actor_role=COMPLAINANT_ROLE,
            comment=text,
            data={"action": "complaint_lodged", "nomination": locked.pk, "notice": notice.pk},
        )
        if locked.state == State.PROPOSED:
            with site_language():
                comment = _("Có khiếu nại #%(id)s trong thời gian công khai kết quả.") % {"id": complaint.pk}
            run_transition(
                "hold",
                nomination=locked,
                actor=actor,
                comment=comment,
                authority=COMPLAINT_HOLD,
                audit_data={"complaint": complaint.pk},
            )
        office = list(people_holding(Perm.REVIEW, locked))
        with site_language():
            notifications.queue(
                recipients=office,
                subject=_("[Thi đua] Khiếu nại về kết quả công khai: %(nominee)s — %(award)s")
                % {"nominee": locked.nominee, "award": locked.award.name},
                body=_("Có khiếu nại mới (#%(id)s) cần giải quyết:\n%(text)s\nXem: %(url)s")
                % {
                    "id": complaint.pk,
                    "text": text,
                    "url": site_url("participation:complaint_detail", complaint.pk),
                },
            )
    return complaint


def _held_by_complaint(nomination: Nomination) -> bool:
    """Was the nomination's current hold put on by a complaint (not by the office for another reason)?"""
    last_hold = (
        AuditEvent.objects.filter(
            nomination=nomination, kind=AuditEvent.Kind.TRANSITION, to_state=State.ON_HOLD
        )
        .order_by(*audit.NEWEST_FIRST)
        .first()
    )
    return last_hold is not None and last_hold.data.get("authority") == COMPLAINT_HOLD.reason


def complaint_resolve(*, complaint: Complaint, actor: Person, upheld: Any, resolution: str) -> Complaint:
    """The office decides a complaint. The last one resolved releases a hold that complaints put on.

    `release` always leads to `submitted` (DOMAIN.md): upheld, the office reviews the item afresh;
    dismissed, it is re-evaluated and goes back to the council — see docs/participation.md.
    """
    require_active(actor)
    if not isinstance(upheld, bool):
        raise InvalidInput(_("Cần cho biết khiếu nại có cơ sở hay không."), field="upheld")
    resolution = required_text(resolution, "resolution", _("Cần nêu kết quả giải quyết."))
    outcome = Complaint.State.UPHELD if upheld else Complaint.State.DISMISSED
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        nomination = (
            Nomination.objects.select_for_update().select_related("award").get(pk=locked.nomination_id)
        )
        if not holds(actor, Perm.REVIEW, nomination):
            raise NotPermitted(_("Chỉ Phòng Tổ chức - Hành chính mới giải quyết khiếu nại."))
        if not locked.is_open:
            raise WrongState(_("Khiếu nại này đã được giải quyết."))
        locked.state = outcome
        locked.resolved_by = actor
        locked.resolved_at = timezone.now()
        locked.resolution = resolution
        locked.save(update_fields=["state", "resolved_by", "resolved_at", "resolution"])
        audit.record(
            kind=AuditEvent.Kind.OTHER,
            obj=locked,
            actor=actor,
            actor_role=Role.OFFICE_STAFF,
            comment=resolution,
            data={"action": "complaint_resolved", "nomination": nomination.pk, "outcome": outcome},
        )
        others_open = (
            Complaint.objects.filter(nomination=nomination, state=Complaint.State.OPEN)
            .exclude(pk=locked.pk)
            .exists()
        )
        if not others_open and nomination.state == State.ON_HOLD and _held_by_complaint(nomination):
            with site_language():
                comment = _("Đã giải quyết khiếu nại #%(id)s: %(outcome)s.") % {
                    "id": locked.pk,
                    "outcome": Complaint.State(outcome).label,
                }
            nomination = run_transition(
                "release",
                nomination=nomination,
                actor=actor,
                comment=comment,
                audit_data={"complaint": locked.pk, "outcome": outcome},
            )
        told = [locked.lodged_by] if locked.lodged_by.is_active else []
        if upheld:
            told += [p for p in people_holding(Perm.SUBMIT, nomination) if p.pk != locked.lodged_by_id]
        with site_language():
            notifications.queue(
                recipients=told,
                subject=_("[Thi đua] Kết quả giải quyết khiếu nại #%(id)s: %(outcome)s")
                % {"id": locked.pk, "outcome": Complaint.State(outcome).label},
                body=_("Khiếu nại về hồ sơ %(award)s — %(nominee)s: %(outcome)s.\n%(resolution)s")
                % {
                    "award": nomination.award.name,
                    "nominee": nomination.nominee,
                    "outcome": Complaint.State(outcome).label,
                    "resolution": resolution,
                },
            )
    return locked
