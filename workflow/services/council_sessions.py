"""Council sessions: create, open, the agenda and the attendance (DOMAIN.md "Council voting").

Who may do what: see `workflow.services.council_common`. The session row is locked (`FOR NO KEY UPDATE`)
before an item is added or an attendance recorded, so nothing slips onto a session that is closing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nominations import roles
from nominations.models import Attendance, CouncilSession, Nomination, Role
from nominations.selectors.council import council_members_eligible
from workflow.base.errors import InvalidInput, NotPermitted, TransitionRefused, WrongState
from workflow.services.council_common import is_secretary, pk_of, require_secretary, session_event
from workflow.services.transitions import nomination_schedule


# --- sessions ----------------------------------------------------------------------------------------------
def council_session_create(
    *,
    actor: Any,
    name: str,
    date: Any,
    members: Iterable[Any],
    chair: Any = None,
    campaign: Any = None,
) -> CouncilSession:
    """A planned session (secretary or office staff). Members must be council members; the chair one of them."""
    if not (is_secretary(actor) or (roles.is_active(actor) and roles.is_office(actor))):
        raise NotPermitted(_("Chỉ Thư ký Hội đồng hoặc Phòng TC-HC được lập phiên họp."))
    name = str(name or "").strip()
    if not name:
        raise InvalidInput(_("Cần tên phiên họp."), field="name")
    if len(name) > 200:
        raise InvalidInput(_("Tên phiên họp không quá 200 ký tự."), field="name")
    if isinstance(date, str):
        try:
            date = datetime.date.fromisoformat(date.strip())
        except ValueError:
            date = None
    if isinstance(date, datetime.datetime) or not isinstance(date, datetime.date):
        raise InvalidInput(_("Ngày họp không hợp lệ (YYYY-MM-DD)."), field="date")
    if isinstance(members, str | bytes) or not isinstance(members, Iterable):
        raise InvalidInput(_("Danh sách thành viên không hợp lệ."), field="members")
    message = _("Danh sách thành viên không hợp lệ.")
    member_ids = {pk_of(m, "members", message) for m in members}
    if not member_ids:
        raise InvalidInput(_("Phiên họp cần ít nhất một thành viên."), field="members")
    people = list(council_members_eligible().filter(pk__in=member_ids))
    if len(people) != len(member_ids):
        raise InvalidInput(
            _("Chỉ chọn được thành viên Hội đồng Thi đua - Khen thưởng đang công tác."), field="members"
        )
    if chair is None or chair == "":
        chairs = [p for p in people if roles.is_council_chair(p)]
        if len(chairs) != 1:
            raise InvalidInput(_("Chọn Chủ tịch Hội đồng chủ trì phiên họp."), field="chair")
        chair_id = chairs[0].pk
    else:
        chair_id = pk_of(chair, "chair", _("Chủ tịch Hội đồng không hợp lệ."))
        if chair_id not in member_ids:
            raise InvalidInput(_("Chủ tịch Hội đồng phải là thành viên của phiên họp."), field="chair")
    campaign_id = (
        None if campaign in (None, "") else pk_of(campaign, "campaign", _("Phong trào không hợp lệ."))
    )
    with transaction.atomic():
        session = CouncilSession.objects.create(
            name=name, date=date, chair_id=chair_id, campaign_id=campaign_id, created_by=actor
        )
        session.members.set(people)
        session_event(
            session,
            actor,
            "session_create",
            role=Role.COUNCIL_SECRETARY if is_secretary(actor) else Role.OFFICE_STAFF,
            data={"members": sorted(member_ids), "chair": chair_id, "date": date.isoformat()},
        )
    return session


def council_session_open(*, session: CouncilSession, actor: Any) -> CouncilSession:
    require_secretary(actor)
    with transaction.atomic():
        current = CouncilSession.objects.select_for_update(no_key=True).get(pk=session.pk)
        if current.state != CouncilSession.State.PLANNED:
            raise WrongState(
                _("Chỉ khai mạc được phiên họp đang dự kiến (phiên họp này: %(state)s).")
                % {"state": current.get_state_display()}
            )
        current.state = CouncilSession.State.OPEN
        current.opened_at = timezone.now()
        current.save(update_fields=["state", "opened_at"])
        session_event(current, actor, "session_open", from_state=CouncilSession.State.PLANNED)
    return current


def council_agenda_add(
    *, session: CouncilSession, nomination: Nomination, actor: Any, comment: str = ""
) -> Nomination:
    """Put an evaluated nomination on the agenda, through the `schedule` transition.

    The session row is locked first so that an item cannot slip onto a session that is closing.
    """
    with transaction.atomic():
        current = CouncilSession.objects.select_for_update(no_key=True).get(pk=session.pk)
        if current.state == CouncilSession.State.CLOSED:
            raise WrongState(_("Phiên họp đã kết thúc: không thể thêm nội dung."))
        return nomination_schedule(nomination=nomination, actor=actor, session=current, comment=comment)


def council_attendance_record(*, session: CouncilSession, actor: Any, member: Any, mode: Any) -> Attendance:
    require_secretary(actor)
    if mode not in Attendance.Mode.values:
        raise InvalidInput(_("Hình thức tham dự không hợp lệ."), field="mode")
    member_id = pk_of(member, "member", _("Thành viên không hợp lệ."))
    with transaction.atomic():
        current = CouncilSession.objects.select_for_update(no_key=True).get(pk=session.pk)
        if current.state == CouncilSession.State.CLOSED:
            raise WrongState(_("Phiên họp đã kết thúc: biên bản đã chốt, không sửa điểm danh."))
        if not current.members.filter(pk=member_id).exists():
            raise InvalidInput(_("Người này không phải thành viên của phiên họp."), field="member")
        row, _created = Attendance.objects.update_or_create(
            session=current,
            member_id=member_id,
            defaults={"mode": mode, "recorded_by": actor, "recorded_at": timezone.now()},
        )
        session_event(current, actor, "attendance", data={"member": member_id, "mode": mode})
    return row


def council_agenda_add_many(
    *, session: CouncilSession, nominations: Sequence[Nomination], actor: Any, comment: str = ""
) -> list[Nomination]:
    """Put several evaluated nominations on the agenda in one transaction: all of them, or none.

    The session is locked first (as for one item), then each item goes through the `schedule`
    transition in primary-key order, the one lock order every batch uses.
    """
    if not nominations:
        raise InvalidInput(_("Chọn hồ sơ đã thẩm định."), field="nomination")
    with transaction.atomic():
        current = CouncilSession.objects.select_for_update(no_key=True).get(pk=session.pk)
        if current.state == CouncilSession.State.CLOSED:
            raise WrongState(_("Phiên họp đã kết thúc: không thể thêm nội dung."))
        done = []
        for nomination in sorted(nominations, key=lambda n: n.pk):
            try:
                done.append(
                    nomination_schedule(nomination=nomination, actor=actor, session=current, comment=comment)
                )
            except TransitionRefused as refusal:
                raise type(refusal)(
                    _("Hồ sơ “%(item)s”: %(reason)s Không hồ sơ nào được đưa vào phiên họp.")
                    % {"item": nomination, "reason": refusal.message}
                ) from refusal
    return done


def council_attendance_record_all(
    *, session: CouncilSession, actor: Any, modes: Mapping[Any, Any]
) -> list[Attendance]:
    """The secretary's one form: every member's attendance in one transaction — all of it, or none."""
    with transaction.atomic():
        return [
            council_attendance_record(session=session, actor=actor, member=member, mode=mode)
            for member, mode in modes.items()
        ]
