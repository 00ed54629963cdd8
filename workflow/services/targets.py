"""Targets and their follow-up: results reported, returned, confirmed, reopened; the review's ratings.

Every write runs in one transaction with its audit event (`workflow.audit.log.record`), after the actor's
right on the unit has been checked here — the pages, the API and the admin all call these services.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nominations import roles
from nominations.models import (
    OrgUnit,
    Person,
    Review,
    Role,
    ScoringRule,
    Target,
    TargetEvidence,
    TargetResult,
)
from nominations.models.campaigns import Campaign
from nominations.rules import targets as rules
from nominations.rules.workdays import add_working_days
from nominations.selectors.commitments import campaign_units, unit_heads
from nominations.selectors.targets import expected_periods, reporting_unit, results_visible_to, targets_of
from workflow.audit import log as audit
from workflow.base.errors import Conflict, InvalidInput, NotPermitted, WrongState
from workflow.base.inputs import clean_text, parse_id
from workflow.base.language import site_language
from workflow.models import AuditEvent, Notification
from workflow.notify import notifications, workdays
from workflow.services.common import site_url
from workflow.services.nominations import dossier_file_check, stored_upload

MAX_TEXT = 4000
MAX_FILES = 5


def _text(value: Any, *, field: str, required: str | None = None) -> str:
    # Every entry point (page, API, admin) reaches here: NUL and other control characters are a 400.
    text = clean_text(value or "", field=field).strip()
    if required and not text:
        raise InvalidInput(required, field=field)
    if len(text) > MAX_TEXT:
        raise InvalidInput(_("Nội dung quá dài (tối đa %(n)s ký tự).") % {"n": MAX_TEXT}, field=field)
    return text


def _office(actor: Any) -> None:
    if not (roles.is_active(actor) and roles.is_office(actor)):
        raise NotPermitted(_("Chỉ Phòng Tổ chức - Hành chính mới thực hiện thao tác này."))


def report_due(period_end: datetime.date, days: int) -> datetime.date:
    """The report deadline: `days` working days after the period's end, Holiday rows excluded."""
    return add_working_days(period_end, days, workdays.holidays_around(period_end))


class DueCalendar:
    """`report_due` with the holidays read once (a matrix asks for hundreds of deadlines)."""

    def __init__(self, around: datetime.date) -> None:
        self.holidays = workdays.holidays_around(around)
        self.cache: dict[tuple[datetime.date, int], datetime.date] = {}

    def __call__(self, period_end: datetime.date, days: int) -> datetime.date:
        key = (period_end, days)
        if key not in self.cache:
            self.cache[key] = add_working_days(period_end, days, self.holidays)
        return self.cache[key]


# --- reference data (the admin's saves) ------------------------------------------------------------------
def reference_save(
    *, obj: Target | ScoringRule | Review, actor: Any, changed_fields: list[str], created: bool
) -> None:
    """A target, scoring rule or review saved in the admin: validated, saved, and logged in the chain."""
    with transaction.atomic():
        obj.full_clean()
        obj.save()
        audit.record(
            kind=AuditEvent.Kind.RULE_CHANGED,
            obj=obj,
            actor=actor,
            actor_role=Role.ADMINISTRATOR if roles.is_administrator(actor) else "",
            transition_name="created" if created else "changed",
            data={
                "fields": {
                    name: getattr(obj, name + "_id", getattr(obj, name, None)) for name in changed_fields
                }
            },
        )


# --- reading a value of the target's kind ----------------------------------------------------------------
def _number(value: Any, *, low: Decimal, high: Decimal, message: str) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise InvalidInput(message, field="value") from None
    if not number.is_finite() or not low <= number <= high:
        raise InvalidInput(message, field="value")
    return number.quantize(Decimal("0.01"))


