"""Forwarding upward: a tờ trình carrying a batch to the body that decides it, and that body's outcome."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from nominations.access import Perm
from nominations.models import Addressee, Nomination, UpwardSubmission, UpwardSubmissionItem
from workflow.base.errors import InvalidInput
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
from workflow.services.transitions import Step, nomination_record_outcome, run_transitions

DEFAULT_ADDRESSEE_NAMES = {
    Addressee.MINISTRY: "Tổng cục Thống kê",
    Addressee.BLOC: "Khối thi đua các cơ quan Trung ương đóng trên địa bàn tỉnh Ninh Thuận",
    Addressee.HOME_AFFAIRS: "Sở Nội vụ tỉnh Ninh Thuận",
    Addressee.PROVINCE: "Ủy ban nhân dân tỉnh Ninh Thuận",
}


def upward_submission_create(
    *,
    nominations: Iterable[Any],
    actor: Any,
    number: Any,
    date: Any,
    addressee: Any,
    signer: Any,
    addressee_name: str = "",
    comment: str = "",
) -> UpwardSubmission:
    """Forward a batch with one tờ trình to the body that decides it — all of them, or none."""
    number = clean_number(number)
    day = clean_date(date)
    if addressee not in Addressee.values:
        raise InvalidInput(_("Chọn nơi nhận tờ trình."), field="addressee")
    name = (addressee_name or "").strip() or DEFAULT_ADDRESSEE_NAMES[Addressee(addressee)]
    if len(name) > 200:
        raise InvalidInput(_("Tên cơ quan nhận dài quá 200 ký tự."), field="addressee_name")
    signer, signer_title = clean_signer(signer)
    ensure_can_sign(signer)  # (certsign) signed the same way as decisions
    ids = clean_batch(nominations)
    with transaction.atomic():
        batch = load_batch(ids)
        campaign = campaign_of(batch)
        number_free(UpwardSubmission, number, day.year)
        submission = document_create(
            UpwardSubmission,
            number=number,
            date=day,
            campaign=campaign,
            signer=signer,
            signer_title=signer_title,
            addressee=addressee,
            addressee_name=name,
            created_by=actor,
        )
        steps = [Step(n, comment=comment, params={"submission_number": number}) for n in batch]
        forwarded = run_transitions("forward", steps=steps, actor=actor)
        items = [
            UpwardSubmissionItem(submission=submission, nomination=nomination, position=position)
            for position, nomination in enumerate(forwarded, start=1)
        ]
        UpwardSubmissionItem.objects.bulk_create(items)
        document_record(
            obj=submission,
            actor=actor,
            perm=Perm.DECIDE,
            name="submission_sent",
            nominations=[n.pk for n in batch],
            data={"addressee": addressee},
        )
    return submission


def upward_outcome_record(
    *,
    nomination: Nomination,
    actor: Any,
    granted: bool,
    decision_number: str,
    decision_date: Any = None,
    comment: str = "",
) -> Nomination:
    """The upper authority's decision on a forwarded nomination: `granted` or `not_granted`."""
    day = clean_date(decision_date, field="decision_date") if decision_date not in (None, "") else None
    with transaction.atomic():
        # The date first: the award history, written by the transition, reads it (one writer, issue #18).
        UpwardSubmissionItem.objects.filter(nomination=nomination).update(outcome_date=day)
        decided = nomination_record_outcome(
            nomination=nomination,
            actor=actor,
            granted=granted,
            decision_number=decision_number,
            comment=comment,
        )
    return decided
