"""Individuals' yearly ratings (AnnualRating) entered in bulk from an Excel sheet: template → preview → commit.

The sheet is read by the imports' shared reader (`workflow.services.imports.sheet_read`: headers, row
errors by row and column, NFC, formulas, merged cells, limits), the template written by
`nominations.imports.template`. The preview names each error by row, column and message; the commit writes all
rows or none (one transaction), skips rows that change nothing (a second commit of the same sheet
changes nothing), and logs one audit event with what changed. A row for a person of another unit is
a row error for a unit head; the office imports for the unit it chooses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from nominations import roles
from nominations.imports.sheet import RowErrors
from nominations.imports.template import template_bytes
from nominations.models import AnnualRating, OrgUnit, Person, Rating, Role
from workflow.audit import log as audit
from workflow.base.errors import InvalidInput, NotPermitted
from workflow.base.inputs import parse_int
from workflow.models import AuditEvent
from workflow.services.imports import sheet_read, upload_bytes

USERNAME, NAME, YEAR, RATING = COLUMNS = ("Tên đăng nhập", "Họ và tên", "Năm", "Xếp loại")
REQUIRED_COLUMNS = (USERNAME, YEAR, RATING)  # the name is there for the reader's eyes only
MAX_ROWS = 2000
MAX_BYTES = 2 * 1024 * 1024
_RATING_CODES = {code.upper(): code for code in Rating.values} | {
    str(label).upper(): code for code, label in Rating.choices
}


@dataclass(frozen=True)
class Row:
    row: int
    person: Person
    year: int
    rating: str
    current: str  # the rating on record, "" when none

    @property
    def changes(self) -> bool:
        return self.current != self.rating


@dataclass
class Preview:
    unit: OrgUnit
    rows: list[Row] = field(default_factory=list)
    errors: RowErrors = field(default_factory=RowErrors)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def import_unit(actor: Any, unit: OrgUnit | None) -> OrgUnit:
    """The unit an actor imports for: a unit head's own; the office's choice."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise NotPermitted(_("Cần đăng nhập."))
    if roles.is_office(actor):
        if unit is None:
            raise InvalidInput(_("Chọn đơn vị."), field="unit")
        return unit
    if roles.heads_a_unit(actor):
        if unit is not None and unit.pk != actor.unit_id:
            raise NotPermitted(_("Chỉ nhập xếp loại cho cán bộ đơn vị mình."))
        return actor.unit  # type: ignore[no-any-return]
    raise NotPermitted(_("Chỉ trưởng đơn vị hoặc Phòng TC-HC mới nhập xếp loại."))


def template(unit: OrgUnit, year: int) -> bytes:
    """The sheet to fill: one row per active person of the unit, with the rating on record if any."""
    ratings = dict(
        AnnualRating.objects.filter(person__unit=unit, year=year).values_list("person_id", "rating")
    )
    people = Person.objects.filter(unit=unit, is_active=True).order_by("username")
    return template_bytes(
        title="Xep loai",
        headers=COLUMNS,
        rows=[
            [person.username, person.full_name, year, (ratings.get(person.pk) or "").upper()]
            for person in people
        ],
        choices={RATING: [code.upper() for code in Rating.values]},
        max_rows=MAX_ROWS,
    )


def _year(cell: Any) -> int | None:
    """A year cell: 2023 typed as a number (Excel stores 2023.0) or as text; `1e400` or `²` is no year."""
    if isinstance(cell, float):
        cell = int(cell) if cell.is_integer() and abs(cell) < 1e6 else None
    text = str(cell).strip() if isinstance(cell, str) else cell
    if isinstance(text, str) and text.endswith(".0"):
        text = text[:-2]
    return parse_int(text, minimum=2000, maximum=2100)


def preview(*, actor: Any, upload: UploadedFile, unit: OrgUnit | None = None) -> Preview:
    """Every row read and checked; nothing written."""
    target_unit = import_unit(actor, unit)
    sheet = sheet_read(
        upload_bytes(upload, max_bytes=MAX_BYTES),
        headers=COLUMNS,
        required_headers=REQUIRED_COLUMNS,
        max_rows=MAX_ROWS,
        max_bytes=MAX_BYTES,
    )
    usernames = {row.text(USERNAME) for row in sheet.rows}
    people = {p.username: p for p in Person.objects.filter(username__in=usernames).select_related("unit")}
    result = Preview(unit=target_unit, errors=sheet.errors)
    errors = result.errors
    seen: dict[tuple[int, int], int] = {}
    wanted: list[tuple[int, Person, int, str]] = []
    for line in sheet.rows:
        number = line.number
        username = line.text(USERNAME)
        person = people.get(username)
        had_errors = number in errors
        if not username:
            errors.add(number, USERNAME, _("Thiếu tên đăng nhập."))
        elif person is None:
            errors.add(number, USERNAME, _("Không có cán bộ “%(u)s”.") % {"u": username})
        elif person.unit_id != target_unit.pk:
            errors.add(
                number,
                USERNAME,
                _("%(name)s thuộc đơn vị khác (%(unit)s), không thuộc %(mine)s.")
                % {"name": person, "unit": person.unit or "—", "mine": target_unit.name},
            )
        year = _year(line.values.get(YEAR))
        if year is None:
            year = 0
            errors.add(number, YEAR, _("Năm phải là số có 4 chữ số, ví dụ 2023."))
        rating = _RATING_CODES.get(line.text(RATING).upper())
        if rating is None:
            errors.add(number, RATING, _("Xếp loại phải là HTXS, HTT, HT hoặc KHT."))
        if not had_errors and number not in errors and person is not None and rating is not None:
            key = (person.pk, year)
            if key in seen:
                errors.add(
                    number, USERNAME, _("Trùng với dòng %(n)s (cùng cán bộ, cùng năm).") % {"n": seen[key]}
                )
                continue
            seen[key] = number
            wanted.append((number, person, year, rating))
    current = {
        (r.person_id, r.year): r.rating
        for r in AnnualRating.objects.filter(
            person__in=[p for _n, p, _y, _r in wanted], year__in={y for *_x, y, _r in wanted}
        )
    }
    result.rows = [Row(n, p, y, r, current.get((p.pk, y), "")) for n, p, y, r in wanted]
    return result


def commit(*, actor: Any, upload: UploadedFile, unit: OrgUnit | None = None) -> tuple[Preview, int]:
    """Check again, then write every row or none. Returns the preview and how many ratings changed."""
    checked = preview(actor=actor, upload=upload, unit=unit)
    if not checked.ok:
        return checked, 0
    changed = [row for row in checked.rows if row.changes]
    with transaction.atomic():
        for row in changed:
            AnnualRating.objects.update_or_create(
                person=row.person, year=row.year, defaults={"rating": row.rating}
            )
        if changed:
            audit.record(
                kind=AuditEvent.Kind.OTHER,
                obj=checked.unit,
                actor=actor,
                actor_role=Role.OFFICE_STAFF if roles.is_office(actor) else Role.UNIT_HEAD,
                transition_name="annual_ratings_import",
                comment=getattr(upload, "name", "") or "",
                data={
                    "unit": checked.unit.code,
                    "rows": len(checked.rows),
                    "changed": [
                        f"{r.person.username}:{r.year}:{r.current or '-'}→{r.rating}" for r in changed
                    ],
                },
            )
    return checked, len(changed)
