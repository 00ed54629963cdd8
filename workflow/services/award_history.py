"""The award history (quá trình khen thưởng): earlier years typed in by the office, and the awards
decided here, entered by `award_record_from_decision` — the one writer of a decided award's record.

Run from `workflow.services.follow_up.after_transition`, inside the transition's transaction: this
module never imports the transition services (it is part of what a transition runs).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Case, CharField, Q, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from nominations import roles
from nominations.models import (
    Award,
    AwardRecord,
    Decision,
    Nomination,
    Person,
    Role,
    State,
    UpwardSubmissionItem,
    method_for_campaign,
)
from workflow.audit import log as audit
from workflow.base.errors import InvalidInput, NotPermitted, WrongState
from workflow.base.inputs import require_int
from workflow.models import AuditEvent
from workflow.services.common import require_active


def _record_fields(
    *, person: Person | None, award: Any, year: Any, decision_number: Any, decision_date: Any
) -> dict[str, Any]:
    if person is None:
        raise InvalidInput(_("Chọn cán bộ."), field="person")
    if not isinstance(award, Award):
        award = Award.objects.filter(code=str(award or "")).first()
    if award is None:
        raise InvalidInput(_("Chọn danh hiệu, hình thức khen thưởng."), field="award")
    if not award.accepts(individual=True):
        raise InvalidInput(_("%(award)s không xét cho cá nhân.") % {"award": award.name}, field="award")
    year = require_int(year, field="year", minimum=1945, maximum=9999, message=_("Năm không hợp lệ."))
    this_year = timezone.localdate().year
    if not 1945 <= year < this_year:
        raise InvalidInput(
            _(
                "Chỉ nhập quá trình khen thưởng của các năm trước (đến năm %(last)s); từ năm nay, quá trình được "
                "ghi từ các quyết định trong hệ thống."
            )
            % {"last": this_year - 1},
            field="year",
        )
    number = str(decision_number or "").strip()
    if not number or len(number) > 60:
        raise InvalidInput(_("Cần số quyết định (tối đa 60 ký tự)."), field="decision_number")
    if decision_date in ("", None):
        decision_date = None
    elif isinstance(decision_date, str):
        try:
            decision_date = datetime.date.fromisoformat(decision_date)
        except ValueError:
            raise InvalidInput(
                _("Ngày quyết định không hợp lệ (YYYY-MM-DD)."), field="decision_date"
            ) from None
    if decision_date is not None and not isinstance(decision_date, datetime.date):
        raise InvalidInput(_("Ngày quyết định không hợp lệ (YYYY-MM-DD)."), field="decision_date")
    return {
        "person": person,
        "award": award,
        "year": year,
        "decision_number": number,
        "decision_date": decision_date,
    }


def _may_edit(actor: Any) -> None:
    require_active(actor)
    if not roles.is_office(actor):
        raise NotPermitted(_("Chỉ Phòng Tổ chức - Hành chính mới sửa quá trình khen thưởng."))


def _record_data(record: AwardRecord) -> dict[str, Any]:
    return {
        "person": record.person.username if record.person else None,
        "award": record.award.code,
        "year": record.year,
        "decision_number": record.decision_number,
        "decision_date": record.decision_date,
    }


def _no_duplicate(fields: dict[str, Any], exclude: int | None = None) -> None:
    same = AwardRecord.objects.filter(person=fields["person"], award=fields["award"], year=fields["year"])
    if exclude is not None:
        same = same.exclude(pk=exclude)
    if same.exists():
        raise InvalidInput(
            _("%(person)s đã có %(award)s năm %(year)s.")
            % {"person": fields["person"], "award": fields["award"].name, "year": fields["year"]},
            field="year",
        )


def award_record_add(
    *,
    actor: Person,
    person: Person | None,
    award: Any,
    year: Any,
    decision_number: Any,
    decision_date: Any = None,
) -> AwardRecord:
    """The office enters an award of an earlier year (before the system) into a person's history."""
    _may_edit(actor)
    fields = _record_fields(
        person=person, award=award, year=year, decision_number=decision_number, decision_date=decision_date
    )
    with transaction.atomic():
        Person.objects.select_for_update().get(pk=fields["person"].pk)
        _no_duplicate(fields)
        record = AwardRecord.objects.create(**fields)
        audit.record(
            kind=AuditEvent.Kind.OTHER,
            obj=record,
            actor=actor,
            actor_role=Role.OFFICE_STAFF,
            data={"action": "award_record_added", **_record_data(record)},
        )
    return record


