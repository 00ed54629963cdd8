"""One service per transition of a nomination.

Each runs, inside one transaction: lock the row → check the actor's permission on this object →
check the state → check the transition's conditions (the award rules, cited with their legal basis)
→ run the fsm transition (fields only) → save → append the audit event → queue notifications, which
go out after commit. A refusal raises a `TransitionRefused` and writes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Subquery
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition

from nominations.access import IN_PERSON, Perm, delegation_acted_under, held_through, held_through_each
from nominations.models import CouncilSession, Nomination, OrgUnit, Person, Role, State
from nominations.models.awards import rules_read_once
from nominations.rules import eligibility
from nominations.rules.conditions import CONDITIONS, ELIGIBLE, Condition, Facts, refusals_of
from workflow.audit import log as audit
from workflow.base.context import current_actor
from workflow.base.errors import (
    Conflict,
    InvalidInput,
    NotPermitted,
    RuleNotMet,
    TransitionRefused,
    WrongState,
)
from workflow.base.inputs import parse_id
from workflow.models import AuditEvent
from workflow.process import routing
from workflow.process.transitions import TransitionSpec, spec
from workflow.services import follow_up

# The role a person acts in when using a permission (recorded in the audit event).
_ACTING_ROLE = {
    Perm.SUBMIT: [Role.UNIT_HEAD],
    Perm.REVIEW: [Role.OFFICE_STAFF],
    Perm.SCHEDULE: [Role.COUNCIL_SECRETARY, Role.OFFICE_STAFF],
    Perm.CLOSE_VOTE: [Role.COUNCIL_SECRETARY],
    Perm.DECIDE: [Role.DIRECTOR, Role.DEPUTY_DIRECTOR],
}


def acting_role(actor: Any, perm: str) -> str:
    for role in _ACTING_ROLE.get(perm, []):
        if actor.has_role(role):
            return str(role)
    return ""


def _role_of_grant(actor: Any, perm: str, groups: list[str]) -> str:
    """The role in which the actor used `perm`: the one whose group grants it on this nomination.

    Read from the grant itself (no query), so a unit head is recorded as such only through their
    unit's heads group; a grant in person (a delegation) falls back to the actor's roles.
    """
    for role in _ACTING_ROLE.get(perm, []):
        if role == Role.UNIT_HEAD:
            if any(name.startswith("unit:") for name in groups):
                return str(role)
        elif role in groups:
            return str(role)
    return acting_role(actor, perm) if IN_PERSON in groups else ""


def _refuse_rules(refusals: list[eligibility.Refusal]) -> None:
    if refusals:
        raise RuleNotMet(" ".join(str(r) for r in refusals), refusals=refusals)


def _not_permitted(t: TransitionSpec) -> NotPermitted:
    return NotPermitted(_("Bạn không có quyền “%(action)s” đối với hồ sơ này.") % {"action": t.label})


def _refuse_wrong_state(t: TransitionSpec, locked: Nomination) -> None:
    if locked.state not in t.sources:
        raise WrongState(
            _("Không thể “%(action)s” khi hồ sơ đang ở trạng thái “%(state)s”.")
            % {"action": t.label, "state": State(locked.state).label}
        )


# The transition's cleaned input an audit event keeps (the session by its id).
_AUDITED_INPUT = frozenset(
    {"score", "decision_number", "decision_date", "submission_number", "granted", "passed"}
)


def _event_data(kwargs: dict[str, Any], *more: dict[str, Any] | None) -> dict[str, Any]:
    """The audit event's data: what it keeps of the input, then each of `more` in order."""
    data = {k: v for k, v in kwargs.items() if k in _AUDITED_INPUT}
    if "session" in kwargs:
        data["session"] = kwargs["session"].pk
    for extra in more:
        data.update(extra or {})
    return data


def _role_acted_in(actor: Any, perm: str, granted_through: list[str], delegated: dict[str, Any]) -> str:
    """The role the actor used `perm` in: the grant's, or a deputy's acting under a delegation."""
    role = _role_of_grant(actor, perm, granted_through)
    return Role.DEPUTY_DIRECTOR if delegated else role


_LOCKS: dict[str, tuple[str, ...]] = dict.fromkeys(
    [name for name, conditions in CONDITIONS.items() if ELIGIBLE in conditions], ("self", "nominating_unit")
)


