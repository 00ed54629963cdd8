"""The downloadable .xlsx template of an import: the headers in row 1, a sample row, drop-down lists."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

LISTS_SHEET = "Danh mục"


def template_bytes(
    *,
    title: str,
    headers: Sequence[str],
    sample: Sequence[Any] = (),
    rows: Sequence[Sequence[Any]] = (),
    choices: dict[str, Sequence[str]] | None = None,
    notes: Sequence[str] = (),
    max_rows: int = 5000,
) -> bytes:
    """A workbook whose first sheet is the list to fill; `choices` become data-validation lists.

    Below the headers: one `sample` row to copy, or the `rows` already known (people to rate).

    The lists live on a second sheet (an inline list is limited to 255 characters by Excel).
    """
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(list(headers))
    for line in [sample] if sample else rows:
        sheet.append(list(line))
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for index, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = bold
        cell.fill = fill
        sheet.column_dimensions[get_column_letter(index)].width = max(14, min(45, len(header) + 8))
    sheet.freeze_panes = "A2"
    lists = workbook.create_sheet(LISTS_SHEET)
    for col, (header, values) in enumerate((choices or {}).items(), start=1):
        letter = get_column_letter(col)
        lists.cell(row=1, column=col, value=header).font = bold
        for row, value in enumerate(values, start=2):
            lists.cell(row=row, column=col, value=value)
        target = get_column_letter(list(headers).index(header) + 1)
        validation = DataValidation(
            type="list",
            formula1=f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=header,
            error=f"Chọn một giá trị trong danh sách ({header}).",
        )
        validation.add(f"{target}2:{target}{max_rows + 1}")
        sheet.add_data_validation(validation)
    if notes:
        guide = workbook.create_sheet("Hướng dẫn")
        for row, note in enumerate(notes, start=1):
            guide.cell(row=row, column=1, value=note)
        guide.column_dimensions["A"].width = 110
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
