"""Decisions, upward submissions and reports: each carries a batch of nominations through one transition.

A batch is one transaction: every nomination moves through the transition service of
`workflow.services.transitions` (which locks it, checks the actor's per-object permission, its state and
the award rules, and writes the audit event), and the document is recorded with them — or, if any one
is refused, nothing is written at all. Nothing here sets a state directly.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nominations import roles
from nominations.access import Perm
from nominations.amounts import NoBaseSalary, base_salary_on, nomination_reward
from nominations.documents.data import campaign_counts
from nominations.documents.layout import agency
from nominations.models import (
    Addressee,
    AwardMethod,
    BaseSalary,
    Campaign,
    Decision,
    DecisionItem,
    Nomination,
    Person,
    Report,
    ReportItem,
    Role,
    UpwardSubmission,
    UpwardSubmissionItem,
)
from nominations.models.decisions import OfficialDocument
from nominations.selectors.decisions import reportable_nominations
from workflow.audit import log as audit
from workflow.base.errors import InvalidInput, NotPermitted, RuleNotMet, TransitionRefused, WrongState
from workflow.base.inputs import parse_id
from workflow.documents.signing import ensure_can_sign
from workflow.models import AuditEvent
from workflow.services.transitions import (
    acting_role,
    approve_precheck,
    approve_within_decision,
    nomination_decline,
    nomination_forward,
    nomination_record_outcome,
    nomination_report,
    nomination_revoke,
)

MAX_BATCH = 500
DEFAULT_ADDRESSEE_NAMES = {
    Addressee.MINISTRY: "Tổng cục Thống kê",
    Addressee.BLOC: "Khối thi đua các cơ quan Trung ương đóng trên địa bàn tỉnh Ninh Thuận",
    Addressee.HOME_AFFAIRS: "Sở Nội vụ tỉnh Ninh Thuận",
    Addressee.PROVINCE: "Ủy ban nhân dân tỉnh Ninh Thuận",
}


# --- input ------------------------------------------------------------------------------------------
def _clean_number(number: Any, field: str = "number") -> str:
    text = str(number or "").strip()
    if not text:
        raise InvalidInput(_("Cần số, ký hiệu văn bản (ví dụ 12/QĐ-CTK)."), field=field)
    if len(text) > 60:
        raise InvalidInput(_("Số, ký hiệu văn bản dài quá 60 ký tự."), field=field)
    return text


def _clean_date(day: Any, field: str = "date") -> datetime.date:
    if isinstance(day, datetime.datetime):
        day = day.date()
    if isinstance(day, str):
        try:
            day = datetime.date.fromisoformat(day.strip())
        except ValueError:
            day = None
    if not isinstance(day, datetime.date) or not 2000 <= day.year <= 2100:
        raise InvalidInput(_("Ngày không hợp lệ (YYYY-MM-DD)."), field=field)
    return day


def _clean_signer(signer: Any) -> tuple[Person, str]:
    """The signer and the signature block's lines: the Director signs as such, a Deputy "KT." for them."""
    if not isinstance(signer, Person):
        pk = parse_id(signer)
        signer = Person.objects.filter(pk=pk).first() if pk is not None else None
    if signer is None or not signer.is_active:
        raise InvalidInput(_("Chọn người ký (Cục trưởng hoặc Phó Cục trưởng)."), field="signer")
    a = agency()
    if roles.is_director(signer):
        return signer, a.head_title
    if roles.is_deputy_director(signer):
        return signer, f"KT. {a.head_title}\n{a.deputy_title}"
    raise InvalidInput(_("Người ký phải là Cục trưởng hoặc Phó Cục trưởng."), field="signer")


def _clean_batch(nominations: Iterable[Any]) -> tuple[int, ...]:
    ids: list[int] = []
    for item in nominations:
        pk = item.pk if isinstance(item, Nomination) else item
        value = parse_id(pk)
        if value is None:
            raise InvalidInput(_("Mã hồ sơ không hợp lệ: %(value)s.") % {"value": pk}, field="nominations")
        if value not in ids:
            ids.append(value)
    if not ids:
        raise InvalidInput(_("Chọn ít nhất một hồ sơ."), field="nominations")
    if len(ids) > MAX_BATCH:
        raise InvalidInput(_("Mỗi văn bản gồm tối đa %(n)s hồ sơ.") % {"n": MAX_BATCH}, field="nominations")
    return tuple(ids)


def _lock_batch(ids: Sequence[int]) -> None:
    """Lock the whole batch first, in one order, before any transition runs.

    Each transition's audit event takes the chain head's lock until commit; locking the nominations one
    by one between audit events would let two overlapping batches deadlock (each holding a nomination the
    other waits for, one of them also holding the chain head). Taking every row lock up front, in primary
    key order, makes a second batch wait here, before it holds anything the first one needs.
    """
    list(
        Nomination.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True)
    )


