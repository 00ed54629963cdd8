"""The Director's decision: approving a batch of nominations with their amounts; declining, revoking one.

One transaction per decision (`workflow.services.document_common`): every nomination is approved, with
its line and amount, or none is.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from nominations.access import Perm
from nominations.amounts import NoBaseSalary, base_salary_on, reward_amount, rule_on
from nominations.models import AwardMethod, Decision, DecisionItem, Nomination
from workflow.base.errors import InvalidInput, RuleNotMet
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
    approve_precheck,
    nomination_decline,
    nomination_revoke,
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
    with transaction.atomic():
        batch = load_batch(ids)
        campaign = campaign_of(batch)
        number_free(Decision, number, day.year)
        try:
            salary = base_salary_on(day)
        except NoBaseSalary:
            raise RuleNotMet(
                _("Chưa có mức lương cơ sở áp dụng cho ngày %(day)s: quản trị hệ thống cần nhập trước.")
                % {"day": f"{day:%d/%m/%Y}"}
            ) from None
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
        rules: dict[int, Any] = {}  # `nomination_reward`'s rule, read once per award (one campaign, one day)
        for position, nomination in enumerate(approved, start=1):
            if nomination.award_id not in rules:
                rules[nomination.award_id] = rule_on(nomination, day)
            multiple = rules[nomination.award_id].reward_multiple_for(individual=nomination.is_individual)
            amount = reward_amount(multiple=multiple, base_salary=salary.amount)  # the salary read above
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
    `decision_issue`; `approve_all_within_decision` is the transition itself, run only by that service.
    """
    approve_precheck(
        nomination=nomination, actor=actor, decision_number=decision_number, decision_date=decision_date
    )
    try:
        decision = decision_issue(
            nominations=[nomination],
            actor=actor,
            number=decision_number,
            date=decision_date,
            signer=actor,
            comment=comment,
        )
    except InvalidInput as exc:
        # The decision's fields are the transition's decision_number / decision_date over the API.
        field = {"number": "decision_number", "date": "decision_date", "signer": "decision_number"}
        raise InvalidInput(exc.message, field=field.get(exc.field or "", exc.field)) from None
    return decision.items.select_related("nomination").get().nomination


def decision_decline(*, nomination: Nomination, actor: Any, reason: str) -> Nomination:
    return nomination_decline(nomination=nomination, actor=actor, comment=reason)


def decision_revoke(*, nomination: Nomination, actor: Any, reason: str) -> Nomination:
    """Annul an awarded nomination: it becomes `revoked`, its decision's annex shows it, its history entry goes."""
    with transaction.atomic():
        # The history entry goes with the transition (workflow.services.follow_up).
        revoked = nomination_revoke(nomination=nomination, actor=actor, comment=reason)
    return revoked
