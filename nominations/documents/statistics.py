"""The forms of TT 02/2023/TT-BNV as the circular lays them out: Excel (openpyxl) and Word (python-docx).

Both files carry the same blocks: "Biểu số" with the circular that issued it and the day it is received
on the left, the form's title and the reporting period in the middle, the reporting and receiving units
on the right; then the table — lettered columns A (indicator), B (code), C (unit of measure) and numbered
columns whose totals read "1=2+3" — and the signatures (the person who drew it up, the head of the unit).
The PDF is made from the Word file (`pdf.py`), as for every other document of the office.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Mm
from docx.table import _Cell
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from nominations.documents import layout
from nominations.documents.report import safe
from nominations.statistics.compute import StatisticsTable
from nominations.statistics.forms import RECEIVED_ON, FormSpec, Row, column_heading

LETTERS = (("A", "Tên chỉ tiêu"), ("B", "Mã số"), ("C", "Đơn vị tính"))
ISSUED_BY = "Ban hành kèm theo Thông tư số 02/2023/TT-BNV ngày 23/3/2023 của Bộ trưởng Bộ Nội vụ"
SIGNER_LEFT = ("NGƯỜI LẬP BIỂU", "(Ký, ghi rõ họ tên)")
SIGNER_RIGHT = ("THỦ TRƯỞNG ĐƠN VỊ", "(Ký, đóng dấu, ghi rõ họ tên)")


@dataclass(frozen=True)
class HeaderCell:
    """One cell of the table's heading, in grid coordinates (0-based), spanning rows × columns."""

    row: int
    column: int
    text: str
    rows: int = 1
    columns: int = 1


def header_cells(spec: FormSpec) -> tuple[int, list[HeaderCell]]:
    """The heading of the table: label rows (two when columns are grouped) and the row of numbers."""
    label_rows = 2 if spec.groups else 1
    cells: list[HeaderCell] = []
    for index, (letter, label) in enumerate(LETTERS):
        cells.append(HeaderCell(0, index, label, rows=label_rows))
        cells.append(HeaderCell(label_rows, index, letter))
    grouped = {key: group for group in spec.groups for key in group.keys}
    started: set[str] = set()
    for offset, column in enumerate(spec.columns):
        at = len(LETTERS) + offset
        group = grouped.get(column.key)
        if group is None:
            cells.append(HeaderCell(0, at, str(column.label), rows=label_rows))
        else:
            if str(group.label) not in started:
                started.add(str(group.label))
                cells.append(HeaderCell(0, at, str(group.label), columns=len(group.keys)))
            cells.append(HeaderCell(1, at, str(column.label)))
        cells.append(HeaderCell(label_rows, at, column_heading(spec, column)))
    return label_rows + 1, cells


def body_rows(spec: FormSpec) -> list[tuple[str, Row | None]]:
    """The table's body: a heading line before each breakdown ("1. Chia theo …"), then its rows."""
    lines: list[tuple[str, Row | None]] = []
    for row in spec.rows:
        if row.section:
            lines.append((str(row.section), None))
        lines.append(("", row))
    return lines


def _row_label(table: StatisticsTable, code: str) -> str:
    row = table.spec.row(code)
    return "    " * row.indent + str(row.label)


def _blocks(table: StatisticsTable) -> tuple[list[str], list[str], list[str]]:
    """The three blocks above the table: left, middle, right (one line each)."""
    spec = table.spec
    left = [f"Biểu số: {spec.form}", ISSUED_BY, f"Ngày nhận báo cáo: ngày {RECEIVED_ON} hằng năm"]
    middle = [str(spec.title).upper(), f"Năm {table.year}", f"(Thời điểm báo cáo: năm {table.year})"]
    right = [
        f"Đơn vị báo cáo: {table.reporting_unit}",
        f"Đơn vị nhận báo cáo: {table.receiving_unit}",
        "",
    ]
    return left, middle, right


def file_stem(table: StatisticsTable) -> str:
    return f"bieu-{table.spec.code}-n-{table.year}"