def _load_batch(ids: Sequence[int]) -> list[Nomination]:
    _lock_batch(ids)
    rows = list(
        Nomination.objects.filter(pk__in=ids)
        .select_related("campaign__parent", "award", "nominating_unit", "nominee_person")
        .order_by("award__order", "nominating_unit__order", "pk")
    )
    if len(rows) != len(ids):
        raise InvalidInput(_("Có hồ sơ không tồn tại trong danh sách đã chọn."), field="nominations")
    return rows


def _campaign_of(nominations: Sequence[Nomination]) -> Campaign:
    """One document concerns one campaign: the nominations' own, or the annual plan holding their phases."""
    campaigns = {n.campaign_id: n.campaign for n in nominations}
    if len(campaigns) == 1:
        return next(iter(campaigns.values()))
    roots = {c.parent_id or c.pk for c in campaigns.values()}
    if len(roots) == 1:
        root_id = roots.pop()
        root = campaigns.get(root_id) or next(c.parent for c in campaigns.values() if c.parent_id == root_id)
        if root is not None:
            return root
    raise InvalidInput(_("Một văn bản chỉ gồm hồ sơ của cùng một phong trào thi đua."), field="nominations")


def _number_free(model: type[OfficialDocument], number: str, year: int) -> None:
    if model._default_manager.filter(number=number, year=year).exists():
        raise InvalidInput(
            _("Số %(number)s đã được dùng cho văn bản khác trong năm %(year)s.")
            % {"number": number, "year": year},
            field="number",
        )


def _create(model: type[OfficialDocument], **fields: Any) -> Any:
    try:
        with transaction.atomic():
            return model._default_manager.create(**fields)
    except IntegrityError:
        # Another document took the number between our check and our insert.
        raise InvalidInput(
            _("Số %(number)s vừa được dùng cho văn bản khác.") % {"number": fields["number"]}, field="number"
        ) from None


def _require_role(actor: Any, wanted: Sequence[str], action: str) -> None:
    if not roles.has_any_role(actor, wanted):
        raise NotPermitted(_("Bạn không có quyền %(action)s.") % {"action": action})


def _record_document(
    *, obj: Any, actor: Any, perm: str, name: str, nominations: Sequence[int], data: dict[str, Any]
) -> None:
    audit.record(
        kind=AuditEvent.Kind.DOCUMENT,
        obj=obj,
        actor=actor,
        actor_role=acting_role(actor, perm),
        transition_name=name,
        data={"number": obj.number, "date": obj.date, "nominations": list(nominations), **data},
    )


