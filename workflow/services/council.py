"""Council sessions and secret ballots (DOMAIN.md "Council voting", docs/voting.md).

Who may do what:
- create a session: the council secretary or office staff; add agenda items: whoever holds the
  `schedule` permission on the nomination (the same `nomination_schedule` service as everywhere);
- open, close, record attendance, enter a written ballot: the council secretary;
- vote: a member of that session, once per item, never changed;
- break a tie at the edge of a quota: the session's chair, openly, after the count.

Concurrency: a ballot locks its agenda item's row; closing locks the session (`FOR NO KEY UPDATE`,
which the ballots' foreign-key checks do not wait for) and then every agenda item, so a ballot either
commits before the count reads the box, or waits and then finds the session closed. The unique
constraint on participation stops a second ballot even if two of the same member's requests race.
"""

from __future__ import annotations

import base64
import datetime
import secrets
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nominations import roles
from nominations.models import (
    QUOTA_HOLDING_STATES,
    Attendance,
    BallotParticipation,
    BallotReceipt,
    Choice,
    CouncilItemResult,
    CouncilSession,
    Nomination,
    NoRuleInForce,
    Person,
    Role,
    SealedBallot,
    State,
    TieBreak,
)
from nominations.rules import eligibility
from nominations.rules.voting import (
    Ranking,
    Tally,
    VotingRule,
    apply_tie_break,
    decide,
    rank_within_quota,
)
from nominations.selectors.council import council_members_eligible
from workflow.audit import log as audit
from workflow.base.errors import (
    Conflict,
    InvalidInput,
    NotPermitted,
    RuleNotMet,
    TransitionRefused,
    WrongState,
)
from workflow.base.inputs import require_id
from workflow.base.language import site_language
from workflow.models import AuditEvent
from workflow.process.sync import ballot_task_finish
from workflow.services.ballot_seal import SealBroken, seal, unseal
from workflow.services.transitions import nomination_close_vote, nomination_schedule

# --- helpers ---------------------------------------------------------------------------------------------
_active = roles.is_active


def _is_secretary(user: Any) -> bool:
    return _active(user) and roles.is_council_secretary(user)


def _require_secretary(user: Any) -> None:
    if not _is_secretary(user):
        raise NotPermitted(_("Chỉ Thư ký Hội đồng được thực hiện thao tác này."))


