"""Reading an uploaded spreadsheet safely, for a template → preview → commit import.

What it guarantees to the caller: a clear `SheetError` for a file that is not an .xlsx workbook, has no
data rows, too many rows, merged cells or headers other than the template's; otherwise the data rows,
each with its spreadsheet row number and its values by header, text in Unicode NFC with whitespace
collapsed (a name typed on a Mac and on Windows compares equal), and a formula cell reported as a row
error (its cached value is whatever the author's Excel last computed — or nothing — so it is not read).
Nothing here writes: the caller decides what a row means and commits all or nothing.
"""

from __future__ import annotations

import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
_SPACES = re.compile(r"\s+")
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%y")


class SheetError(Exception):
    """The file as a whole cannot be imported (nothing about one row): say why, in words to act on."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def nfc(value: Any) -> str:
    """Text as stored and compared: Unicode NFC, whitespace collapsed, trimmed."""
    if value is None:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(value))).strip()


def name_key(value: Any) -> str:
    """A person's name for matching: NFC and case-folded (`Nguyễn Văn An` = `NGUYỄN VĂN AN`)."""
    return nfc(value).casefold()


def parse_date(value: Any) -> datetime.date | None:
    """A date as offices type it: a real Excel date, dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy or yyyy-mm-dd.

    Empty → None; anything else → ValueError (the caller makes it a row error).
    """
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        from openpyxl.utils.datetime import from_excel

        converted = from_excel(value)
        if isinstance(converted, datetime.datetime):
            return converted.date()
        if isinstance(converted, datetime.date):
            return converted
        raise ValueError(str(value))
    text = nfc(value)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


@dataclass
class Row:
    number: int  # the spreadsheet's row number, as the person sees it in Excel
    values: dict[str, Any]

    def text(self, header: str) -> str:
        return nfc(self.values.get(header))


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class RowErrors:
    """Errors per spreadsheet row and column, in the shape of API.md: `[{"row", "errors": {col: [...]}}]`."""

    by_row: dict[int, dict[str, list[str]]] = field(default_factory=dict)

    def add(self, row: int, column: str, message: str) -> None:
        self.by_row.setdefault(row, {}).setdefault(column, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.by_row)

    def __contains__(self, row: int) -> bool:
        return row in self.by_row

    def __iter__(self) -> Iterator[RowError]:
        """Every message, by row, then in the order the row's columns were checked (a page's table)."""
        for row in sorted(self.by_row):
            for column, messages in self.by_row[row].items():
                for message in messages:
                    yield RowError(row, column, message)

    def __len__(self) -> int:
        return sum(len(messages) for columns in self.by_row.values() for messages in columns.values())

    def as_list(self) -> list[dict[str, Any]]:
        return [{"row": row, "errors": self.by_row[row]} for row in sorted(self.by_row)]

    @property
    def count(self) -> int:
        return len(self.by_row)


@dataclass
class Sheet:
    rows: list[Row]
    errors: RowErrors


def _is_xlsx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def check_size(size: int, max_bytes: int = MAX_BYTES) -> None:
    """Refuse a file over the limit (callers holding an upload check before reading it into memory)."""
    if size > max_bytes:
        raise SheetError(
            _("Tệp quá lớn (%(size)s KB); tối đa %(limit)s KB.")
            % {"size": size // 1024, "limit": max_bytes // 1024}
        )


def read_sheet(
    data: bytes,
    *,
    headers: Sequence[str],
    required_headers: Sequence[str] | None = None,
    max_rows: int = MAX_ROWS,
    max_bytes: int = MAX_BYTES,
) -> Sheet:
    """The data rows of the workbook's first sheet, whose row 1 must carry the template's `headers`.

    `required_headers`: those that must be present (default: all); the others may be left out, never
    renamed. Raises `SheetError` for a file that cannot be imported as a whole.
    """
    check_size(len(data), max_bytes)
    if not _is_xlsx(data):
        raise SheetError(
            _(
                "Không đọc được tệp: tệp không phải bảng tính Excel (.xlsx). "
                "Hãy tải mẫu, điền vào rồi lưu dạng .xlsx."
            )
        )
    from openpyxl import load_workbook

    try:
        # Not read-only: the merged ranges are only known to a fully loaded sheet (the size cap bounds it).
        workbook = load_workbook(io.BytesIO(data), data_only=False)
    except Exception:  # openpyxl raises many kinds for a damaged workbook: all mean the same to the user
        raise SheetError(
            _("Không đọc được bảng tính: tệp bị hỏng hoặc không đúng định dạng .xlsx.")
        ) from None
    sheet = workbook.worksheets[0]
    merged = [str(r) for r in sheet.merged_cells.ranges]
    if merged:
        raise SheetError(
            _("Bảng tính có ô gộp (%(ranges)s): hãy bỏ gộp ô, mỗi ô một giá trị, rồi tải lên lại.")
            % {"ranges": ", ".join(merged[:5])}
        )
    header_cells = next(sheet.iter_rows(min_row=1, max_row=1), ())
    columns: dict[int, str] = {}
    wanted = {name_key(h): h for h in headers}
    unknown: list[str] = []
    for index, cell in enumerate(header_cells):
        title = nfc(cell.value)
        if not title:
            continue
        if name_key(title) in wanted:
            columns[index] = wanted[name_key(title)]
        else:
            unknown.append(title)
    missing = [
        h for h in (headers if required_headers is None else required_headers) if h not in columns.values()
    ]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(_("thiếu cột: %(names)s") % {"names": ", ".join(missing)})
        if unknown:
            parts.append(_("cột không có trong mẫu: %(names)s") % {"names": ", ".join(unknown[:10])})
        raise SheetError(
            _("Dòng 1 phải là tiêu đề của mẫu (%(expected)s); %(problems)s.")
            % {"expected": ", ".join(headers), "problems": "; ".join(parts)}
        )
    if sheet.max_row - 1 > max_rows * 2:
        # Far beyond the limit: refuse before reading the rows (blank rows would not bring it under).
        raise SheetError(_too_many(sheet.max_row - 1, max_rows))
    rows: list[Row] = []
    errors = RowErrors()
    for number, cells in enumerate(sheet.iter_rows(min_row=2), start=2):
        values: dict[str, Any] = {}
        for index, cell in enumerate(cells):
            header = columns.get(index)
            if header is None or cell.value is None:
                continue
            if cell.data_type == "f":
                errors.add(
                    number, header, _("Ô chứa công thức: hãy dán giá trị (Paste Values) thay cho công thức.")
                )
                values[header] = ""
                continue
            value = cell.value
            values[header] = nfc(value) if isinstance(value, str) else value
        if all(v in ("", None) for v in values.values()) and number not in errors:
            continue  # a blank row: Excel users leave them between blocks
        rows.append(Row(number=number, values=values))
        if len(rows) > max_rows:
            raise SheetError(_too_many(sheet.max_row - 1, max_rows))
    if not rows:
        raise SheetError(_("Bảng tính không có dòng dữ liệu nào (dòng 1 là tiêu đề, dữ liệu từ dòng 2)."))
    return Sheet(rows=rows, errors=errors)


def _too_many(count: int, limit: int) -> str:
    return _(
        "Tệp có khoảng %(count)s dòng; mỗi lần nhập tối đa %(limit)s dòng: hãy chia thành nhiều tệp."
    ) % {
        "count": count,
        "limit": limit,
    }