def _clean_params(t: TransitionSpec, comment: str, params: dict[str, Any]) -> dict[str, Any]:
    """Validate the transition's own input before anything is locked: a bad value is a 400."""
    if t.needs_comment and not comment.strip():
        raise InvalidInput(_("Cần nêu lý do."), field="comment")
    cleaned: dict[str, Any] = {}
    if t.name == "evaluate":
        try:
            score = Decimal(str(params.get("score")))
        except (InvalidOperation, ValueError):
            raise InvalidInput(_("Điểm thẩm định phải là một số từ 0 đến 100."), field="score") from None
        if not score.is_finite() or not Decimal(0) <= score <= Decimal(100):
            raise InvalidInput(_("Điểm thẩm định phải là một số từ 0 đến 100."), field="score")
        assessment = str(params.get("assessment") or "").strip()
        if not assessment:
            raise InvalidInput(_("Cần ý kiến thẩm định."), field="assessment")
        cleaned = {"score": score.quantize(Decimal("0.01")), "assessment": assessment}
    elif t.name == "schedule":
        session = params.get("session")
        if not isinstance(session, CouncilSession):
            pk = parse_id(session)
            session = CouncilSession.objects.filter(pk=pk).first() if pk is not None else None
        if session is None:
            raise InvalidInput(_("Chọn một phiên họp Hội đồng."), field="session")
        cleaned = {"session": session}
    elif t.name == "approve":
        number = str(params.get("decision_number") or "").strip()
        if not number:
            raise InvalidInput(_("Cần số quyết định."), field="decision_number")
        day = params.get("decision_date")
        if isinstance(day, str):
            try:
                day = datetime.date.fromisoformat(day)
            except ValueError:
                day = None
        if not isinstance(day, datetime.date):
            raise InvalidInput(_("Ngày quyết định không hợp lệ (YYYY-MM-DD)."), field="decision_date")
        cleaned = {"decision_number": number, "decision_date": day}
    elif t.name == "forward":
        number = str(params.get("submission_number") or "").strip()
        if not number:
            raise InvalidInput(_("Cần số tờ trình."), field="submission_number")
        cleaned = {"submission_number": number}
    elif t.name == "record_outcome":
        granted = params.get("granted")
        if not isinstance(granted, bool):
            raise InvalidInput(_("Cần cho biết cấp trên có khen thưởng hay không."), field="granted")
        number = str(params.get("decision_number") or "").strip()
        if not number:
            raise InvalidInput(_("Cần số quyết định của cấp trên."), field="decision_number")
        cleaned = {"granted": granted, "decision_number": number}
    elif t.name == "close_vote":
        passed = params.get("passed")
        if not isinstance(passed, bool):
            raise InvalidInput(_("Kết quả biểu quyết phải do kiểm phiếu xác định."), field="passed")
        cleaned = {"passed": passed}
    return cleaned


@dataclass(frozen=True)
class Authority:
    """A ground other than the actor's own grant on which a service runs one of `transitions`.

    Only services pass one, never an entry point: e.g. a complaint lodged by any member of staff during
    the notice period puts the item on hold (`workflow.services.complaints`). The transition's audit
    event is the system's — no person named, `role` as its role, `reason` in its data — and the service
    records its own event naming who caused it (kept off the nomination's timeline when it must be).
    """

    role: str
    reason: str
    transitions: frozenset[str]


@contextmanager
def _as_system() -> Iterator[None]:
    """Record without a person: `audit.record` would otherwise fall back to the request's user."""
    token = current_actor.set(None)
    try:
        yield
    finally:
        current_actor.reset(token)


def _delegation_data(actor: Any, perm: str) -> dict[str, Any]:
    """Someone other than the Director deciding: the delegation they act under, for the audit event.

    Only a Deputy holding a live delegation gets this far without the Director's role (`holds`).
    """
    delegation = delegation_acted_under(actor, perm) if perm == Perm.DECIDE else None
    if delegation is None:
        return {}
    return {
        "delegation": delegation.pk,
        "delegated_by": delegation.delegator.username,
        "delegation_until": delegation.ends_at.isoformat(),
    }


_ACTOR_UNIT = "acting_unit_code"


def _actor_unit_column(actor: Any) -> dict[str, Any]:
    """The actor's unit code for the audit event, read by the locking statement itself.

    `request.user` is loaded without its unit; reading it was a query of its own in every transition
    (`audit.event_of`); it is remembered on the actor for the request's other events. A unit code is not
    what the row lock protects, so reading it in the locking statement (whose snapshot may predate a
    wait for the lock) is as good as reading it after."""
    unit_id = getattr(actor, "unit_id", None)
    if unit_id is None or Person.unit.is_cached(actor) or audit.actor_unit_code_known(actor):
        return {}
    return {_ACTOR_UNIT: Subquery(OrgUnit.objects.filter(pk=unit_id).values("code")[:1])}