def _date(value: Any, *, field: str) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()
    for parse in (datetime.date.fromisoformat, lambda t: datetime.datetime.strptime(t, "%d/%m/%Y").date()):
        try:
            return parse(text)
        except ValueError:
            continue
    raise InvalidInput(_("Ngày không hợp lệ (dd/mm/yyyy)."), field=field)


def clean_value(target: Target, value: Any, delivered_on: Any) -> tuple[Decimal | None, datetime.date | None]:
    """The value of a result, read by the target's kind; a value of the wrong kind is a clear 400."""
    if target.kind == Target.Kind.DELIVERABLE:
        if delivered_on in (None, ""):
            raise InvalidInput(
                _("Chỉ tiêu “%(name)s” là sản phẩm có thời hạn: cần ngày hoàn thành, không phải một con số.")
                % {"name": target.name},
                field="delivered_on",
            )
        return None, _date(delivered_on, field="delivered_on")
    if value in (None, ""):
        raise InvalidInput(_("Cần nhập kết quả."), field="value")
    if target.kind == Target.Kind.RANKING:
        number = _number(
            value,
            low=Decimal(-63),
            high=Decimal(63),
            message=_("Thay đổi vị thứ là số bậc nguyên, từ -63 đến 63 (tăng là số dương)."),
        )
        if number != number.to_integral_value():
            raise InvalidInput(
                _("Thay đổi vị thứ là số bậc nguyên, từ -63 đến 63 (tăng là số dương)."), field="value"
            )
        return number, None
    high = Decimal(100) if target.kind == Target.Kind.SHARE else Decimal(200)
    return (
        _number(
            value,
            low=Decimal(0),
            high=high,
            message=_("Kết quả là tỷ lệ phần trăm, từ 0 đến %(high)s.") % {"high": high},
        ),
        None,
    )


def _evidence(uploads: Sequence[UploadedFile]) -> list[tuple[UploadedFile, str]]:
    if len(uploads) > MAX_FILES:
        raise InvalidInput(_("Tối đa %(n)s tệp minh chứng mỗi lần.") % {"n": MAX_FILES}, field="files")
    return [(upload, dossier_file_check(upload)) for upload in uploads]


