"""The Director's decision: approving a batch of nominations with their amounts; declining, revoking one.

One transaction per decision (`workflow.services.document_common`): every nomination is approved, with
its line and amount, or none is.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from nominations.access import Perm
from nominations.amounts import NoBaseSalary, base_salary_on, nomination_reward
from nominations.models import AwardMethod, BaseSalary, Decision, DecisionItem, Nomination
from nominations.models.awards import rules_read_once
from workflow.base.errors import InvalidInput, RuleNotMet, TransitionRefused
from workflow.documents.signing import ensure_can_sign
from workflow.services.document_common import (
    campaign_of,
    clean_batch,
    clean_date,
    clean_number,
    clean_signer,
    document_create,
    document_record,
    load_batch,
    number_free,
)
from workflow.services.transitions import (
    approve_all_within_decision,
    approve_input,
    nomination_decline,
    nomination_revoke,
    run_transition,
)


def decision_issue(
    *,
    nominations: Iterable[Any],
    actor: Any,
    number: Any,
    date: Any,
    signer: Any,
    comment: str = "",
    method: Any = "",
) -> Decision:
    """Approve every nomination under one decision, with its reward amounts — all of them, or none.

    The whole batch is passed as `together_with`, so a CSTĐCS can be approved with the same year's
    LĐTT it depends on, in the same decision.
    """
    number = clean_number(number)
    day = clean_date(date)
    signer, signer_title = clean_signer(signer)
    if method not in ("", *AwardMethod.values):
        raise InvalidInput(_("Phương thức khen thưởng không hợp lệ."), field="method")
    ensure_can_sign(signer)  # (certsign) a decision that cannot be signed is not issued
    ids = clean_batch(nominations)
    with transaction.atomic(), rules_read_once():
        batch = load_batch(ids)
        campaign = campaign_of(batch)
        number_free(Decision, number, day.year)
        salary = _salary_on(day)
        decision = document_create(
            Decision,
            number=number,
            date=day,
            campaign=campaign,
            signer=signer,
            signer_title=signer_title,
            base_salary=salary.amount,
            base_salary_basis=salary.legal_basis,
            created_by=actor,
            method=method,
        )
        approved = approve_all_within_decision(
            nominations=batch,
            actor=actor,
            decision_number=number,
            decision_date=day,
            comment=comment,
            together_with=ids,
        )  # a refusal names the item of the batch refused (`.nomination`)
        items: list[DecisionItem] = []
        for position, nomination in enumerate(approved, start=1):
            multiple, amount = nomination_reward(nomination, day, base_salary=salary.amount)
            items.append(
                DecisionItem(
                    decision=decision,
                    nomination=nomination,
                    position=position,
                    reward_multiple=multiple,
                    amount=amount,
                )
            )
        DecisionItem.objects.bulk_create(items)
        document_record(
            obj=decision,
            actor=actor,
            perm=Perm.DECIDE,
            name="decision_issued",
            nominations=[n.pk for n in batch],
            data={"base_salary": salary.amount, "total": sum(i.amount for i in items)},
        )
    return decision


def nomination_approve(
    *,
    nomination: Nomination,
    actor: Any,
    decision_number: str,
    decision_date: Any,
    comment: str = "",
) -> Nomination:
    """Approve one nomination: it issues a one-item decision with its amount (API.md, "Every approval
    is a decision"), signed by the actor. The page, the API and the batch all come here or to
    `decision_issue`; the `approve` transition is run only by these two services.

    One transaction, in the transition's order of refusals: the input (400), then, once the row is
    locked, the right (403) and the state (409), then the decision's own (its number, the signer, the
    number already used, no base salary), then the award rules. The decision is inserted before the
    rules run, as `decision_issue` does, so the award history reads its method; its line, with the
    amount, and its event follow the transition's.
    """
    approve_input(decision_number=decision_number, decision_date=decision_date)
    made: dict[str, Any] = {}

    def the_decision(locked: Nomination) -> None:
        try:
            number = clean_number(decision_number)
            day = clean_date(decision_date)
            signer, signer_title = clean_signer(actor)
            ensure_can_sign(signer)
            number_free(Decision, number, day.year)
            salary = _salary_on(day)
            decision = _insert_decision(
                number=number,
                date=day,
                campaign=locked.campaign,
                signer=signer,
                signer_title=signer_title,
                base_salary=salary.amount,
                base_salary_basis=salary.legal_basis,
                created_by=actor,
                method="",
            )
        except InvalidInput as exc:
            raise InvalidInput(exc.message, field=_FIELD.get(exc.field or "", exc.field)) from None
        made.update(day=day, salary=salary, decision=decision)

    with transaction.atomic(), rules_read_once():
        try:
            approved = run_transition(
                "approve",
                nomination=nomination,
                actor=actor,
                comment=comment,
                before_rules=the_decision,
                savepoint=False,
                decision_number=decision_number,
                decision_date=decision_date,
                together_with=(nomination.pk,),
            )
        except TransitionRefused as refusal:
            refusal.nomination = nomination  # type: ignore[attr-defined]  # as `decision_issue` names it
            raise
        decision, day, salary = made["decision"], made["day"], made["salary"]
        multiple, amount = nomination_reward(approved, day, base_salary=salary.amount)
        DecisionItem.objects.create(
            decision=decision, nomination=approved, position=1, reward_multiple=multiple, amount=amount
        )
        document_record(
            obj=decision,
            actor=actor,
            perm=Perm.DECIDE,
            name="decision_issued",
            nominations=[approved.pk],
            data={"base_salary": salary.amount, "total": amount},
        )
    return approved


# The decision's fields are the transition's decision_number / decision_date over the API.
_FIELD = {"number": "decision_number", "date": "decision_date", "signer": "decision_number"}


def _insert_decision(**fields: Any) -> Decision:
    """`document_create` without its savepoint: inside `nomination_approve`'s transaction, which a
    refusal rolls back whole, the number taken by another decision meanwhile refuses the approval."""
    try:
        return Decision.objects.create(**fields)
    except IntegrityError:
        raise InvalidInput(
            _("Số %(number)s vừa được dùng cho văn bản khác.") % {"number": fields["number"]}, field="number"
        ) from None


def _salary_on(day: datetime.date) -> BaseSalary:
    try:
        return base_salary_on(day)
    except NoBaseSalary:
        raise RuleNotMet(
            _("Chưa có mức lương cơ sở áp dụng cho ngày %(day)s: quản trị hệ thống cần nhập trước.")
            % {"day": f"{day:%d/%m/%Y}"}
        ) from None


def decision_decline(*, nomination: Nomination, actor: Any, reason: str) -> Nomination:
    return nomination_decline(nomination=nomination, actor=actor, comment=reason)


def decision_revoke(*, nomination: Nomination, actor: Any, reason: str) -> Nomination:
    """Annul an awarded nomination: it becomes `revoked`, its decision's annex shows it, its history entry goes."""
    with transaction.atomic():
        # The history entry goes with the transition (workflow.services.follow_up).
        revoked = nomination_revoke(nomination=nomination, actor=actor, comment=reason)
    return revoked