def run_transition(
    name: str,
    *,
    nomination: Nomination,
    actor: Any,
    comment: str = "",
    extra_checks: tuple[Condition, ...] = (),
    audit_data: dict[str, Any] | None = None,
    authority: Authority | None = None,
    before_rules: Callable[[Nomination], None] | None = None,
    savepoint: bool = True,
    **params: Any,
) -> Nomination:
    """Run transition `name` on one nomination, in its own transaction (a savepoint when nested).

    `before_rules`, given the locked row once the grant and the state are checked, runs a caller's own
    checks and writes in the transition's order (a decision's number and base salary: `decisions`);
    `savepoint=False` is for a caller whose transaction fails as a whole on any refusal."""
    t = spec(name)
    if authority is not None and name not in authority.transitions:
        raise _not_permitted(t)
    comment = (comment or "").strip()
    kwargs = _clean_params(t, comment, params)
    try:
        with transaction.atomic(savepoint=savepoint):
            # Lock the nomination's row only (`of`): the joined campaign, award and unit rows are shared
            # by many nominations and must not serialise their transitions — except the nominating
            # unit's row where the eligibility checks read the unit's other nominations (duplicates,
            # quota, initiatives already used): two submissions of one unit must not both pass them.
            locked = (
                Nomination.objects.select_for_update(of=_LOCKS.get(name, ("self",)))
                .select_related("campaign", "award", "nominating_unit", "nominee_person", "nominee_unit")
                .annotate(**_actor_unit_column(actor if authority is None else None))
                .get(pk=nomination.pk)
            )
            # The per-object grant decides, never a global permission (django-fsm would fall back to one).
            granted_through = held_through(actor, t.perm, locked) if authority is None else []
            if authority is None and not granted_through:
                raise _not_permitted(t)
            _refuse_wrong_state(t, locked)
            if before_rules is not None:
                before_rules(locked)
            # The cleaned values win over the raw ones; the rule and the conditions' facts: one query.
            facts = Facts.for_transition(name, locked, {**params, **kwargs}, extra_checks)
            _refuse_rules(refusals_of(name, facts))
            for condition in extra_checks:
                _refuse_rules(condition.check(facts))
            audit.remember_actor_unit(actor, getattr(locked, _ACTOR_UNIT, None))
            from_state = locked.state
            getattr(locked, t.method)(**kwargs)
            locked.save()
            if authority is not None:
                role = authority.role
                data = _event_data(kwargs, {"authority": authority.reason}, audit_data)
            else:
                delegated = _delegation_data(actor, t.perm)
                role = _role_acted_in(actor, t.perm, granted_through, delegated)
                data = _event_data(kwargs, delegated, audit_data)
            with _as_system() if authority is not None else nullcontext():
                event = audit.record(
                    kind=AuditEvent.Kind.TRANSITION,
                    obj=locked,
                    actor=actor if authority is None else None,
                    actor_role=role,
                    nomination=locked,
                    transition_name=name,
                    from_state=from_state,
                    to_state=locked.state,
                    comment=comment,
                    data=data,
                )
            routing.after_transition(locked, event)
    except ConcurrentTransition as exc:
        raise Conflict(_("Hồ sơ vừa được người khác thay đổi; hãy tải lại trang.")) from exc
    except Nomination.DoesNotExist:
        raise WrongState(_("Hồ sơ không còn tồn tại.")) from None
    return locked


# One named service per transition (the entry points call these).
def nomination_submit(*, nomination: Nomination, actor: Any, comment: str = "") -> Nomination:
    return run_transition("submit", nomination=nomination, actor=actor, comment=comment)


def nomination_resubmit(*, nomination: Nomination, actor: Any, comment: str = "") -> Nomination:
    return run_transition("resubmit", nomination=nomination, actor=actor, comment=comment)


def nomination_withdraw(*, nomination: Nomination, actor: Any, comment: str = "") -> Nomination:
    return run_transition("withdraw", nomination=nomination, actor=actor, comment=comment)


def nomination_return(*, nomination: Nomination, actor: Any, comment: str) -> Nomination:
    return run_transition("return", nomination=nomination, actor=actor, comment=comment)


def nomination_mark_ineligible(*, nomination: Nomination, actor: Any, comment: str) -> Nomination:
    return run_transition("mark_ineligible", nomination=nomination, actor=actor, comment=comment)


def nomination_evaluate(
    *, nomination: Nomination, actor: Any, score: Any, assessment: str, comment: str = ""
) -> Nomination:
    return run_transition(
        "evaluate", nomination=nomination, actor=actor, comment=comment, score=score, assessment=assessment
    )