# --- results -----------------------------------------------------------------------------------------------
def result_report(
    *,
    actor: Person,
    target: Target,
    period: str,
    value: Any = None,
    delivered_on: Any = None,
    comment: Any = "",
    files: Sequence[UploadedFile] = (),
    today: datetime.date | None = None,
) -> TargetResult:
    """A unit head reports (or corrects) their unit's result for one target and period.

    Accepted after the deadline, marked late. Refused once the office confirmed it, until reopened.
    """
    unit = reporting_unit(actor)
    if unit is None:
        raise NotPermitted(_("Chỉ trưởng đơn vị mới báo cáo kết quả của đơn vị mình."))
    campaign = target.campaign
    if target.unit_id is not None and target.unit_id != unit.pk:
        raise NotPermitted(_("Chỉ tiêu này là của đơn vị khác."))
    if not campaign_units(campaign).filter(pk=unit.pk).exists():
        raise InvalidInput(_("Đơn vị của bạn không tham gia phong trào này."), field="target")
    try:
        the_period = rules.check_period(
            period, kinds=target.periods, starts_on=campaign.starts_on, ends_on=campaign.ends_on
        )
    except rules.PeriodError as error:
        raise InvalidInput(str(error), field="period") from None
    number, delivered = clean_value(target, value, delivered_on)
    text = _text(comment, field="comment")
    checked = _evidence(files)
    today = today or timezone.localdate()
    if delivered is not None and delivered > today:
        raise InvalidInput(_("Ngày hoàn thành không thể sau hôm nay."), field="delivered_on")
    if the_period.starts_on > today:
        raise InvalidInput(_("Kỳ %(period)s chưa bắt đầu.") % {"period": the_period.label}, field="period")
    due = report_due(the_period.ends_on, target.report_days)
    met = rules.is_met(
        kind=target.kind,
        threshold=target.threshold,
        value=number,
        due_on=target.due_on,
        delivered_on=delivered,
    )
    try:
        with transaction.atomic():
            OrgUnit.objects.select_for_update().get(pk=unit.pk)  # one report of a unit at a time
            result = TargetResult.objects.filter(target=target, unit=unit, period=the_period.code).first()
            created = result is None
            before: dict[str, Any] = {}
            if result is None:
                result = TargetResult(
                    target=target, unit=unit, period=the_period.code, period_ends_on=the_period.ends_on
                )
            else:
                if result.state not in TargetResult.EDITABLE:
                    raise WrongState(
                        _("Kết quả đã được Phòng TC-HC xác nhận: không sửa được trừ khi được mở lại.")
                    )
                before = {"value": result.value, "delivered_on": result.delivered_on, "state": result.state}
            from_state = "" if created else result.state
            result.value = number
            result.delivered_on = delivered
            result.comment = text
            result.met = met
            result.due_on = due
            result.late = today > due
            result.state = TargetResult.State.REPORTED
            result.return_reason = ""
            result.reported_by = actor
            result.reported_at = timezone.now()
            result.save()
            for upload, detected in checked:
                TargetEvidence.objects.create(result=result, **stored_upload(upload, detected, actor=actor))
            audit.record(
                kind=AuditEvent.Kind.OTHER,
                obj=result,
                actor=actor,
                actor_role=Role.UNIT_HEAD,
                transition_name="target_report" if created else "target_correct",
                from_state=from_state,
                to_state=result.state,
                comment=text,
                data={
                    "target": target.code,
                    "unit": unit.code,
                    "period": the_period.code,
                    "value": number,
                    "delivered_on": delivered,
                    "met": met,
                    "late": result.late,
                    "files": [u.name for u, _d in checked],
                    "before": before,
                },
            )
    except IntegrityError:
        raise Conflict(_("Kết quả vừa được báo cáo từ nơi khác; hãy tải lại trang.")) from None
    return result


def _lock(result: TargetResult) -> TargetResult:
    try:
        return TargetResult.objects.select_for_update().select_related("target", "unit").get(pk=result.pk)
    except TargetResult.DoesNotExist:
        raise WrongState(_("Kết quả không còn tồn tại.")) from None


def _office_change(
    *, actor: Any, result: TargetResult, allowed: Iterable[str], to: str, name: str, reason: str = ""
) -> TargetResult:
    _office(actor)
    with transaction.atomic():
        locked = _lock(result)
        if locked.state not in allowed:
            raise WrongState(
                _("Không thực hiện được với kết quả đang ở tình trạng “%(state)s”.")
                % {"state": locked.get_state_display()}
            )
        from_state = locked.state
        locked.state = to
        if name == "target_return":
            locked.return_reason = reason
        if name == "target_confirm":
            locked.confirmed_by = actor
            locked.confirmed_at = timezone.now()
        locked.save()
        event = audit.record(
            kind=AuditEvent.Kind.OTHER,
            obj=locked,
            actor=actor,
            actor_role=Role.OFFICE_STAFF,
            transition_name=name,
            from_state=from_state,
            to_state=to,
            comment=reason,
            data={"target": locked.target.code, "unit": locked.unit.code, "period": locked.period},
        )
        if name in {"target_return", "target_reopen"}:
            heads = list(unit_heads(locked.unit))
            with site_language():
                subject = _("[Thi đua] Kết quả chỉ tiêu được trả lại: %(target)s, kỳ %(period)s") % {
                    "target": locked.target.name,
                    "period": rules.parse_period(locked.period).label,
                }
                body = _(
                    "Phòng TC-HC đề nghị đơn vị %(unit)s sửa kết quả. Lý do: %(reason)s\nXem tại: %(url)s"
                ) % {
                    "unit": locked.unit.name,
                    "reason": reason,
                    "url": site_url("targets:unit_results"),
                }
            notifications.queue(recipients=heads, subject=subject, body=body, event=event)
    return locked


