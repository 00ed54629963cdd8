"""Secret ballots: a member's online ballot and the secretary's entry of a written one (docs/voting.md).

Concurrency: a ballot locks its agenda item's row; closing locks the session (`FOR NO KEY UPDATE`,
which the ballots' foreign-key checks do not wait for) and then every agenda item, so a ballot either
commits before the count reads the box, or waits and then finds the session closed. The unique
constraint on participation stops a second ballot even if two of the same member's requests race.
"""

from __future__ import annotations

import base64
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from nominations import roles
from nominations.models import (
    BallotParticipation,
    BallotReceipt,
    Choice,
    CouncilSession,
    Nomination,
    Role,
    SealedBallot,
    State,
)
from workflow.audit import log as audit
from workflow.base.errors import Conflict, InvalidInput, NotPermitted, WrongState
from workflow.models import AuditEvent
from workflow.process.sync import ballot_task_finish
from workflow.services.ballot_seal import seal
from workflow.services.council_common import pk_of, require_secretary


def _clean_choice(choice: Any) -> str:
    if choice not in Choice.values:
        raise InvalidInput(_("Chọn Tán thành, Không tán thành hoặc Không biểu quyết."), field="choice")
    return str(choice)


def _new_receipt() -> str:
    """120 random bits as 24 letters and digits in groups of four (easy to note down and read back)."""
    text = base64.b32encode(secrets.token_bytes(15)).decode()
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


# --- ballots -----------------------------------------------------------------------------------------------
def ballot_cast(*, session: CouncilSession, nomination: Any, voter: Any, choice: Any) -> str:
    """A member's secret ballot on one agenda item. Returns the receipt (shown once, stored only hashed)."""
    # One statement says both whether they sit on the session and their unit's code, which the audit
    # event records (`request.user` comes without its unit: that would be one more read).
    membership = (
        list(session.members.filter(pk=voter.pk).values_list("unit__code", flat=True)[:1])
        if roles.is_active(voter)
        else []
    )
    if not membership:
        raise NotPermitted(_("Bạn không phải thành viên của phiên họp này nên không thể bỏ phiếu."))
    audit.remember_actor_unit(voter, membership[0])
    return _ballot_record(
        session=session,
        nomination=nomination,
        member_id=voter.pk,
        choice=choice,
        method=BallotParticipation.Method.ONLINE,
        actor=voter,
    )


def ballot_enter_written(
    *, session: CouncilSession, nomination: Any, member: Any, choice: Any, actor: Any
) -> str:
    """The secretary enters the written ballot of a member who has not voted online on this item."""
    require_secretary(actor)
    member_id = pk_of(member, "member", _("Thành viên không hợp lệ."))
    if not session.members.filter(pk=member_id).exists():
        raise InvalidInput(_("Người này không phải thành viên của phiên họp."), field="member")
    return _ballot_record(
        session=session,
        nomination=nomination,
        member_id=member_id,
        choice=choice,
        method=BallotParticipation.Method.WRITTEN,
        actor=actor,
    )


def _ballot_record(
    *, session: CouncilSession, nomination: Any, member_id: int, choice: Any, method: str, actor: Any
) -> str:
    choice = _clean_choice(choice)
    nomination_id = pk_of(nomination, "nomination", _("Chọn một hồ sơ trong nội dung phiên họp."))
    token = _new_receipt()
    try:
        with transaction.atomic():
            # The item's row lock orders this ballot against the count (see the module docstring); the
            # session's state is read after it, so a ballot that waited on a closing finds it closed.
            # Only the columns the checks need: this is the hot path of a council's burst of ballots.
            locked = (
                Nomination.objects.select_for_update()
                .filter(pk=nomination_id)
                .values_list("council_session_id", "state")
                .first()
            )
            state = CouncilSession.objects.filter(pk=session.pk).values_list("state", flat=True).first()
            if state == CouncilSession.State.PLANNED:
                raise WrongState(_("Phiên họp chưa khai mạc: chưa thể bỏ phiếu."))
            if state != CouncilSession.State.OPEN:
                raise WrongState(_("Phiên họp đã kết thúc: không thể bỏ phiếu nữa."))
            if locked is None or locked[0] != session.pk:
                raise InvalidInput(_("Hồ sơ này không thuộc nội dung phiên họp."), field="nomination")
            if locked[1] != State.IN_VOTE:
                raise WrongState(_("Hồ sơ này đã kết thúc biểu quyết."))
            written = method == BallotParticipation.Method.WRITTEN
            # No look-up first: the unique constraint on (session, nomination, member) refuses a second
            # ballot (IntegrityError → Conflict below), whether it comes later or races this one.
            BallotParticipation.objects.create(
                session_id=session.pk,
                nomination_id=nomination_id,
                member_id=member_id,
                method=method,
                entered_by=actor if written else None,
            )
            item = Nomination(pk=nomination_id, council_session_id=session.pk, state=State.IN_VOTE)
            # The member's ballot task in the process is done — it is told who, never what.
            ballot_task_finish(nomination=item, member_id=member_id)
            SealedBallot.objects.create(
                session_id=session.pk,
                nomination_id=nomination_id,
                sealed=seal(choice, session_id=session.pk, nomination_id=nomination_id),
            )
            BallotReceipt.objects.create(
                session_id=session.pk, nomination_id=nomination_id, digest=BallotReceipt.digest_of(token)
            )
            # Participation only: never the choice.
            audit.record(
                kind=AuditEvent.Kind.BALLOT_CAST,
                obj=session,
                actor=actor,
                actor_role=Role.COUNCIL_SECRETARY if written else Role.COUNCIL_MEMBER,
                nomination=item,
                data={"method": method, **({"member": member_id} if written else {})},
            )
    except IntegrityError as exc:
        raise Conflict(_("Thành viên đã bỏ phiếu cho hồ sơ này; phiếu đã bỏ không thay đổi được.")) from exc
    return token