def nomination_hold(*, nomination: Nomination, actor: Any, comment: str) -> Nomination:
    return run_transition("hold", nomination=nomination, actor=actor, comment=comment)


def nomination_release(*, nomination: Nomination, actor: Any, comment: str = "") -> Nomination:
    return run_transition("release", nomination=nomination, actor=actor, comment=comment)


def nomination_propose(*, nomination: Nomination, actor: Any, comment: str = "") -> Nomination:
    return run_transition("propose", nomination=nomination, actor=actor, comment=comment)


def nomination_schedule(*, nomination: Nomination, actor: Any, session: Any, comment: str = "") -> Nomination:
    return run_transition("schedule", nomination=nomination, actor=actor, comment=comment, session=session)


def nomination_close_vote(
    *,
    nomination: Nomination,
    actor: Any,
    passed: bool,
    comment: str = "",
    tally: dict[str, Any] | None = None,
) -> Nomination:
    return run_transition(
        "close_vote",
        nomination=nomination,
        actor=actor,
        comment=comment,
        passed=passed,
        audit_data={"tally": tally} if tally else None,
    )


def approve_input(*, decision_number: str, decision_date: Any) -> None:
    """The `approve` transition's input refusals (400), checked before anything is locked; its right
    (403) and state (409) are checked on the locked row, before the decision's own refusals (number
    already used, no base salary): `decisions.nomination_approve`, which issues its one-item decision."""
    _clean_params(spec("approve"), "", {"decision_number": decision_number, "decision_date": decision_date})


def approve_within_decision(
    *,
    nomination: Nomination,
    actor: Any,
    decision_number: str,
    decision_date: Any,
    comment: str = "",
    together_with: tuple[int, ...] = (),
) -> Nomination:
    """The `approve` transition itself — the one writer of an approval, called by `decision_issue` only,
    inside its transaction, so an approval never exists without its decision and amounts."""
    return run_transition(
        "approve",
        nomination=nomination,
        actor=actor,
        comment=comment,
        decision_number=decision_number,
        decision_date=decision_date,
        together_with=together_with,
    )


def nomination_decline(*, nomination: Nomination, actor: Any, comment: str) -> Nomination:
    return run_transition("decline", nomination=nomination, actor=actor, comment=comment)


def nomination_forward(
    *, nomination: Nomination, actor: Any, submission_number: str, comment: str = ""
) -> Nomination:
    return run_transition(
        "forward", nomination=nomination, actor=actor, comment=comment, submission_number=submission_number
    )


def nomination_record_outcome(
    *, nomination: Nomination, actor: Any, granted: bool, decision_number: str, comment: str = ""
) -> Nomination:
    return run_transition(
        "record_outcome",
        nomination=nomination,
        actor=actor,
        comment=comment,
        granted=granted,
        decision_number=decision_number,
    )


def nomination_report(*, nomination: Nomination, actor: Any, comment: str = "") -> Nomination:
    return run_transition("report", nomination=nomination, actor=actor, comment=comment)


def nomination_revoke(*, nomination: Nomination, actor: Any, comment: str) -> Nomination:
    return run_transition("revoke", nomination=nomination, actor=actor, comment=comment)


# --- batches: one transition over many nominations (issue #17) ------------------------------------------
@dataclass(frozen=True)
class Step:
    """One nomination of a batch, with its own comment, input and audit data (e.g. its tally); `name`
    overrides the batch's transition for this one (a unit's list: submit a draft, resubmit a returned)."""

    nomination: Nomination
    comment: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    audit_data: dict[str, Any] | None = None
    name: str = ""


class StepsRefused(TransitionRefused):
    """Steps of a batch run with `every=True` were refused: `refused` holds each, with its refusal."""

    def __init__(self, refused: list[tuple[Nomination, TransitionRefused]]) -> None:
        super().__init__(refused[0][1].message)
        self.refused = refused


def _check_step(
    t: TransitionSpec, locked: Nomination | None, granted_through: list[str], facts_params: dict[str, Any]
) -> None:
    """`run_transition`'s refusals, in its order: gone, no right on this nomination, state, rules."""
    if locked is None:
        raise WrongState(_("Hồ sơ không còn tồn tại."))
    if not granted_through:
        raise _not_permitted(t)
    _refuse_wrong_state(t, locked)
    _refuse_rules(refusals_of(t.name, Facts.for_transition(t.name, locked, facts_params)))


