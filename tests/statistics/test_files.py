"""The forms as files: the .xlsx opened back with openpyxl (blocks, headings, codes, totals), the .docx
with python-docx, and the PDF made from the .docx where LibreOffice is installed."""

from __future__ import annotations

import io
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from nominations.documents import pdf_available
from nominations.documents.statistics import build_statistics_docx, build_statistics_xlsx
from nominations.statistics import FORMS, statistics_table
from nominations.statistics.forms import column_heading
from tests.builders.core import signed_in


def _texts(sheet: Worksheet) -> list[str]:
    return [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]


def _find(sheet: Worksheet, value: str) -> tuple[int, int]:
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == value:
                return cell.row, cell.column
    raise AssertionError(f"{value!r} not in the sheet")


@pytest.mark.django_db
@pytest.mark.parametrize("code", sorted(FORMS))
def test_the_xlsx_is_laid_out_as_the_circulars_template_and_its_totals_add_up(demo: None, code: str) -> None:
    table = statistics_table(code=code, year=2023)
    spec = table.spec
    sheet = load_workbook(io.BytesIO(build_statistics_xlsx(table))).active
    assert sheet is not None
    texts = _texts(sheet)
    assert sheet["A1"].value == f"Biểu số: {spec.form}"
    assert any("Ban hành kèm theo Thông tư số 02/2023/TT-BNV" in t for t in texts)
    assert "Ngày nhận báo cáo: ngày 15/12 hằng năm" in texts
    assert str(spec.title).upper() in texts
    assert "(Thời điểm báo cáo: năm 2023)" in texts
    assert f"Đơn vị báo cáo: {table.reporting_unit}" in texts
    assert f"Đơn vị nhận báo cáo: {table.receiving_unit}" in texts
    # The row of column letters and numbers: A B C 1=2+… 2 3 …
    letters_row, first_column = _find(sheet, "A")
    numbers = [sheet.cell(letters_row, first_column + i).value for i in range(3 + len(spec.columns))]
    assert numbers == ["A", "B", "C", *(column_heading(spec, c) for c in spec.columns)]
    assert numbers[3].startswith("1=")
    # The grouped headings are merged over their columns.
    for group in spec.groups:
        row, column = _find(sheet, str(group.label))
        merged = [r for r in sheet.merged_cells.ranges if r.min_row == row and r.min_col == column]
        assert merged and merged[0].max_col - merged[0].min_col + 1 == len(group.keys)
    # The rows: their codes in column B, their figures as numbers, every total the sum of its parts.
    figures: dict[str, dict[str, Any]] = {}
    at = letters_row
    for row in spec.rows:
        at += 1
        if row.section:  # the heading of a breakdown, on its own line, merged across the table
            assert sheet.cell(at, 1).value == str(row.section)
            at += 1
        assert sheet.cell(at, 2).value == row.code
        assert sheet.cell(at, 3).value == str(row.unit_of_measure)
        figures[row.code] = {c.key: sheet.cell(at, 4 + i).value for i, c in enumerate(spec.columns)}
        assert figures[row.code] == table.values[row.code]
    for row in spec.rows:
        for column in spec.columns:
            if column.parts:
                assert figures[row.code][column.key] == sum(figures[row.code][p] for p in column.parts)
            for parts in (row.parts, *row.also) if row.parts else ():
                assert figures[row.code][column.key] == sum(figures[p][column.key] for p in parts)
    assert figures["01"]["total"] > 0, "the demo's 2023 forms are not all zeros"
    assert sheet.cell(letters_row, 1).border.left.style == "thin"
    assert "THỦ TRƯỞNG ĐƠN VỊ" in texts and "NGƯỜI LẬP BIỂU" in texts


@pytest.mark.django_db
def test_the_docx_carries_the_same_table(demo: None) -> None:
    table = statistics_table(code="0603", year=2023)
    doc = Document(io.BytesIO(build_statistics_docx(table)))
    blocks, grid = doc.tables[0], doc.tables[1]
    assert "Biểu số: 0603.N/BNV-TĐKT" in blocks.cell(0, 0).text
    assert "Đơn vị nhận báo cáo" in blocks.cell(0, 2).text
    codes = [row.cells[1].text for row in grid.rows]
    assert [c for c in codes if c.isdigit()] == [r.code for r in table.spec.rows]
    first = codes.index("01")
    assert grid.rows[first].cells[3].text == str(table.value("01", "total"))
    assert grid.rows[first - 1].cells[3].text == "1=2+3+4+5"
    assert "1. Chia theo đối tượng khen thưởng" in grid.rows[first + 1].cells[0].text
    by_method = codes.index("11")  # rows 11–17: by method of award, after their heading
    assert "2. Chia theo phương thức khen thưởng" in grid.rows[by_method - 1].cells[0].text
    assert codes[by_method : by_method + 7] == ["11", "12", "13", "14", "15", "16", "17"]
    assert grid.rows[codes.index("17")].cells[3].text == str(table.value("17", "total"))


@pytest.mark.django_db
@pytest.mark.skipif(not pdf_available(), reason="LibreOffice (soffice) is not installed")
def test_the_pdf_is_made_from_the_docx(demo: None) -> None:
    response = signed_in("auditor").get("/thong-ke/0602/2023/tai-ve.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
