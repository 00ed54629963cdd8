"""What the council services share: who is the secretary, a session's audit event, an id.

The council area (DOMAIN.md "Council voting", docs/voting.md) is in `council_sessions` (sessions, agenda,
attendance), `council_ballots` (secret ballots) and `council_count` (the count, closing, the tie-break).

Who may do what:
- create a session: the council secretary or office staff; add agenda items: whoever holds the
  `schedule` permission on the nomination (the same `nomination_schedule` service as everywhere);
- open, close, record attendance, enter a written ballot: the council secretary;
- vote: a member of that session, once per item, never changed;
- break a tie at the edge of a quota: the session's chair, openly, after the count.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from nominations import roles
from nominations.models import CouncilSession, Nomination, Person, Role
from workflow.audit import log as audit
from workflow.base.errors import NotPermitted
from workflow.base.inputs import require_id
from workflow.models import AuditEvent


def is_secretary(user: Any) -> bool:
    return roles.is_active(user) and roles.is_council_secretary(user)


def require_secretary(user: Any) -> None:
    if not is_secretary(user):
        raise NotPermitted(_("Chỉ Thư ký Hội đồng được thực hiện thao tác này."))


def session_event(
    session: CouncilSession,
    actor: Any,
    name: str,
    *,
    role: str = Role.COUNCIL_SECRETARY,
    from_state: str = "",
    comment: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    return audit.record(
        kind=AuditEvent.Kind.SESSION,
        obj=session,
        actor=actor,
        actor_role=str(role),
        transition_name=name,
        from_state=from_state,
        to_state=session.state,
        comment=comment,
        data=data,
    )


def pk_of(value: Any, field: str, message: str) -> int:
    if isinstance(value, Person | Nomination | CouncilSession):
        return int(value.pk)
    return require_id(value, field=field, message=message)