def run_transitions(name: str, *, steps: Sequence[Step], actor: Any, every: bool = False) -> list[Nomination]:
    """`run_transition` over a batch, in one transaction: the same checks, refusals, writes and events per
    nomination, in the steps' order, with what is the same for all read once and written together.

    Per nomination, as `run_transition` does: its input cleaned, its state and rules checked (after the
    steps before it were written, so a rule counting the unit's other nominations sees them), the fsm
    transition run and saved, the follow-up records written. Once per batch: the rows locked in one query,
    the actor's grants on all of them read in one per permission (`held_through_each`), the delegation
    acted under; then the audit events chained in one append, the processes moved on and the people told
    in bulk (`routing.after_transitions`). The first refusal raises, its `.nomination` naming the step;
    with `every`, every step is checked (the later ones still after the earlier ones' writes, as one by
    one) and `StepsRefused` names each refused. Either way nothing of the batch is written.
    """
    if len(steps) == 1:  # one nomination: the single path costs less than the batch's fixed reads
        step = steps[0]
        try:
            return [
                run_transition(
                    step.name or name,
                    nomination=step.nomination,
                    actor=actor,
                    comment=step.comment,
                    audit_data=step.audit_data,
                    **step.params,
                )
            ]
        except TransitionRefused as refusal:
            if every:
                raise StepsRefused([(step.nomination, refusal)]) from refusal
            refusal.nomination = step.nomination  # type: ignore[attr-defined]
            raise
    plan = []
    for step in steps:
        t = spec(step.name or name)
        comment = (step.comment or "").strip()
        plan.append((step, t, comment, _clean_params(t, comment, step.params)))
    locks = sorted({lock for _s, t, _c, _k in plan for lock in _LOCKS.get(t.name, ("self",))})
    done: list[tuple[Nomination, AuditEvent]] = []
    try:
        with transaction.atomic(), rules_read_once():
            rows = {
                n.pk: n
                for n in Nomination.objects.select_for_update(of=tuple(locks) or ("self",))
                .select_related("campaign", "award", "nominating_unit", "nominee_person", "nominee_unit")
                .filter(pk__in=[step.nomination.pk for step, _t, _c, _k in plan])
                .order_by("pk")
            }
            perms = sorted({t.perm for _s, t, _c, _k in plan})
            grants = {perm: held_through_each(actor, perm, list(rows.values())) for perm in perms}
            delegated = {perm: _delegation_data(actor, perm) for perm in perms if grants[perm]}
            refused: list[tuple[Nomination, TransitionRefused]] = []
            for step, t, comment, kwargs in plan:
                locked = rows.get(step.nomination.pk)
                granted_through = grants[t.perm].get(str(step.nomination.pk), [])
                try:
                    _check_step(t, locked, granted_through, {**step.params, **kwargs})
                except TransitionRefused as refusal:
                    if not every:
                        refusal.nomination = step.nomination  # type: ignore[attr-defined]
                        raise
                    refused.append((step.nomination, refusal))
                    continue
                assert locked is not None
                from_state = locked.state
                getattr(locked, t.method)(**kwargs)
                locked.save()
                role = _role_acted_in(actor, t.perm, granted_through, delegated.get(t.perm, {}))
                data = _event_data(kwargs, delegated.get(t.perm), step.audit_data)
                event = audit.event_of(
                    kind=AuditEvent.Kind.TRANSITION,
                    obj=locked,
                    actor=actor,
                    actor_role=role,
                    nomination=locked,
                    transition_name=t.name,
                    from_state=from_state,
                    to_state=locked.state,
                    comment=comment,
                    data=data,
                )
                follow_up.after_transition(locked, event)
                done.append((locked, event))
            if refused:
                raise StepsRefused(refused)
            audit.record_many([event for _locked, event in done])
            routing.after_transitions(done)
    except ConcurrentTransition as exc:
        raise Conflict(_("Hồ sơ vừa được người khác thay đổi; hãy tải lại trang.")) from exc
    return [locked for locked, _event in done]


def approve_all_within_decision(
    *,
    nominations: Sequence[Nomination],
    actor: Any,
    decision_number: str,
    decision_date: Any,
    comment: str = "",
    together_with: tuple[int, ...] = (),
) -> list[Nomination]:
    """`approve_within_decision` for a decision's whole batch, in order (`run_transitions`); the first
    refusal raises with `.nomination` naming the item."""
    params = {
        "decision_number": decision_number,
        "decision_date": decision_date,
        "together_with": together_with,
    }
    return run_transitions(
        "approve", steps=[Step(n, comment=comment, params=params) for n in nominations], actor=actor
    )
