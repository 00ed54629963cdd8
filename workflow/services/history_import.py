"""Importing the office's award history of earlier years from Excel (the records kept before the system).

Same design as the list import: the sheet is read by `nominations.imports.sheet`, every row checked,
then all rows written in one transaction or none. A record already held (same nominee, award and year)
is unchanged, so the same file twice writes nothing. The eligibility checks read these rows
(`nominations.rules.eligibility.missing_prior_years`: three consecutive CSTĐCS, two for a Bằng khen).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from nominations import roles
from nominations.imports.sheet import RowErrors, name_key, parse_date
from nominations.imports.template import template_bytes
from nominations.models import Award, AwardMethod, AwardRecord, OrgUnit, Person, Role
from workflow.audit import log as audit
from workflow.base.errors import NotPermitted
from workflow.models import AuditEvent
from workflow.services.imports import rows_rejected, sheet_read

NAME, USERNAME, UNIT, AWARD, YEAR, NUMBER, DATE, METHOD = (
    "Họ và tên",
    "Tên đăng nhập",
    "Mã đơn vị",
    "Danh hiệu",
    "Năm",
    "Số quyết định",
    "Ngày quyết định",
    "Phương thức khen thưởng",
)
HEADERS = (NAME, USERNAME, UNIT, AWARD, YEAR, NUMBER, DATE, METHOD)
REQUIRED_HEADERS = (NAME, USERNAME, UNIT, AWARD, YEAR, NUMBER)


@dataclass
class HistoryPlan:
    records: list[AwardRecord] = field(default_factory=list)
    unchanged: int = 0
    errors: RowErrors = field(default_factory=RowErrors)


def history_template() -> bytes:
    awards = list(Award.objects.order_by("order", "code").values_list("code", flat=True))
    last = timezone.localdate().year - 1
    return template_bytes(
        title="Quá trình khen thưởng",
        headers=HEADERS,
        sample=["Nguyễn Văn An", "", "tkth", "CSTDCS", last, "15/QĐ-CTK", f"20/12/{last}", ""],
        choices={AWARD: awards, METHOD: [str(label) for label in AwardMethod.labels]},
        notes=[
            "Mỗi dòng một danh hiệu hoặc hình thức khen thưởng đã nhận ở các năm trước.",
            "Cá nhân: Tên đăng nhập, hoặc Họ và tên (kèm Mã đơn vị nếu có người trùng tên).",
            "Tập thể: để trống Họ và tên, Tên đăng nhập; ghi Mã đơn vị.",
            "Ngày quyết định: dd/mm/yyyy.",
            "Phương thức khen thưởng: để trống là thường xuyên (biểu 0603.N đếm theo phương thức).",
        ],
    )


def _may_import(actor: Any) -> None:
    if not (actor.is_active and roles.is_office(actor)):
        raise NotPermitted(_("Chỉ Phòng Tổ chức - Hành chính mới nhập quá trình khen thưởng."))


def award_history_preview(*, actor: Person, data: bytes) -> HistoryPlan:
    _may_import(actor)
    sheet = sheet_read(data, headers=HEADERS, required_headers=REQUIRED_HEADERS)
    units = {u.code.casefold(): u for u in OrgUnit.objects.all()}
    people = list(Person.objects.filter(is_active=True).only("pk", "username", "full_name", "unit_id"))
    by_username = {p.username.casefold(): p for p in people}
    by_name: dict[str, list[Person]] = {}
    for p in people:
        by_name.setdefault(name_key(p.full_name), []).append(p)
    awards = {a.code.casefold(): a for a in Award.objects.all()}
    # A method by its code ("ad_hoc") or its label as the template lists it ("Đột xuất").
    methods = {str(k).casefold(): v for v, k in AwardMethod.choices} | {v: v for v in AwardMethod.values}
    this_year = timezone.localdate().year
    plan = HistoryPlan(errors=sheet.errors)
    errors = plan.errors
    seen: dict[tuple[str, int, int, int], int] = {}
    candidates: list[tuple[int, AwardRecord]] = []
    for row in sheet.rows:
        n = row.number
        name, username, code = row.text(NAME), row.text(USERNAME), row.text(UNIT)
        unit = units.get(code.casefold()) if code else None
        if code and unit is None:
            errors.add(n, UNIT, _("Không có đơn vị mã “%(code)s”.") % {"code": code})
        person: Person | None = None
        if username:
            person = by_username.get(username.casefold())
            if person is None:
                errors.add(n, USERNAME, _("Không có cán bộ có tên đăng nhập “%(u)s”.") % {"u": username})
        elif name:
            found = [p for p in by_name.get(name_key(name), []) if unit is None or p.unit_id == unit.pk]
            if not found:
                errors.add(n, NAME, _("Không tìm thấy cán bộ tên “%(name)s”.") % {"name": name})
            elif len(found) > 1:
                errors.add(
                    n,
                    NAME,
                    _("Có %(n)s cán bộ tên “%(name)s”: ghi Tên đăng nhập hoặc Mã đơn vị.")
                    % {"n": len(found), "name": name},
                )
            else:
                person = found[0]
        elif not code:
            errors.add(n, NAME, _("Cần Họ và tên hoặc Tên đăng nhập (cá nhân), hoặc Mã đơn vị (tập thể)."))
        collective = unit if person is None and not (username or name) else None
        award = awards.get(row.text(AWARD).casefold()) if row.text(AWARD) else None
        if award is None:
            errors.add(n, AWARD, _("Không có danh hiệu mã “%(code)s”.") % {"code": row.text(AWARD)})
        elif (person or collective) is not None and not award.accepts(individual=person is not None):
            errors.add(n, AWARD, _("%(award)s không xét cho đối tượng này.") % {"award": award.name})
        raw_year = row.values.get(YEAR)
        year: int | None = None
        try:
            year = int(str(raw_year).strip().split(".")[0]) if raw_year not in (None, "") else None
        except ValueError:
            year = None
        if year is None or not 1945 <= year < this_year:
            errors.add(
                n, YEAR, _("Năm phải là một năm trước năm nay (1945 – %(last)s).") % {"last": this_year - 1}
            )
        number = row.text(NUMBER)
        if not number or len(number) > 60:
            errors.add(n, NUMBER, _("Cần số quyết định (tối đa 60 ký tự)."))
        try:
            day = parse_date(row.values.get(DATE))
        except ValueError:
            day = None
            errors.add(n, DATE, _("Ngày quyết định không hợp lệ: ghi dd/mm/yyyy."))
        method = methods.get(row.text(METHOD).casefold()) if row.text(METHOD) else AwardMethod.REGULAR
        if method is None:
            errors.add(n, METHOD, _("Không có phương thức khen thưởng “%(m)s”.") % {"m": row.text(METHOD)})
        nominee = person or collective
        if award is not None and year is not None and nominee is not None:
            key = ("p" if person else "u", nominee.pk, award.pk, year)
            if key in seen:
                errors.add(n, YEAR, _("Trùng với dòng %(row)s.") % {"row": seen[key]})
            seen[key] = n
        if n in errors or nominee is None or award is None or year is None or method is None:
            continue
        candidates.append(
            (
                n,
                AwardRecord(
                    person=person,
                    unit=collective,
                    award=award,
                    year=year,
                    decision_number=number,
                    decision_date=day,
                    method=method,
                ),
            )
        )

    def key_of(
        person_id: int | None, unit_id: int | None, award_id: int, year: int
    ) -> tuple[str, int, int, int]:
        return ("p", person_id, award_id, year) if person_id else ("u", unit_id or 0, award_id, year)  # type: ignore[return-value]

    held = {
        key_of(*values)
        for values in AwardRecord.objects.filter(
            Q(person_id__in=[r.person_id for _n, r in candidates if r.person_id])
            | Q(unit_id__in=[r.unit_id for _n, r in candidates if r.unit_id])
        ).values_list("person_id", "unit_id", "award_id", "year")
    }
    for _n, record in candidates:
        key = key_of(record.person_id, record.unit_id, record.award_id, record.year)
        if key in held:
            plan.unchanged += 1
        else:
            plan.records.append(record)
    return plan


def award_history_import(*, actor: Person, data: bytes) -> tuple[int, int]:
    """Write every new record of the sheet, or nothing: (created, unchanged)."""
    plan = award_history_preview(actor=actor, data=data)
    if plan.errors:
        raise rows_rejected(plan.errors)
    if not plan.records:
        return 0, plan.unchanged
    with transaction.atomic():
        created = AwardRecord.objects.bulk_create(plan.records, batch_size=500)
        audit.record(
            kind=AuditEvent.Kind.OTHER,
            obj=created[0],
            actor=actor,
            actor_role=Role.OFFICE_STAFF,
            data={
                "action": "award_history_imported",
                "created": len(created),
                "unchanged": plan.unchanged,
                "sha256": hashlib.sha256(data).hexdigest(),
            },
        )
    return len(created), plan.unchanged