# --- Excel --------------------------------------------------------------------------------------------
_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _cell(
    sheet: Worksheet,
    row: int,
    column: int,
    value: object,
    *,
    bold: bool = False,
    italic: bool = False,
    align: str = "center",
    size: int = 11,
    box: bool = False,
) -> None:
    cell = sheet.cell(row=row, column=column, value=safe(value))
    if isinstance(value, str):
        cell.data_type = "s"
    cell.font = Font(name=layout.FONT, size=size, bold=bold, italic=italic)
    cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
    if box:
        cell.border = _BOX


def _merge(
    sheet: Worksheet, row: int, column: int, rows: int = 1, columns: int = 1, *, box: bool = False
) -> None:
    if rows > 1 or columns > 1:
        sheet.merge_cells(
            start_row=row, start_column=column, end_row=row + rows - 1, end_column=column + columns - 1
        )
    if box:
        for r in range(row, row + rows):
            for c in range(column, column + columns):
                sheet.cell(row=r, column=c).border = _BOX


def build_statistics_xlsx(table: StatisticsTable) -> bytes:
    spec = table.spec
    width = len(LETTERS) + len(spec.columns)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = spec.form.split("/")[0]
    sheet.column_dimensions["A"].width = 38
    sheet.column_dimensions["B"].width = 7
    sheet.column_dimensions["C"].width = 11
    for index in range(len(LETTERS) + 1, width + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 13
    # The blocks above the table: A | B … (width − 3) | the last three columns.
    left, middle, right = _blocks(table)
    middle_from, right_from = 2, width - 2
    for offset, (l_text, m_text, r_text) in enumerate(zip(left, middle, right, strict=True)):
        row = 1 + offset
        _cell(sheet, row, 1, l_text, bold=offset == 0, italic=offset == 1, align="left", size=10)
        _cell(
            sheet,
            row,
            middle_from,
            m_text,
            bold=offset == 0,
            italic=offset == 2,
            size=12 if offset == 0 else 11,
        )
        _merge(sheet, row, middle_from, columns=right_from - middle_from)
        _cell(sheet, row, right_from, r_text, align="left", size=10)
        _merge(sheet, row, right_from, columns=3)
        sheet.row_dimensions[row].height = 28
    # The table.
    top = len(left) + 2
    heading_rows, cells = header_cells(spec)
    for h in cells:
        _cell(sheet, top + h.row, 1 + h.column, h.text, bold=h.row < heading_rows - 1, box=True, size=10)
        _merge(sheet, top + h.row, 1 + h.column, h.rows, h.columns, box=True)
    longest = max(len(h.text) for h in cells if h.columns == 1 and h.row < heading_rows - 1)
    for index in range(heading_rows - 1):
        sheet.row_dimensions[top + index].height = (
            30 if index == 0 and spec.groups else max(45, longest * 1.3)
        )
    first = top + heading_rows
    at = first - 1
    for heading, line in body_rows(spec):
        at += 1
        if line is None:
            _cell(sheet, at, 1, heading, bold=True, align="left", box=True)
            _merge(sheet, at, 1, columns=width, box=True)
            continue
        bold = bool(line.parts)
        label = _row_label(table, line.code)
        if len(label) > 48:  # openpyxl does not size rows: a long label gets the lines it needs
            sheet.row_dimensions[at].height = 15 * (len(label) // 48 + 1)
        _cell(sheet, at, 1, label, bold=bold, align="left", box=True)
        _cell(sheet, at, 2, line.code, box=True)
        _cell(sheet, at, 3, str(line.unit_of_measure), box=True)
        for offset, column in enumerate(spec.columns):
            _cell(
                sheet, at, len(LETTERS) + 1 + offset, table.value(line.code, column.key), bold=bold, box=True
            )
    # The signatures.
    below = at + 3
    _cell(sheet, below, 1, SIGNER_LEFT[0], bold=True)
    _cell(sheet, below + 1, 1, SIGNER_LEFT[1], italic=True)
    _cell(sheet, below - 1, right_from - 1, f"{layout.agency().place}, ngày … tháng … năm …", italic=True)
    _merge(sheet, below - 1, right_from - 1, columns=4)
    _cell(sheet, below, right_from - 1, SIGNER_RIGHT[0], bold=True)
    _merge(sheet, below, right_from - 1, columns=4)
    _cell(sheet, below + 1, right_from - 1, SIGNER_RIGHT[1], italic=True)
    _merge(sheet, below + 1, right_from - 1, columns=4)
    sheet.print_title_rows = f"{top}:{first - 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 1  # one page, as the form is printed
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    book.properties.title = f"{spec.form} — {spec.title} — {table.year}"
    book.properties.creator = layout.agency().name_in_text
    stamp = datetime.datetime(table.year, 12, 15, 8, 0)
    book.properties.created = book.properties.modified = stamp
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- Word ---------------------------------------------------------------------------------------------
def _put(
    cell: _Cell,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    align: str = "center",
    size: float = 11,
) -> None:
    layout.write(cell, text, size=size, bold=bold, italic=italic, align=align, first=True)


def _widths_cm(spec: FormSpec, usable_cm: float) -> list[float]:
    fixed = [6.5, 1.3, 1.9]
    rest = (usable_cm - sum(fixed)) / len(spec.columns)
    return fixed + [rest] * len(spec.columns)


def build_statistics_docx(table: StatisticsTable) -> bytes:
    spec = table.spec
    doc = layout.new_document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(15)
    section.top_margin = section.bottom_margin = Mm(15)
    usable = 26.7
    # The blocks above the table, in a borderless three-column table.
    left, middle, right = _blocks(table)
    blocks = doc.add_table(rows=1, cols=3)
    layout._no_borders(blocks)
    layout._widths(blocks, [8.0, 10.7, 8.0])
    left_cell, middle_cell, right_cell = blocks.rows[0].cells
    for index, text in enumerate(left):
        _put(left_cell, text, bold=index == 0, italic=index == 1, align="left", size=11)
    for index, text in enumerate(middle):
        _put(middle_cell, text, bold=index == 0, italic=index == 2, size=13 if index == 0 else 12)
    for text in right:
        if text:
            _put(right_cell, text, align="left", size=11)
    layout.write(doc, "", after=6)
    # The table.
    heading_rows, cells = header_cells(spec)
    lines = body_rows(spec)
    grid = doc.add_table(rows=heading_rows + len(lines), cols=len(LETTERS) + len(spec.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    layout._widths(grid, _widths_cm(spec, usable))
    for h in cells:
        target = grid.cell(h.row, h.column)
        if h.rows > 1 or h.columns > 1:
            target = target.merge(grid.cell(h.row + h.rows - 1, h.column + h.columns - 1))
        _put(target, h.text, bold=h.row < heading_rows - 1, size=10)
    for index, (heading, line) in enumerate(lines):
        at = heading_rows + index
        if line is None:
            merged = grid.cell(at, 0).merge(grid.cell(at, len(LETTERS) + len(spec.columns) - 1))
            _put(merged, heading, bold=True, align="left")
            continue
        bold = bool(line.parts)
        _put(grid.cell(at, 0), _row_label(table, line.code).strip(), bold=bold, align="left")
        if line.indent:
            grid.cell(at, 0).paragraphs[0].paragraph_format.left_indent = Mm(4 * line.indent)
        _put(grid.cell(at, 1), line.code)
        _put(grid.cell(at, 2), str(line.unit_of_measure))
        for offset, column in enumerate(spec.columns):
            _put(grid.cell(at, len(LETTERS) + offset), str(table.value(line.code, column.key)), bold=bold)
    layout._repeat_header(grid)
    # The signatures.
    layout.write(doc, "", after=6)
    signs = doc.add_table(rows=1, cols=2)
    layout._no_borders(signs)
    layout._widths(signs, [usable / 2, usable / 2])
    left_cell, right_cell = signs.rows[0].cells
    _put(left_cell, "")
    layout.write(left_cell, SIGNER_LEFT[0], size=12, bold=True, align="center")
    layout.write(left_cell, SIGNER_LEFT[1], size=11, italic=True, align="center")
    _put(right_cell, f"{layout.agency().place}, ngày … tháng … năm …", italic=True)
    layout.write(right_cell, SIGNER_RIGHT[0], size=12, bold=True, align="center")
    layout.write(right_cell, SIGNER_RIGHT[1], size=11, italic=True, align="center")
    return layout.to_bytes(
        doc, title=f"{spec.form} — {spec.title} — {table.year}", day=datetime.date(table.year, 12, 15)
    )
