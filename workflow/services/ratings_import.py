"""Individuals' yearly ratings (AnnualRating) entered in bulk from an Excel sheet: template → preview → commit.

The preview reads every row and names each error by row, column and message; the commit writes all
rows or none (one transaction), skips rows that change nothing (a second commit of the same sheet
changes nothing), and logs one audit event with what changed. A row for a person of another unit is
a row error for a unit head; the office imports for the unit it chooses.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from nominations import roles
from nominations.models import AnnualRating, OrgUnit, Person, Rating, Role
from workflow import audit
from workflow.errors import InvalidInput, NotPermitted
from workflow.inputs import parse_int
from workflow.models import AuditEvent

COLUMNS = ("Tên đăng nhập", "Họ và tên", "Năm", "Xếp loại")
MAX_ROWS = 2000
MAX_BYTES = 2 * 1024 * 1024
_RATING_CODES = {code.upper(): code for code in Rating.values} | {
    str(label).upper(): code for code, label in Rating.choices
}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


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
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    def error_rows(self) -> list[dict[str, Any]]:
        """The errors in the shape of API.md's imports: `[{"row", "errors": {column: [messages]}}]`."""
        by_row: dict[int, dict[str, list[str]]] = {}
        for error in self.errors:
            by_row.setdefault(error.row, {}).setdefault(error.column, []).append(error.message)
        return [{"row": row, "errors": by_row[row]} for row in sorted(by_row)]


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
    """The sheet to fill: one row per active person of the unit, the rating column left empty."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Xep loai"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    ratings = dict(
        AnnualRating.objects.filter(person__unit=unit, year=year).values_list("person_id", "rating")
    )
    people = Person.objects.filter(unit=unit, is_active=True).order_by("username")
    for person in people:
        sheet.append([person.username, person.full_name, year, (ratings.get(person.pk) or "").upper()])
    choices = DataValidation(type="list", formula1='"HTXS,HTT,HT,KHT"', allow_blank=True)
    sheet.add_data_validation(choices)
    choices.add(f"D2:D{max(2, people.count() + 1)}")
    for column, width in zip("ABCD", (20, 32, 8, 10), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _read(upload: UploadedFile) -> list[tuple[int, tuple[Any, ...]]]:
    if upload.size is None or upload.size > MAX_BYTES:
        raise InvalidInput(_("Tệp quá lớn (tối đa 2 MB)."), field="file")
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise InvalidInput(_("Không đọc được tệp: cần tệp Excel (.xlsx) theo mẫu."), field="file") from None
    sheet = book.worksheets[0] if book.worksheets else None
    if sheet is None:
        raise InvalidInput(_("Tệp không có trang tính nào."), field="file")
    rows = list(sheet.iter_rows(values_only=True))
    book.close()
    if not rows or [str(c or "").strip() for c in rows[0][: len(COLUMNS)]] != list(COLUMNS):
        raise InvalidInput(
            _("Dòng tiêu đề phải là: %(columns)s (dùng tệp mẫu).") % {"columns": ", ".join(COLUMNS)},
            field="file",
        )
    body = [(n, row) for n, row in enumerate(rows[1:], start=2) if any(c not in (None, "") for c in row)]
    if len(body) > MAX_ROWS:
        raise InvalidInput(_("Tối đa %(n)s dòng mỗi lần nhập.") % {"n": MAX_ROWS}, field="file")
    return body


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
    body = _read(upload)
    usernames = {str(row[0] or "").strip() for _n, row in body if row}
    people = {p.username: p for p in Person.objects.filter(username__in=usernames).select_related("unit")}
    result = Preview(unit=target_unit)
    seen: dict[tuple[int, int], int] = {}
    wanted: list[tuple[int, Person, int, str]] = []
    for number, raw in body:
        cells = (list(raw) + [None] * len(COLUMNS))[: len(COLUMNS)]
        username = str(cells[0] or "").strip()
        person = people.get(username)
        errors_before = len(result.errors)
        if not username:
            result.errors.append(RowError(number, COLUMNS[0], _("Thiếu tên đăng nhập.")))
        elif person is None:
            result.errors.append(
                RowError(number, COLUMNS[0], _("Không có cán bộ “%(u)s”.") % {"u": username})
            )
        elif person.unit_id != target_unit.pk:
            result.errors.append(
                RowError(
                    number,
                    COLUMNS[0],
                    _("%(name)s thuộc đơn vị khác (%(unit)s), không thuộc %(mine)s.")
                    % {"name": person, "unit": person.unit or "—", "mine": target_unit.name},
                )
            )
        year = _year(cells[2])
        if year is None:
            year = 0
            result.errors.append(RowError(number, COLUMNS[2], _("Năm phải là số có 4 chữ số, ví dụ 2023.")))
        rating = _RATING_CODES.get(str(cells[3] or "").strip().upper())
        if rating is None:
            result.errors.append(RowError(number, COLUMNS[3], _("Xếp loại phải là HTXS, HTT, HT hoặc KHT.")))
        if len(result.errors) == errors_before and person is not None and rating is not None:
            key = (person.pk, year)
            if key in seen:
                result.errors.append(
                    RowError(
                        number,
                        COLUMNS[0],
                        _("Trùng với dòng %(n)s (cùng cán bộ, cùng năm).") % {"n": seen[key]},
                    )
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
    if not body:
        result.errors.append(RowError(1, COLUMNS[0], _("Tệp không có dòng dữ liệu nào.")))
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
