"""Participation and transparency: commitments, the public notice, complaints, delegation, award history.

Every write here runs in one transaction with its audit event, like the transitions. The pieces that
follow a transition (publishing a council result, entering an award in the history) run from
`after_transition`, which `workflow.routing` calls inside the transition's own transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from nominations import roles
from nominations.access import Perm, holds, people_holding
from nominations.models import (
    Award,
    AwardRecord,
    Campaign,
    Commitment,
    Complaint,
    Decision,
    Delegation,
    Nomination,
    NoticePublication,
    OrgUnit,
    Person,
    Role,
    State,
    method_for_campaign,
)
from nominations.rules.publicity import latest_notice
from nominations.selectors.commitments import (
    campaign_units,
    commitment_deadline,
    unit_heads,
    units_not_registered,
)
from workflow import audit, notifications
from workflow.errors import InvalidInput, NotPermitted, RuleNotMet, WrongState
from workflow.inputs import require_id, require_int
from workflow.language import site_language
from workflow.models import AuditEvent, Notification
from workflow.services.transitions import Authority, run_transition
from workflow.workdays import holidays_around

COMPLAINANT_ROLE = "complainant"
# A complaint in the notice period puts the item on hold, whoever lodges it (ND152 Art. 4): the
# complaint service — never a page or API call of `hold` — runs the hold on this ground, as the system.
# Who complained is named only in the complaint's own audit event, which is kept off the nomination's
# timeline (its unit head reads that timeline): the office and the auditor see it, the nominee's unit not.
COMPLAINT_HOLD = Authority(role="system", reason="complaint", transitions=frozenset({"hold"}))
MAX_TEXT = 4000


def _url(name: str, *args: Any) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def _text(value: Any, field: str, message: str) -> str:
    text = str(value or "").strip()
    if not text:
        raise InvalidInput(message, field=field)
    if len(text) > MAX_TEXT:
        raise InvalidInput(_("Nội dung quá dài (tối đa %(n)s ký tự).") % {"n": MAX_TEXT}, field=field)
    return text


def _active(actor: Any) -> None:
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise NotPermitted(_("Cần đăng nhập."))


# --- commitments (đăng ký thi đua) -------------------------------------------------------------------
def _awards_by_code(codes: Iterable[Any], *, individual: bool, field: str) -> list[Award]:
    wanted = {str(code).strip() for code in codes if str(code).strip()}
    awards = {a.code: a for a in Award.objects.filter(code__in=wanted)}
    unknown = sorted(wanted - set(awards))
    if unknown:
        raise InvalidInput(_("Không có danh hiệu mã %(codes)s.") % {"codes": ", ".join(unknown)}, field=field)
    for award in awards.values():
        if not award.accepts(individual=individual):
            raise InvalidInput(
                _("%(award)s không xét cho đối tượng này (%(kind)s).")
                % {"award": award.name, "kind": award.get_recipient_display()},
                field=field,
            )
    return sorted(awards.values(), key=lambda a: (a.order, a.code))


def commitments_register(
    *,
    actor: Person,
    campaign: Campaign,
    unit_awards: Iterable[Any],
    people_awards: Mapping[Any, Iterable[Any]],
) -> list[Commitment]:
    """A unit head registers what their unit and each of its people aim for in `campaign`.

    `unit_awards` and each value of `people_awards` (keyed by person id) are award codes. The call
    states the unit's whole registration: titles left out are withdrawn. Refused after the deadline.
    """
    _active(actor)
    if not roles.heads_a_unit(actor):
        raise NotPermitted(_("Chỉ trưởng đơn vị mới đăng ký thi đua cho đơn vị mình."))
    unit = actor.unit
    assert unit is not None
    if not campaign_units(campaign).filter(pk=unit.pk).exists():
        raise InvalidInput(_("Đơn vị của bạn không tham gia phong trào này."), field="campaign")
    deadline = commitment_deadline(campaign)
    if timezone.localdate() > deadline:
        raise RuleNotMet(
            _("Đã hết hạn đăng ký thi đua của phong trào này (hạn cuối: %(day)s).")
            % {"day": f"{deadline:%d/%m/%Y}"}
        )
    collective = _awards_by_code(unit_awards, individual=False, field="unit_awards")
    person_ids: dict[int, list[Award]] = {}
    for key, codes in people_awards.items():
        pk = require_id(key, field="people", message=_("Cán bộ không hợp lệ."))
        person_ids[pk] = _awards_by_code(codes, individual=True, field="people")
    people = {p.pk: p for p in Person.objects.filter(pk__in=person_ids, unit=unit, is_active=True)}
    if set(person_ids) - set(people):
        raise InvalidInput(_("Chỉ đăng ký cho cán bộ thuộc đơn vị mình."), field="people")
    wanted: set[tuple[int | None, int]] = {(None, a.pk) for a in collective}
    wanted |= {(pk, a.pk) for pk, awards in person_ids.items() for a in awards}

    with transaction.atomic():
        # One registration of a unit at a time: the unit's row orders concurrent submissions.
        OrgUnit.objects.select_for_update().get(pk=unit.pk)
        existing = {
            (c.person_id, c.award_id): c for c in Commitment.objects.filter(campaign=campaign, unit=unit)
        }
        removed = [c for key, c in existing.items() if key not in wanted]
        added = [
            Commitment(campaign=campaign, unit=unit, person_id=pk, award_id=award_id, registered_by=actor)
            for pk, award_id in sorted(wanted - set(existing), key=lambda k: (k[0] or 0, k[1]))
        ]
        if removed:
            Commitment.objects.filter(pk__in=[c.pk for c in removed]).delete()
        Commitment.objects.bulk_create(added)
        codes = dict(Award.objects.values_list("pk", "code"))
        usernames = {pk: p.username for pk, p in people.items()}
        usernames.update(
            dict(
                Person.objects.filter(pk__in=[c.person_id for c in removed if c.person_id]).values_list(
                    "pk", "username"
                )
            )
        )

        def describe(person_id: int | None, award_id: int) -> str:
            return f"{usernames.get(person_id, '?') if person_id else unit.code}:{codes[award_id]}"

        with site_language():
            comment = _("Đăng ký thi đua của %(unit)s") % {"unit": unit.name}
        audit.record(
            kind=AuditEvent.Kind.OTHER,
            obj=campaign,
            actor=actor,
            actor_role=Role.UNIT_HEAD,
            comment=comment,
            data={
                "action": "commitments_registered",
                "unit": unit.code,
                "added": [describe(c.person_id, c.award_id) for c in added],
                "removed": [describe(c.person_id, c.award_id) for c in removed],
            },
        )
    return list(Commitment.objects.filter(campaign=campaign, unit=unit).select_related("award", "person"))


def commitment_reminders_send(*, today: datetime.date | None = None, within_days: int = 10) -> int:
    """Remind the heads of units that have not registered, for campaigns whose deadline is near.

    Each head is reminded once per campaign and deadline (the outbox's dedupe key), however often this
    runs; a deadline moved later earns a new reminder. Returns how many reminders were queued.
    """
    today = today or timezone.localdate()
    campaigns = Campaign.objects.filter(
        commitment_deadline__gte=today, commitment_deadline__lte=today + datetime.timedelta(days=within_days)
    ).order_by("commitment_deadline", "pk")
    keys: list[str] = []
    with transaction.atomic():
        for campaign in campaigns:
            deadline = commitment_deadline(campaign)
            for unit in units_not_registered(campaign=campaign):
                key = f"commitment-reminder:{campaign.pk}:{unit.pk}:{deadline.isoformat()}"
                heads = [p for p in unit_heads(unit) if p.email]
                fresh = [
                    p for p in heads if not Notification.objects.filter(dedupe_key=f"{key}:{p.pk}").exists()
                ]
                if not fresh:
                    continue
                with site_language():
                    subject = _("[Thi đua] Nhắc đăng ký thi đua: %(campaign)s") % {"campaign": campaign.name}
                    body = _(
                        "Đơn vị %(unit)s chưa đăng ký thi đua trong phong trào “%(campaign)s”.\n"
                        "Hạn cuối: %(deadline)s.\nĐăng ký tại: %(url)s"
                    ) % {
                        "unit": unit.name,
                        "campaign": campaign.name,
                        "deadline": f"{deadline:%d/%m/%Y}",
                        "url": _url("participation:commitment_register", campaign.pk),
                    }
                notifications.queue(recipients=fresh, subject=subject, body=body, dedupe_key=key)
                keys.extend(f"{key}:{p.pk}" for p in fresh)
    if keys:
        # Rows inserted with a dedupe key get no id back from bulk_create; deliver them by key.
        notifications.deliver(
            Notification.objects.filter(dedupe_key__in=keys, sent_at__isnull=True).values_list(
                "pk", flat=True
            )
        )
    return len(keys)


# --- the public notice (công khai) --------------------------------------------------------------------
def notice_publish(*, nomination: Nomination, event: AuditEvent) -> NoticePublication | None:
    """Publish the council's result for the campaign's notice period (none when it is 0 days).

    No audit event of its own: a transition writes exactly one (DOMAIN.md), and this row is derived
    from it — written in its transaction, starting at its very time, with the period it had then.
    """
    days = nomination.campaign.notice_days
    if not days:
        return None
    notice = NoticePublication(nomination=nomination, outcome=nomination.state, notice_days=days)
    notice.set_period(event.at, holidays_around(timezone.localtime(event.at).date()))
    notice.save()
    return notice


# --- complaints (khiếu nại) ---------------------------------------------------------------------------
def complaint_lodge(*, nomination: Nomination, actor: Person, text: str) -> Complaint:
    """Any member of staff contests a published result during its notice period; the item goes on hold."""
    _active(actor)
    text = _text(text, "text", _("Cần nêu nội dung khiếu nại."))
    today = timezone.localdate()
    with transaction.atomic():
        locked = Nomination.objects.select_for_update().select_related("award").get(pk=nomination.pk)
        notice = latest_notice(locked)
        if notice is None:
            raise WrongState(_("Kết quả của hồ sơ này không được công khai."))
        if not notice.is_running(today):
            raise WrongState(
                _("Thời gian công khai đã kết thúc ngày %(end)s: không còn nhận khiếu nại.")
                % {"end": f"{notice.ends_on:%d/%m/%Y}"}
            )
        if locked.state not in (State.PROPOSED, State.ON_HOLD):
            raise WrongState(
                _("Không thể khiếu nại khi hồ sơ đang ở trạng thái “%(state)s”.")
                % {"state": State(locked.state).label}
            )
        if Complaint.objects.filter(nomination=locked, lodged_by=actor, state=Complaint.State.OPEN).exists():
            raise WrongState(_("Bạn đã có khiếu nại về hồ sơ này đang được giải quyết."))
        complaint = Complaint.objects.create(nomination=locked, notice=notice, lodged_by=actor, text=text)
        audit.record(
            kind=AuditEvent.Kind.OTHER,
            obj=complaint,
            actor=actor,
            actor_role=COMPLAINANT_ROLE,
            comment=text,
            data={"action": "complaint_lodged", "nomination": locked.pk, "notice": notice.pk},
        )
        if locked.state == State.PROPOSED:
            with site_language():
                comment = _("Có khiếu nại #%(id)s trong thời gian công khai kết quả.") % {"id": complaint.pk}
            run_transition(
                "hold",
                nomination=locked,
                actor=actor,
                comment=comment,
                authority=COMPLAINT_HOLD,
                audit_data={"complaint": complaint.pk},
            )
        office = list(people_holding(Perm.REVIEW, locked))
        with site_language():
            notifications.queue(
                recipients=office,
                subject=_("[Thi đua] Khiếu nại về kết quả công khai: %(nominee)s — %(award)s")
                % {"nominee": locked.nominee, "award": locked.award.name},
                body=_("Có khiếu nại mới (#%(id)s) cần giải quyết:\n%(text)s\nXem: %(url)s")
                % {
                    "id": complaint.pk,
                    "text": text,
                    "url": _url("participation:complaint_detail", complaint.pk),
                },
            )
    return complaint


def _held_by_complaint(nomination: Nomination) -> bool:
    """Was the nomination's current hold put on by a complaint (not by the office for another reason)?"""
    last_hold = (
        AuditEvent.objects.filter(
            nomination=nomination, kind=AuditEvent.Kind.TRANSITION, to_state=State.ON_HOLD
        )
        .order_by("-seq")
        .first()
    )
    return last_hold is not None and last_hold.data.get("authority") == COMPLAINT_HOLD.reason


def complaint_resolve(*, complaint: Complaint, actor: Person, upheld: Any, resolution: str) -> Complaint:
    """The office decides a complaint. The last one resolved releases a hold that complaints put on.

    `release` always leads to `submitted` (DOMAIN.md): upheld, the office reviews the item afresh;
    dismissed, it is re-evaluated and goes back to the council — see docs/participation.md.
    """
    _active(actor)
    if not isinstance(upheld, bool):
        raise InvalidInput(_("Cần cho biết khiếu nại có cơ sở hay không."), field="upheld")
    resolution = _text(resolution, "resolution", _("Cần nêu kết quả giải quyết."))
    outcome = Complaint.State.UPHELD if upheld else Complaint.State.DISMISSED
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        nomination = (
            Nomination.objects.select_for_update().select_related("award").get(pk=locked.nomination_id)
        )
        if not holds(actor, Perm.REVIEW, nomination):
            raise NotPermitted(_("Chỉ Phòng Tổ chức - Hành chính mới giải quyết khiếu nại."))
        if not locked.is_open:
            raise WrongState(_("Khiếu nại này đã được giải quyết."))
        locked.state = outcome
        locked.resolved_by = actor
        locked.resolved_at = timezone.now()
        locked.resolution = resolution
        locked.save(update_fields=["state", "resolved_by", "resolved_at", "resolution"])
        audit.record(
            kind=AuditEvent.Kind.OTHER,
            obj=locked,
            actor=actor,
            actor_role=Role.OFFICE_STAFF,
            comment=resolution,
            data={"action": "complaint_resolved", "nomination": nomination.pk, "outcome": outcome},
        )
        others_open = (
            Complaint.objects.filter(nomination=nomination, state=Complaint.State.OPEN)
            .exclude(pk=locked.pk)
            .exists()
        )
        if not others_open and nomination.state == State.ON_HOLD and _held_by_complaint(nomination):
            with site_language():
                comment = _("Đã giải quyết khiếu nại #%(id)s: %(outcome)s.") % {
                    "id": locked.pk,
                    "outcome": Complaint.State(outcome).label,
                }
            nomination = run_transition(
                "release",
                nomination=nomination,
                actor=actor,
                comment=comment,
                audit_data={"complaint": locked.pk, "outcome": outcome},
            )
        told = [locked.lodged_by] if locked.lodged_by.is_active else []
        if upheld:
            told += [p for p in people_holding(Perm.SUBMIT, nomination) if p.pk != locked.lodged_by_id]
        with site_language():
            notifications.queue(
                recipients=told,
                subject=_("[Thi đua] Kết quả giải quyết khiếu nại #%(id)s: %(outcome)s")
                % {"id": locked.pk, "outcome": Complaint.State(outcome).label},
                body=_("Khiếu nại về hồ sơ %(award)s — %(nominee)s: %(outcome)s.\n%(resolution)s")
                % {
                    "award": nomination.award.name,
                    "nominee": nomination.nominee,
                    "outcome": Complaint.State(outcome).label,
                    "resolution": resolution,
                },
            )
    return locked


# --- delegation of the decision step ------------------------------------------------------------------
def _as_datetime(value: Any, field: str, *, end: bool = False) -> datetime.datetime:
    """A moment from a datetime, a date (its start, or its end with `end`) or their ISO text."""
    if isinstance(value, str):
        text = value.strip()
        try:
            value = (
                datetime.date.fromisoformat(text)
                if len(text) == 10
                else datetime.datetime.fromisoformat(text)
            )
        except ValueError:
            raise InvalidInput(_("Thời điểm không hợp lệ (YYYY-MM-DD)."), field=field) from None
    if isinstance(value, datetime.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    if isinstance(value, datetime.date):
        moment = datetime.datetime.combine(value, datetime.time.max if end else datetime.time.min)
        return timezone.make_aware(moment)
    raise InvalidInput(_("Thời điểm không hợp lệ (YYYY-MM-DD)."), field=field)


def delegation_create(
    *, actor: Person, delegate: Person | None, starts: Any, ends: Any, note: str = ""
) -> Delegation:
    """The Director delegates the decision step to a Deputy Director for a period — nothing else, nobody else."""
    _active(actor)
    if not roles.is_director(actor):
        raise NotPermitted(_("Chỉ Cục trưởng mới ủy quyền quyết định khen thưởng."))
    if delegate is None or not delegate.is_active or not roles.is_deputy_director(delegate):
        raise InvalidInput(_("Chỉ ủy quyền cho Phó Cục trưởng."), field="delegate")
    if delegate.pk == actor.pk:
        raise InvalidInput(_("Không tự ủy quyền cho chính mình."), field="delegate")
    starts_at = _as_datetime(starts, "starts_at")
    ends_at = _as_datetime(ends, "ends_at", end=True)
    if ends_at <= starts_at:
        raise InvalidInput(_("Thời điểm kết thúc phải sau thời điểm bắt đầu."), field="ends_at")
    if ends_at <= timezone.now():
        raise InvalidInput(_("Thời hạn ủy quyền đã qua."), field="ends_at")
    note = str(note or "").strip()[:300]
    with transaction.atomic():
        delegation = Delegation.objects.create(
            delegator=actor, delegate=delegate, starts_at=starts_at, ends_at=ends_at, note=note
        )
        audit.record(
            kind=AuditEvent.Kind.PERMISSION_GRANTED,
            obj=delegation,
            actor=actor,
            actor_role=Role.DIRECTOR,
            comment=note,
            data={
                "action": "delegation_created",
                "permission": Perm.DECIDE,
                "delegate": delegate.username,
                "starts_at": starts_at,
                "ends_at": ends_at,
            },
        )
        with site_language():
            notifications.queue(
                recipients=[delegate],
                subject=_("[Thi đua] Ủy quyền quyết định khen thưởng"),
                body=_(
                    "%(director)s ủy quyền cho bạn quyết định khen thưởng từ %(start)s đến %(end)s.\n%(note)s"
                )
                % {
                    "director": actor,
                    "start": f"{timezone.localtime(starts_at):%d/%m/%Y %H:%M}",
                    "end": f"{timezone.localtime(ends_at):%d/%m/%Y %H:%M}",
                    "note": note,
                },
            )
    return delegation


def delegation_revoke(*, delegation: Delegation, actor: Person, reason: str = "") -> Delegation:
    _active(actor)
    if not roles.is_director(actor):
        raise NotPermitted(_("Chỉ Cục trưởng mới thu hồi ủy quyền."))
    with transaction.atomic():
        locked = Delegation.objects.select_for_update().select_related("delegate").get(pk=delegation.pk)
        if locked.revoked_at is not None:
            raise WrongState(_("Ủy quyền này đã bị thu hồi."))
        now = timezone.now()
        if locked.ends_at < now:
            raise WrongState(_("Ủy quyền này đã hết hạn."))
        locked.revoked_at = now
        locked.revoked_by = actor
        locked.save(update_fields=["revoked_at", "revoked_by"])
        audit.record(
            kind=AuditEvent.Kind.PERMISSION_REVOKED,
            obj=locked,
            actor=actor,
            actor_role=Role.DIRECTOR,
            comment=str(reason or "").strip(),
            data={
                "action": "delegation_revoked",
                "permission": Perm.DECIDE,
                "delegate": locked.delegate.username,
            },
        )
        with site_language():
            notifications.queue(
                recipients=[locked.delegate],
                subject=_("[Thi đua] Thu hồi ủy quyền quyết định khen thưởng"),
                body=_("%(director)s đã thu hồi ủy quyền quyết định khen thưởng của bạn.")
                % {"director": actor},
            )
    return locked


# --- award history -------------------------------------------------------------------------------------
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
    _active(actor)
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


def _manual(record: AwardRecord) -> None:
    if record.nomination_id is not None:
        raise WrongState(
            _(
                "Bản ghi này theo quyết định khen thưởng trong hệ thống; chỉ thay đổi bằng quyết định (hủy bỏ)."
            )
        )


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
        locked = (
            AwardRecord.objects.select_for_update(of=("self",))
            .select_related("person", "award")
            .get(pk=record.pk)
        )
        _manual(locked)
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
        locked = (
            AwardRecord.objects.select_for_update(of=("self",))
            .select_related("person", "award")
            .get(pk=record.pk)
        )
        _manual(locked)
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
    """
    if nomination.state == State.GRANTED:
        number, day = nomination.outcome_decision_number, None
    else:
        number, day = nomination.decision_number, nomination.decision_date
    nominee = {"person_id": nomination.nominee_person_id, "unit_id": nomination.nominee_unit_id}
    year = nomination.campaign.year
    record = AwardRecord.objects.filter(nomination=nomination).first() or (
        AwardRecord.objects.filter(
            **nominee, award_id=nomination.award_id, year=year, nomination__isnull=True
        )
        .order_by("pk")
        .first()
    )
    if record is None:
        record = AwardRecord(nomination=nomination, award_id=nomination.award_id, year=year, **nominee)
    record.nomination = nomination
    record.decision_number = number
    record.decision_date = day
    record.method = _method_of(nomination)
    record.save()
    return record


def _method_of(nomination: Nomination) -> str:
    """The Director's decision says the method of its awards; else the campaign does (biểu 0603.N)."""
    decision = Decision.objects.filter(items__nomination=nomination).values_list("method", flat=True).first()
    return decision or method_for_campaign(nomination.campaign.kind)


def award_record_annul(*, nomination: Nomination) -> None:
    """A revoked decision leaves the history (the approve and revoke events keep what it was)."""
    AwardRecord.objects.filter(nomination=nomination).delete()


# --- after each transition ----------------------------------------------------------------------------
def after_transition(nomination: Nomination, event: AuditEvent) -> None:
    """Inside the transition's transaction: publish a council result; keep the award history right."""
    if event.transition in ("close_vote", "propose") and nomination.state in (
        State.PROPOSED,
        State.COUNCIL_FAILED,
    ):
        notice_publish(nomination=nomination, event=event)
    elif nomination.state in (State.APPROVED, State.GRANTED) and event.from_state != nomination.state:
        award_record_from_decision(nomination=nomination)
    elif nomination.state == State.REVOKED:
        award_record_annul(nomination=nomination)