# --- the Director's decision ----------------------------------------------------------------------------
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
    number = _clean_number(number)
    day = _clean_date(date)
    signer, signer_title = _clean_signer(signer)
    if method not in ("", *AwardMethod.values):
        raise InvalidInput(_("Phương thức khen thưởng không hợp lệ."), field="method")
    ensure_can_sign(signer)  # (certsign) a decision that cannot be signed is not issued
    ids = _clean_batch(nominations)
    with transaction.atomic():
        batch = _load_batch(ids)
        campaign = _campaign_of(batch)
        _number_free(Decision, number, day.year)
        try:
            salary = base_salary_on(day)
        except NoBaseSalary:
            raise RuleNotMet(
                _("Chưa có mức lương cơ sở áp dụng cho ngày %(day)s: quản trị hệ thống cần nhập trước.")
                % {"day": f"{day:%d/%m/%Y}"}
            ) from None
        decision = _create(
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
        items: list[DecisionItem] = []
        for position, nomination in enumerate(batch, start=1):
            try:
                approved = approve_within_decision(
                    nomination=nomination,
                    actor=actor,
                    decision_number=number,
                    decision_date=day,
                    comment=comment,
                    together_with=ids,
                )
            except TransitionRefused as refusal:
                refusal.nomination = nomination  # which item of the batch was refused
                raise
            multiple, amount = nomination_reward(approved, day)
            items.append(
                DecisionItem(
                    decision=decision,
                    nomination=approved,
                    position=position,
                    reward_multiple=multiple,
                    amount=amount,
                )
            )
        DecisionItem.objects.bulk_create(items)
        _record_document(
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
    `decision_issue`; `approve_within_decision` is the transition itself, run only by that service.
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


# --- forwarding upward ----------------------------------------------------------------------------------
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
    number = _clean_number(number)
    day = _clean_date(date)
    if addressee not in Addressee.values:
        raise InvalidInput(_("Chọn nơi nhận tờ trình."), field="addressee")
    name = (addressee_name or "").strip() or DEFAULT_ADDRESSEE_NAMES[Addressee(addressee)]
    if len(name) > 200:
        raise InvalidInput(_("Tên cơ quan nhận dài quá 200 ký tự."), field="addressee_name")
    signer, signer_title = _clean_signer(signer)
    ensure_can_sign(signer)  # (certsign) signed the same way as decisions
    ids = _clean_batch(nominations)
    with transaction.atomic():
        batch = _load_batch(ids)
        campaign = _campaign_of(batch)
        _number_free(UpwardSubmission, number, day.year)
        submission = _create(
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
        items = []
        for position, nomination in enumerate(batch, start=1):
            forwarded = nomination_forward(
                nomination=nomination, actor=actor, submission_number=number, comment=comment
            )
            items.append(UpwardSubmissionItem(submission=submission, nomination=forwarded, position=position))
        UpwardSubmissionItem.objects.bulk_create(items)
        _record_document(
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
    day = _clean_date(decision_date, field="decision_date") if decision_date not in (None, "") else None
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


# --- reports ---------------------------------------------------------------------------------------------
def report_create(
    *,
    campaign: Campaign,
    actor: Any,
    number: Any,
    date: Any,
    signer: Any,
    recipients: str | Sequence[str] | None = None,
) -> Report:
    """A draft report of a campaign or phase; it carries nothing until it is issued."""
    _require_role(actor, [Role.OFFICE_STAFF], _("lập báo cáo thi đua, khen thưởng"))
    number = _clean_number(number)
    day = _clean_date(date)
    signer, signer_title = _clean_signer(signer)
    if not isinstance(campaign, Campaign):
        raise InvalidInput(_("Chọn phong trào hoặc đợt thi đua."), field="campaign")
    lines = recipients.splitlines() if isinstance(recipients, str) else list(recipients or [])
    cleaned = [str(line).strip() for line in lines if str(line).strip()]
    fields: dict[str, Any] = {}
    if cleaned:
        fields["recipients"] = "\n".join(cleaned)
    with transaction.atomic():
        _number_free(Report, number, day.year)
        report = _create(
            Report,
            number=number,
            date=day,
            campaign=campaign,
            signer=signer,
            signer_title=signer_title,
            created_by=actor,
            **fields,
        )
        _record_document(
            obj=report, actor=actor, perm=Perm.REVIEW, name="report_drafted", nominations=[], data={}
        )
    return report


def report_issue(*, report: Report, actor: Any, comment: str = "") -> Report:
    """Issue the report: its campaign's approved and granted nominations move to `reported`, all or none."""
    _require_role(actor, [Role.OFFICE_STAFF], _("ban hành báo cáo thi đua, khen thưởng"))
    with transaction.atomic():
        locked = Report.objects.select_for_update().select_related("campaign").get(pk=report.pk)
        if locked.is_issued:
            raise WrongState(_("Báo cáo %(number)s đã được ban hành.") % {"number": locked.number})
        ids = list(reportable_nominations(locked.campaign).values_list("pk", flat=True))
        _lock_batch(ids)
        carried = list(  # re-read under the locks: only what is still approved or granted now
            reportable_nominations(locked.campaign)
            .filter(pk__in=ids)
            .order_by("award__order", "nominating_unit__order", "pk")
        )
        items = []
        for position, nomination in enumerate(carried, start=1):
            reported = nomination_report(nomination=nomination, actor=actor, comment=comment)
            items.append(ReportItem(report=locked, nomination=reported, position=position))
        ReportItem.objects.bulk_create(items)
        locked.counts = campaign_counts(locked.campaign)
        locked.state = Report.ReportState.ISSUED
        locked.issued_by = actor
        locked.issued_at = timezone.now()
        locked.save(update_fields=["counts", "state", "issued_by", "issued_at"])
        _record_document(
            obj=locked,
            actor=actor,
            perm=Perm.REVIEW,
            name="report_issued",
            nominations=[n.pk for n in carried],
            data={"counts_total": locked.counts.get("total", 0)},
        )
    return locked


# --- the base salary table (the administrator's) -------------------------------------------------------
def base_salary_save(
    *, salary: BaseSalary, actor: Any, changed_fields: list[str], created: bool
) -> BaseSalary:
    """Save a base salary row, logged like a rule change: it sets every later decision's amounts."""
    with transaction.atomic():
        salary.full_clean()
        salary.save()
        audit.record(
            kind=AuditEvent.Kind.RULE_CHANGED,
            obj=salary,
            actor=actor,
            actor_role=Role.ADMINISTRATOR,
            transition_name="created" if created else "changed",
            data={
                "amount": salary.amount,
                "effective_from": salary.effective_from,
                "legal_basis": salary.legal_basis,
                "fields": changed_fields,
            },
        )
    return salary


def base_salary_delete(*, salary: BaseSalary, actor: Any) -> None:
    with transaction.atomic():
        audit.record(
            kind=AuditEvent.Kind.RULE_CHANGED,
            obj=salary,
            actor=actor,
            actor_role=Role.ADMINISTRATOR,
            transition_name="deleted",
            data={"amount": salary.amount, "effective_from": salary.effective_from},
        )
        salary.delete()
