"""The count: closing a session's vote, the quotas, and the chair's open tie-break (docs/voting.md).

Closing locks the session, then every agenda item, so a ballot either commits before the count reads
the box or finds the session closed (the concurrency note of `workflow.services.council_ballots`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nominations import roles
from nominations.models import (
    QUOTA_HOLDING_STATES,
    BallotParticipation,
    BallotReceipt,
    CouncilItemResult,
    CouncilSession,
    Nomination,
    NoRuleInForce,
    Role,
    SealedBallot,
    State,
    TieBreak,
)
from nominations.rules import council as council_rules
from nominations.rules import eligibility
from nominations.rules.voting import Ranking, Tally, VotingRule, apply_tie_break, decide, rank_within_quota
from workflow.base.errors import Conflict, InvalidInput, NotPermitted, RuleNotMet, WrongState
from workflow.base.language import site_language
from workflow.models import AuditEvent
from workflow.services.ballot_seal import SealBroken, unseal
from workflow.services.council_common import pk_of, require_secretary, session_event
from workflow.services.transitions import Step, run_transitions


# --- the count ---------------------------------------------------------------------------------------------
def council_session_close(
    *, session: CouncilSession, actor: Any, comment: str = ""
) -> list[CouncilItemResult]:
    """Close the vote: count every item, decide it by its award's rule, run `close_vote` on it.

    Refused (and nothing changes) if any item lacks its quorum. Items tied at the edge of a quota wait
    for the chair's open decision (`council_tie_break`); calling this again afterwards applies it.
    """
    require_secretary(actor)
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
        empty = council_rules.check_agenda_not_empty(current, items=len(agenda))
        if empty:
            raise RuleNotMet(empty[0].message, refusals=empty)
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
        session_event(
            current,
            actor,
            "session_close",
            from_state=CouncilSession.State.OPEN,
            comment=comment,
            data={"results": [_result_data(r) for r in results], "members": members},
        )
        by_pk = {n.pk: n for n in agenda}
        _close_items(
            [(by_pk[r.nomination_id], r) for r in results if r.outcome != CouncilItemResult.Outcome.TIE],
            actor,
        )
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


def _close_items(items: list[tuple[Nomination, CouncilItemResult]], actor: Any) -> list[Nomination]:
    """`close_vote` on each counted item, with its tally, as one batch (`run_transitions`)."""
    steps = []
    with site_language():
        for nomination, result in items:
            comment = _(
                "Kết quả kiểm phiếu: %(yes)s tán thành, %(no)s không tán thành, %(abstain)s không biểu quyết."
            ) % {"yes": result.yes, "no": result.no, "abstain": result.abstain}
            passed = result.outcome == CouncilItemResult.Outcome.PROPOSED
            steps.append(
                Step(
                    nomination,
                    comment=comment,
                    params={"passed": passed},
                    audit_data={"tally": _result_data(result)},
                )
            )
    return run_transitions("close_vote", steps=steps, actor=actor)


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
    _close_items([(result.nomination, result) for result in waiting], actor)
    return waiting


def council_tie_break(
    *, session: CouncilSession, actor: Any, chosen: Iterable[Any], comment: str = ""
) -> TieBreak:
    """The chair's open decision between items tied at the edge of a quota (after the secret count).

    `chosen` must hold, for each tied group, exactly as many items as the group has places left.
    """
    if isinstance(chosen, str | bytes) or not isinstance(chosen, Iterable):
        raise InvalidInput(_("Chọn các hồ sơ được đề nghị."), field="nominations")
    chosen_ids = {pk_of(c, "nominations", _("Chọn các hồ sơ được đề nghị.")) for c in chosen}
    with transaction.atomic():
        current = CouncilSession.objects.select_for_update(no_key=True).get(pk=session.pk)
        if not roles.is_active(actor) or actor.pk != current.chair_id:
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
        session_event(
            current,
            actor,
            "tie_break",
            role=Role.COUNCIL_CHAIR,
            from_state=current.state,
            comment=decision.comment,
            data={"tied": decision.tied, "chosen": decision.chosen},
        )
    return decision


def _label(nomination: Nomination) -> str:
    return f"{nomination.nominee} — {nomination.award.name}"