def _locked_manual(record: AwardRecord) -> AwardRecord:
    """The row, locked for this transaction; refused when a decision in the system wrote it."""
    locked = (
        AwardRecord.objects.select_for_update(of=("self",))
        .select_related("person", "award")
        .get(pk=record.pk)
    )
    if locked.nomination_id is not None:
        raise WrongState(
            _(
                "Bản ghi này theo quyết định khen thưởng trong hệ thống; chỉ thay đổi bằng quyết định (hủy bỏ)."
            )
        )
    return locked


def award_record_update(
    *,
    actor: Person,
    record: AwardRecord,
    award: Any,
    year: Any,
    decision_number: Any,
    decision_date: Any = None,
) -> AwardRecord:
    _may_edit(actor)
    with transaction.atomic():
        locked = _locked_manual(record)
        fields = _record_fields(
            person=locked.person,
            award=award,
            year=year,
            decision_number=decision_number,
            decision_date=decision_date,
        )
        _no_duplicate(fields, exclude=locked.pk)
        before = _record_data(locked)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save()
        audit.record(
            kind=AuditEvent.Kind.OTHER,
            obj=locked,
            actor=actor,
            actor_role=Role.OFFICE_STAFF,
            data={"action": "award_record_changed", "before": before, "after": _record_data(locked)},
        )
    return locked


def award_record_remove(*, actor: Person, record: AwardRecord) -> None:
    _may_edit(actor)
    with transaction.atomic():
        locked = _locked_manual(record)
        audit.record(
            kind=AuditEvent.Kind.OTHER,
            obj=locked,
            actor=actor,
            actor_role=Role.OFFICE_STAFF,
            data={"action": "award_record_removed", **_record_data(locked)},
        )
        locked.delete()


def award_record_from_decision(*, nomination: Nomination) -> AwardRecord:
    """An award decided here (approved by the Director, or granted upward) enters the nominee's history.

    A record the office typed in earlier for the same nominee, award and year is linked, not doubled.
    No audit event of its own: the transition's event (decision number and date) is the record of it.
    The one writer of a decided award's record (issue #18): `decision_issue` and
    `decision_record_outcome` leave what it reads (the decision's method, the upper authority's date)
    in place before their transition runs, and write no history themselves.
    """
    if nomination.state == State.GRANTED:
        number = nomination.outcome_decision_number
        day = (
            UpwardSubmissionItem.objects.filter(nomination=nomination)
            .values_list("outcome_date", flat=True)
            .first()
        )
    else:
        number, day = nomination.decision_number, nomination.decision_date
    nominee = {"person_id": nomination.nominee_person_id, "unit_id": nomination.nominee_unit_id}
    year = nomination.campaign.year
    # One read: the record to keep (this nomination's own, else the office's of the same nominee, award
    # and year, the oldest) and the decision's method, both as columns of the nomination's own row.
    record_pk, method = (
        Nomination.objects.filter(pk=nomination.pk)
        .annotate(
            record_pk=Subquery(
                AwardRecord.objects.filter(
                    Q(nomination=nomination)
                    | Q(**nominee, award_id=nomination.award_id, year=year, nomination__isnull=True)
                )
                .order_by(Case(When(nomination=nomination, then=0), default=1), "pk")
                .values("pk")[:1]
            ),
            method=_decision_method(nomination.decision_number, nomination.decision_date),
        )
        .values_list("record_pk", "method")
        .get()
    )
    record = AwardRecord(
        pk=record_pk,
        nomination=nomination,
        award_id=nomination.award_id,
        year=year,
        decision_number=number,
        decision_date=day,
        method=method or method_for_campaign(nomination.campaign.kind),
        **nominee,
    )
    if record_pk is None:
        record.save(force_insert=True)
    else:
        AwardRecord.objects.filter(pk=record_pk).update(
            nomination=nomination,
            decision_number=number,
            decision_date=day,
            method=record.method,
        )
    return record


def _decision_method(number: str, day: datetime.date | None) -> Any:
    """The Director's decision says the method of its awards; else the campaign does (biểu 0603.N).

    The decision is found by its number and year (unique), as its annex lines are written after the
    transitions it runs: a column of the award record's own read (None without such a decision)."""
    if not number or day is None:
        return Value(None, output_field=CharField())
    return Subquery(Decision.objects.filter(number=number, year=day.year).values("method")[:1])


def award_record_annul(*, nomination: Nomination) -> None:
    """A revoked decision leaves the history (the approve and revoke events keep what it was)."""
    AwardRecord.objects.filter(nomination=nomination).delete()