def result_return(*, actor: Any, result: TargetResult, reason: Any) -> TargetResult:
    text = _text(reason, field="reason", required=_("Cần nêu lý do trả lại."))
    return _office_change(
        actor=actor,
        result=result,
        allowed=(TargetResult.State.REPORTED, TargetResult.State.REOPENED),
        to=TargetResult.State.RETURNED,
        name="target_return",
        reason=text,
    )


def result_confirm(*, actor: Any, result: TargetResult) -> TargetResult:
    return _office_change(
        actor=actor,
        result=result,
        allowed=(TargetResult.State.REPORTED, TargetResult.State.REOPENED),
        to=TargetResult.State.CONFIRMED,
        name="target_confirm",
    )


def result_reopen(*, actor: Any, result: TargetResult, reason: Any) -> TargetResult:
    text = _text(reason, field="reason", required=_("Cần nêu lý do mở lại."))
    return _office_change(
        actor=actor,
        result=result,
        allowed=(TargetResult.State.CONFIRMED,),
        to=TargetResult.State.REOPENED,
        name="target_reopen",
        reason=text,
    )


# --- reminders (once each, through the outbox) ---------------------------------------------------------------
def target_reminders_send(*, today: datetime.date | None = None, within_days: int = 3) -> int:
    """Remind unit heads of results not yet reported whose deadline falls in the next `within_days` days.

    Each head is reminded once per target, unit and period (the outbox's dedupe key), however often
    this runs. Returns how many reminders were queued.
    """
    today = today or timezone.localdate()
    due = DueCalendar(today)
    keys: list[str] = []
    campaigns = Campaign.objects.filter(targets__isnull=False, starts_on__lte=today).distinct()
    with transaction.atomic():
        for campaign in campaigns:
            units = list(campaign_units(campaign))
            reported = set(
                TargetResult.objects.filter(target__campaign=campaign)
                .exclude(state=TargetResult.State.RETURNED)
                .values_list("target_id", "unit_id", "period")
            )
            for target in targets_of(campaign=campaign):
                for period in expected_periods(target, campaign):
                    deadline = due(period.ends_on, target.report_days)
                    if not today <= deadline <= today + datetime.timedelta(days=within_days):
                        continue
                    for unit in units:
                        if (target.unit_id and target.unit_id != unit.pk) or (
                            target.pk,
                            unit.pk,
                            period.code,
                        ) in reported:
                            continue
                        key = f"target-reminder:{target.pk}:{unit.pk}:{period.code}"
                        fresh = [
                            p
                            for p in unit_heads(unit)
                            if p.email
                            and not Notification.objects.filter(dedupe_key=f"{key}:{p.pk}").exists()
                        ]
                        if not fresh:
                            continue
                        with site_language():
                            subject = _("[Thi đua] Nhắc báo cáo kết quả chỉ tiêu: %(period)s") % {
                                "period": period.label
                            }
                            body = _(
                                "Đơn vị %(unit)s chưa báo cáo kết quả chỉ tiêu “%(target)s” kỳ %(period)s.\n"
                                "Hạn báo cáo: %(deadline)s.\nBáo cáo tại: %(url)s"
                            ) % {
                                "unit": unit.name,
                                "target": target.name,
                                "period": period.label,
                                "deadline": f"{deadline:%d/%m/%Y}",
                                "url": site_url("targets:unit_results"),
                            }
                        notifications.queue(recipients=fresh, subject=subject, body=body, dedupe_key=key)
                        keys.extend(f"{key}:{p.pk}" for p in fresh)
    if keys:
        notifications.deliver_keyed(keys)
    return len(keys)


def visible_result_or_none(user: Any, pk: Any) -> TargetResult | None:
    """The result if it exists and `user` may see it (404 otherwise, the same for both)."""
    result_id = parse_id(pk)
    if result_id is None:
        return None
    return results_visible_to(user=user).filter(pk=result_id).first()