def _session_event(
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


def _pk(value: Any, field: str, message: str) -> int:
    if isinstance(value, Person | Nomination | CouncilSession):
        return int(value.pk)
    return require_id(value, field=field, message=message)


def _clean_choice(choice: Any) -> str:
    if choice not in Choice.values:
        raise InvalidInput(_("Chọn Tán thành, Không tán thành hoặc Không biểu quyết."), field="choice")
    return str(choice)


def _new_receipt() -> str:
    """120 random bits as 24 letters and digits in groups of four (easy to note down and read back)."""
    text = base64.b32encode(secrets.token_bytes(15)).decode()
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def _label(nomination: Nomination) -> str:
    return f"{nomination.nominee} — {nomination.award.name}"


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
    if not (_is_secretary(actor) or (_active(actor) and roles.is_office(actor))):
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
    member_ids = {_pk(m, "members", message) for m in members}
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
        chair_id = _pk(chair, "chair", _("Chủ tịch Hội đồng không hợp lệ."))
        if chair_id not in member_ids:
            raise InvalidInput(_("Chủ tịch Hội đồng phải là thành viên của phiên họp."), field="chair")
    campaign_id = None if campaign in (None, "") else _pk(campaign, "campaign", _("Phong trào không hợp lệ."))
    with transaction.atomic():
        session = CouncilSession.objects.create(
            name=name, date=date, chair_id=chair_id, campaign_id=campaign_id, created_by=actor
        )
        session.members.set(people)
        _session_event(
            session,
            actor,
            "session_create",
            role=Role.COUNCIL_SECRETARY if _is_secretary(actor) else Role.OFFICE_STAFF,
            data={"members": sorted(member_ids), "chair": chair_id, "date": date.isoformat()},
        )
    return session


def council_session_open(*, session: CouncilSession, actor: Any) -> CouncilSession:
    _require_secretary(actor)
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
        _session_event(current, actor, "session_open", from_state=CouncilSession.State.PLANNED)
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
    _require_secretary(actor)
    if mode not in Attendance.Mode.values:
        raise InvalidInput(_("Hình thức tham dự không hợp lệ."), field="mode")
    member_id = _pk(member, "member", _("Thành viên không hợp lệ."))
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
        _session_event(current, actor, "attendance", data={"member": member_id, "mode": mode})
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


# --- ballots -----------------------------------------------------------------------------------------------
def ballot_cast(*, session: CouncilSession, nomination: Any, voter: Any, choice: Any) -> str:
    """A member's secret ballot on one agenda item. Returns the receipt (shown once, stored only hashed)."""
    if not _active(voter) or not session.members.filter(pk=voter.pk).exists():
        raise NotPermitted(_("Bạn không phải thành viên của phiên họp này nên không thể bỏ phiếu."))
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
    _require_secretary(actor)
    member_id = _pk(member, "member", _("Thành viên không hợp lệ."))
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
    nomination_id = _pk(nomination, "nomination", _("Chọn một hồ sơ trong nội dung phiên họp."))
    token = _new_receipt()
    try:
        with transaction.atomic():
            # The item's row lock orders this ballot against the count (see the module docstring).
            locked = Nomination.objects.select_for_update().filter(pk=nomination_id).first()
            current = CouncilSession.objects.get(pk=session.pk)
            if current.state == CouncilSession.State.PLANNED:
                raise WrongState(_("Phiên họp chưa khai mạc: chưa thể bỏ phiếu."))
            if current.state != CouncilSession.State.OPEN:
                raise WrongState(_("Phiên họp đã kết thúc: không thể bỏ phiếu nữa."))
            if locked is None or locked.council_session_id != current.pk:
                raise InvalidInput(_("Hồ sơ này không thuộc nội dung phiên họp."), field="nomination")
            if locked.state != State.IN_VOTE:
                raise WrongState(_("Hồ sơ này đã kết thúc biểu quyết."))
            if BallotParticipation.objects.filter(
                session=current, nomination=locked, member_id=member_id
            ).exists():
                raise Conflict(_("Thành viên đã bỏ phiếu cho hồ sơ này; phiếu đã bỏ không thay đổi được."))
            written = method == BallotParticipation.Method.WRITTEN
            BallotParticipation.objects.create(
                session=current,
                nomination=locked,
                member_id=member_id,
                method=method,
                entered_by=actor if written else None,
            )
            # The member's ballot task in the process is done — it is told who, never what.
            ballot_task_finish(nomination=locked, member_id=member_id)
            SealedBallot.objects.create(
                session=current,
                nomination=locked,
                sealed=seal(choice, session_id=current.pk, nomination_id=locked.pk),
            )
            BallotReceipt.objects.create(
                session=current, nomination=locked, digest=BallotReceipt.digest_of(token)
            )
            # Participation only: never the choice.
            audit.record(
                kind=AuditEvent.Kind.BALLOT_CAST,
                obj=current,
                actor=actor,
                actor_role=Role.COUNCIL_SECRETARY if written else Role.COUNCIL_MEMBER,
                nomination=locked,
                data={"method": method, **({"member": member_id} if written else {})},
            )
    except IntegrityError as exc:
        raise Conflict(_("Thành viên đã bỏ phiếu cho hồ sơ này; phiếu đã bỏ không thay đổi được.")) from exc
    return token


# --- the count ---------------------------------------------------------------------------------------------
def council_session_close(
    *, session: CouncilSession, actor: Any, comment: str = ""
) -> list[CouncilItemResult]:
    """Close the vote: count every item, decide it by its award's rule, run `close_vote` on it.

    Refused (and nothing changes) if any item lacks its quorum. Items tied at the edge of a quota wait
    for the chair's open decision (`council_tie_break`); calling this again afterwards applies it.
    """
    _require_secretary(actor)
    comment = (comment or "").strip()
    with transaction.atomic():
        current = CouncilSession.objects.select_for_update(no_key=True).get(pk=session.pk)
        if current.state == CouncilSession.State.CLOSED:
            return _apply_decided_ties(current, actor)
        if current.state != CouncilSession.State.OPEN:
            raise WrongState(_("Phiên họp chưa khai mạc nên chưa thể kết thúc biểu quyết."))
        agenda = list(
            Nomination.objects.select_for_update(of=("self",))
            .filter(council_session=current, state=State.IN_VOTE)
            .select_related("award", "campaign", "nominee_person", "nominee_unit")
            .order_by("pk")
        )
        members = current.members.count()
        tallies = _count(current, agenda)
        rules = _rules(agenda)
        decisions = {n.pk: decide(tallies[n.pk], members, rules[n.pk]) for n in agenda}
        lacking = [n for n in agenda if not decisions[n.pk].quorum_met]
        if lacking:
            raise RuleNotMet(
                _("Chưa đủ số thành viên tham gia biểu quyết nên chưa thể kết thúc: %(items)s.")
                % {
                    "items": "; ".join(
                        _("%(item)s — %(cast)s/%(members)s đã bỏ phiếu, cần %(needed)s")
                        % {
                            "item": _label(n),
                            "cast": tallies[n.pk].cast,
                            "members": members,
                            "needed": decisions[n.pk].quorum_needed,
                        }
                        for n in lacking
                    )
                }
            )
        written = Counter(
            BallotParticipation.objects.filter(
                session=current, method=BallotParticipation.Method.WRITTEN
            ).values_list("nomination_id", flat=True)
        )
        results = _place_within_quotas(current, agenda, tallies, rules, decisions, members, written)
        CouncilItemResult.objects.bulk_create(results)
        # The box is emptied in the transaction that counted it: after this, only aggregates remain.
        SealedBallot.objects.filter(session=current).delete()
        current.state = CouncilSession.State.CLOSED
        current.closed_at = timezone.now()
        current.save(update_fields=["state", "closed_at"])
        _session_event(
            current,
            actor,
            "session_close",
            from_state=CouncilSession.State.OPEN,
            comment=comment,
            data={"results": [_result_data(r) for r in results], "members": members},
        )
        by_pk = {n.pk: n for n in agenda}
        for result in results:
            if result.outcome != CouncilItemResult.Outcome.TIE:
                _close_item(by_pk[result.nomination_id], result, actor)
    return results


def _count(session: CouncilSession, agenda: list[Nomination]) -> dict[int, Tally]:
    """Open the sealed ballots of the agenda; check they match the participations and the receipts."""
    choices: dict[int, list[str]] = {n.pk: [] for n in agenda}
    for nomination_id, blob in SealedBallot.objects.filter(session=session).values_list(
        "nomination_id", "sealed"
    ):
        if nomination_id not in choices:
            raise Conflict(_("Hòm phiếu có phiếu của hồ sơ không còn biểu quyết: cần kiểm tra dữ liệu."))
        try:
            choices[nomination_id].append(unseal(blob, session_id=session.pk, nomination_id=nomination_id))
        except SealBroken as exc:
            raise Conflict(
                _(
                    "Có phiếu không mở được bằng khóa của máy chủ (dữ liệu bị sửa hoặc đổi khóa): cần kiểm tra."
                )
            ) from exc
    tallies = {pk: Tally.of(c) for pk, c in choices.items()}
    voted = Counter(
        BallotParticipation.objects.filter(session=session).values_list("nomination_id", flat=True)
    )
    receipts = Counter(BallotReceipt.objects.filter(session=session).values_list("nomination_id", flat=True))
    # The tamper-evident log has one participation event per ballot: a row removed or added in all
    # three tables together still disagrees with it.
    logged = Counter(
        AuditEvent.objects.filter(
            kind=AuditEvent.Kind.BALLOT_CAST,
            object_type=CouncilSession._meta.label_lower,
            object_id=str(session.pk),
        ).values_list("nomination_id", flat=True)
    )
    for pk, tally in tallies.items():
        if not tally.cast == voted[pk] == receipts[pk] == logged[pk]:
            raise Conflict(
                _(
                    "Số phiếu trong hòm phiếu không khớp với số lượt bỏ phiếu của hồ sơ #%(pk)s: cần kiểm tra dữ liệu."
                )
                % {"pk": pk}
            )
    return tallies


def _rules(agenda: list[Nomination]) -> dict[int, VotingRule]:
    rules: dict[int, VotingRule] = {}
    for nomination in agenda:
        try:
            rules[nomination.pk] = VotingRule.of(eligibility.rule_of(nomination))
        except (NoRuleInForce, ValueError) as exc:
            raise RuleNotMet(
                _("Không có quy định biểu quyết hợp lệ cho %(item)s.") % {"item": _label(nomination)}
            ) from exc
    return rules


def _place_within_quotas(
    session: CouncilSession,
    agenda: list[Nomination],
    tallies: dict[int, Tally],
    rules: dict[int, VotingRule],
    decisions: dict[int, Any],
    members: int,
    written: Counter[int],
) -> list[CouncilItemResult]:
    """Passing items of one campaign, award and unit share its quota: ranked by "yes" votes."""
    groups: dict[str, list[Nomination]] = defaultdict(list)
    for n in agenda:
        if decisions[n.pk].passed:
            groups[f"{n.campaign_id}:{n.award_id}:{n.nominating_unit_id}"].append(n)
    outcome: dict[int, str] = {}
    extra: dict[int, dict[str, Any]] = defaultdict(dict)
    for key, items in groups.items():
        quota = rules[items[0].pk].quota
        places = None
        if quota is not None:
            holding = Nomination.objects.filter(
                campaign_id=items[0].campaign_id,
                award_id=items[0].award_id,
                nominating_unit_id=items[0].nominating_unit_id,
                state__in=QUOTA_HOLDING_STATES,
            ).count()
            places = max(0, quota - holding)
        ranking: Ranking[int] = rank_within_quota([(n.pk, tallies[n.pk].yes) for n in items], places)
        for pk in ranking.within:
            outcome[pk] = CouncilItemResult.Outcome.PROPOSED
        for pk in ranking.beyond:
            outcome[pk] = CouncilItemResult.Outcome.OVER_QUOTA
        for pk in ranking.tied:
            outcome[pk] = CouncilItemResult.Outcome.TIE
            extra[pk].update(tie_group=key, tie_places=ranking.open_places)
        if places is not None:
            for n in items:
                extra[n.pk].update(rank=ranking.ranks[n.pk], quota_places=places)
    return [
        CouncilItemResult(
            session=session,
            nomination=n,
            members=members,
            yes=tallies[n.pk].yes,
            no=tallies[n.pk].no,
            abstain=tallies[n.pk].abstain,
            written=written[n.pk],
            quorum_needed=decisions[n.pk].quorum_needed,
            threshold_met=decisions[n.pk].threshold_met,
            outcome=outcome.get(n.pk, CouncilItemResult.Outcome.FAILED),
            **extra[n.pk],
        )
        for n in agenda
    ]


def _result_data(result: CouncilItemResult) -> dict[str, Any]:
    return {
        "nomination": result.nomination_id,
        "yes": result.yes,
        "no": result.no,
        "abstain": result.abstain,
        "written": result.written,
        "members": result.members,
        "outcome": result.outcome,
        **({"rank": result.rank, "quota_places": result.quota_places} if result.rank else {}),
    }


def _close_item(nomination: Nomination, result: CouncilItemResult, actor: Any) -> Nomination:
    passed = result.outcome == CouncilItemResult.Outcome.PROPOSED
    with site_language():
        comment = _(
            "Kết quả kiểm phiếu: %(yes)s tán thành, %(no)s không tán thành, %(abstain)s không biểu quyết."
        ) % {"yes": result.yes, "no": result.no, "abstain": result.abstain}
    return nomination_close_vote(
        nomination=nomination, actor=actor, passed=passed, tally=_result_data(result), comment=comment
    )


def _apply_decided_ties(session: CouncilSession, actor: Any) -> list[CouncilItemResult]:
    """After the chair's decision: run `close_vote` on the items that waited for it."""
    waiting = list(
        CouncilItemResult.objects.select_for_update(of=("self",))
        .filter(session=session, nomination__state=State.IN_VOTE)
        .select_related("nomination", "nomination__award")
        .order_by("nomination_id")
    )
    if not waiting:
        raise WrongState(_("Phiên họp đã kết thúc."))
    if any(r.outcome == CouncilItemResult.Outcome.TIE for r in waiting):
        raise RuleNotMet(_("Đang chờ Chủ tịch Hội đồng quyết định giữa các hồ sơ bằng phiếu."))
    for result in waiting:
        _close_item(result.nomination, result, actor)
    return waiting


def council_tie_break(
    *, session: CouncilSession, actor: Any, chosen: Iterable[Any], comment: str = ""
) -> TieBreak:
    """The chair's open decision between items tied at the edge of a quota (after the secret count).

    `chosen` must hold, for each tied group, exactly as many items as the group has places left.
    """
    if isinstance(chosen, str | bytes) or not isinstance(chosen, Iterable):
        raise InvalidInput(_("Chọn các hồ sơ được đề nghị."), field="nominations")
    chosen_ids = {_pk(c, "nominations", _("Chọn các hồ sơ được đề nghị.")) for c in chosen}
    with transaction.atomic():
        current = CouncilSession.objects.select_for_update(no_key=True).get(pk=session.pk)
        if not _active(actor) or actor.pk != current.chair_id:
            raise NotPermitted(_("Chỉ Chủ tịch Hội đồng chủ trì phiên họp được quyết định khi bằng phiếu."))
        if current.state != CouncilSession.State.CLOSED:
            raise WrongState(_("Chỉ quyết định khi bằng phiếu sau khi đã kiểm phiếu."))
        tied = list(
            CouncilItemResult.objects.select_for_update()
            .filter(session=current, outcome=CouncilItemResult.Outcome.TIE)
            .order_by("nomination_id")
        )
        if not tied:
            raise WrongState(_("Không có hồ sơ nào bằng phiếu cần Chủ tịch Hội đồng quyết định."))
        if not chosen_ids <= {r.nomination_id for r in tied}:
            raise InvalidInput(_("Chỉ chọn trong các hồ sơ bằng phiếu."), field="nominations")
        groups: dict[str, list[CouncilItemResult]] = defaultdict(list)
        for r in tied:
            groups[r.tie_group].append(r)
        for rows in groups.values():
            ranking: Ranking[int] = Ranking(
                within=(),
                beyond=(),
                tied=tuple(r.nomination_id for r in rows),
                open_places=rows[0].tie_places or 0,
            )
            try:
                apply_tie_break(ranking, chosen_ids & set(ranking.tied))
            except ValueError:
                raise InvalidInput(
                    _("Cần chọn đúng %(n)s hồ sơ trong nhóm bằng phiếu.") % {"n": ranking.open_places},
                    field="nominations",
                ) from None
        for r in tied:
            r.outcome = (
                CouncilItemResult.Outcome.PROPOSED
                if r.nomination_id in chosen_ids
                else CouncilItemResult.Outcome.OVER_QUOTA
            )
            r.decided_by_chair = True
            r.save(update_fields=["outcome", "decided_by_chair"])
        decision = TieBreak.objects.create(
            session=current,
            chair=actor,
            tied=[r.nomination_id for r in tied],
            chosen=sorted(chosen_ids),
            comment=(comment or "").strip(),
            decided_at=timezone.now(),
        )
        _session_event(
            current,
            actor,
            "tie_break",
            role=Role.COUNCIL_CHAIR,
            from_state=current.state,
            comment=decision.comment,
            data={"tied": decision.tied, "chosen": decision.chosen},
        )
    return decision
