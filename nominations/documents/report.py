"""Báo cáo kết quả thi đua, khen thưởng (Word) and its tables (Excel) for the leaders, the bloc and Sở Nội vụ."""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from nominations.documents import layout
from nominations.documents.data import ReportLine, report_counts, report_lines, report_ratings
from nominations.documents.decision import campaign_phrase, plan_basis, signature_lines
from nominations.documents.vietnamese import day_text, percent, short_date
from nominations.models import Campaign, Rating, Report
from nominations.selectors.targets import ReportedRating

LIST_HEADERS = [
    "TT",
    "Họ và tên / Tên tập thể",
    "Chức vụ, đơn vị",
    "Đơn vị đề nghị",
    "Danh hiệu, hình thức",
    "Cấp quyết định",
    "Số quyết định",
    "Ngày quyết định",
]
RATING_HEADERS = ["TT", "Đơn vị", "Xếp loại", "Điểm", "Người xác nhận", "Ngày xác nhận", "Ghi chú"]
UNCONFIRMED = "chưa xác nhận"


def rating_row(position: int, line: ReportedRating) -> list[str]:
    """One unit's line of "Kết quả xếp loại đơn vị"; a corrected rating names what it replaced and why."""
    rating = line.rating
    if rating is None:
        return [str(position), line.unit.name, UNCONFIRMED, "", "", "", ""]
    note = ""
    if line.corrected:
        note = f"Điều chỉnh từ “{Rating(rating.proposed).label}”: {rating.reason}"
    who = rating.confirmed_by.get_full_name() if rating.confirmed_by else ""
    when = short_date(timezone.localtime(rating.confirmed_at).date()) if rating.confirmed_at else ""
    return [
        str(position),
        line.unit.name,
        str(Rating(rating.rating).label),
        percent(rating.percent),
        who,
        when,
        note,
    ]


def rating_rows(report: Report) -> list[list[str]] | None:
    lines = report_ratings(report)
    if lines is None:
        return None
    return [rating_row(position, line) for position, line in enumerate(lines, start=1)]


def report_summary(report: Report) -> str:
    campaign = report.campaign
    if campaign.kind == Campaign.Kind.ANNUAL:
        return f"Kết quả công tác thi đua, khen thưởng năm {campaign.year}"
    if campaign.kind == Campaign.Kind.PHASE:
        phase = campaign.name.split(":", 1)[0].strip()
        return f"Kết quả thi đua, khen thưởng {phase[:1].lower()}{phase[1:]}"
    return f"Kết quả {campaign_phrase(campaign)}"


def _count_rows(table: list[list[Any]]) -> list[list[str]]:
    return [[str(value) for value in row] for row in table]


def build_report_docx(report: Report) -> bytes:
    a = layout.agency()
    counts = report_counts(report)
    lines = report_lines(report)
    doc = layout.new_document()
    layout.header(doc, number=report.number, day=report.date, draft=not report.is_issued)
    layout.title(doc, "BÁO CÁO", report_summary(report))
    recipients = report.recipient_list
    if len(recipients) == 1:
        layout.write(doc, f"Kính gửi: {recipients[0]}.", align="center", after=6)
    else:
        layout.write(doc, "Kính gửi:", align="center")
        for index, name in enumerate(recipients):
            end = "." if index == len(recipients) - 1 else ";"
            paragraph = layout.write(doc, f"- {name}{end}", align="left")
            paragraph.paragraph_format.left_indent = layout.Cm(4.5)
        layout.write(doc, "", after=6)
    plan = plan_basis(report.campaign)
    opening = f"Thực hiện {plan}, " if plan else ""
    layout.body(
        doc,
        f"{opening}{a.name_in_text} báo cáo kết quả bình xét, khen thưởng trong "
        f"{campaign_phrase(report.campaign)} "
        f"(từ {report.campaign.starts_on:%d/%m/%Y} đến {report.campaign.ends_on:%d/%m/%Y}) như sau:",
    )
    layout.body(doc, "", bold_lead="I. KẾT QUẢ BÌNH XÉT, KHEN THƯỞNG", before=6)
    layout.body(
        doc,
        f"Tổng số hồ sơ đề nghị khen thưởng: {counts['total']}; được khen thưởng: "
        f"{counts['by_award'][-1][2] if counts['by_award'] else 0}.",
    )
    headers = ["Danh hiệu, hình thức", *counts["columns"]]
    widths = [6.0, 2.1, 2.1, 2.1, 2.1, 2.1]
    numbers = (1, 2, 3, 4, 5)
    layout.body(doc, "", bold_lead="1. Theo danh hiệu, hình thức khen thưởng", before=6)
    by_award = _count_rows(counts["by_award"])
    layout.grid(
        doc,
        headers,
        by_award,
        widths,
        size=11,
        right_columns=numbers,
        center_columns=(),
        bold_rows=[len(by_award) - 1],
    )
    layout.body(doc, "", bold_lead="2. Theo đơn vị đề nghị", before=6)
    by_unit = _count_rows(counts["by_unit"])
    layout.grid(
        doc,
        ["Đơn vị", *counts["columns"]],
        by_unit,
        widths,
        size=11,
        right_columns=numbers,
        center_columns=(),
        bold_rows=[len(by_unit) - 1],
    )
    layout.body(doc, "", bold_lead="3. Theo kết quả xử lý hồ sơ", before=6)
    layout.grid(
        doc, ["Kết quả", "Số hồ sơ"], _count_rows(counts["by_outcome"]), [10.0, 3.0], right_columns=(1,)
    )
    layout.body(doc, "", bold_lead="II. DANH SÁCH CÁ NHÂN, TẬP THỂ ĐƯỢC KHEN THƯỞNG", before=6)
    layout.grid(
        doc,
        ["TT", "Họ và tên / Tên tập thể", "Chức vụ, đơn vị", "Danh hiệu, hình thức", "Số quyết định", "Ngày"],
        [[str(x.position), x.name, x.where, x.award, x.decision_number, x.decision_date] for x in lines],
        [0.9, 3.6, 3.9, 3.1, 2.5, 2.5],
        size=11,
    )
    ratings = rating_rows(report)
    if ratings is not None:
        layout.body(doc, "", bold_lead="III. KẾT QUẢ XẾP LOẠI ĐƠN VỊ (TỔNG KẾT NĂM)", before=6)
        layout.grid(
            doc,
            ["TT", "Đơn vị", "Xếp loại", "Điểm", "Người, ngày xác nhận", "Ghi chú"],
            [[r[0], r[1], r[2], r[3], ", ".join(x for x in (r[4], r[5]) if x), r[6]] for r in ratings],
            [0.9, 3.4, 3.4, 1.7, 3.2, 3.9],
            size=11,
            right_columns=(3,),
        )
    layout.body(doc, f"{a.name_in_text} trân trọng báo cáo./.", before=6)
    layout.signature(
        doc,
        recipients=["Như trên;", a.archive],
        title_lines=signature_lines(report.signer_title),
        signer_name=report.signer.get_full_name(),
    )
    return layout.to_bytes(doc, title=f"Báo cáo số {report.number}", day=report.date)


# --- Excel --------------------------------------------------------------------------------------------
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe(value: Any) -> Any:
    """A text cell never becomes a formula in the reader's spreadsheet (CSV/formula injection, OWASP),
    and holds only characters a workbook can (see `layout.xml_text`)."""
    if not isinstance(value, str):
        return value
    value = layout.xml_text(value)
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _put(sheet: Worksheet, row: int, values: list[Any], *, bold: bool = False) -> None:
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column, value=safe(value))
        if isinstance(value, str):
            cell.data_type = "s"  # stored as text even if it looks like a number or formula
        cell.border = _BOX
        cell.font = Font(name=layout.FONT, size=12, bold=bold)
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _heading(sheet: Worksheet, report: Report, title: str) -> int:
    a = layout.agency()
    lines = [
        (a.parent, False),
        (a.name, True),
        (f"Số: {report.number} — {a.place}, {day_text(report.date)}", False),
        (title, True),
    ]
    if not report.is_issued:
        lines.insert(0, ("DỰ THẢO", True))
    for row, (text, bold) in enumerate(lines, start=1):
        cell = sheet.cell(row=row, column=1, value=safe(text))
        cell.font = Font(name=layout.FONT, size=13, bold=bold)
    return len(lines) + 2


def _table(sheet: Worksheet, row: int, caption: str, headers: list[str], rows: list[list[Any]]) -> int:
    sheet.cell(row=row, column=1, value=safe(caption)).font = Font(name=layout.FONT, size=13, bold=True)
    _put(sheet, row + 1, headers, bold=True)
    for offset, values in enumerate(rows, start=2):
        _put(sheet, row + offset, values, bold=values[0] == "Tổng cộng")
    return row + len(rows) + 3


def build_report_xlsx(report: Report) -> bytes:
    counts = report_counts(report)
    lines = report_lines(report)
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = "Tổng hợp"
    row = _heading(summary, report, "BÁO CÁO " + report_summary(report).upper())
    columns = list(counts["columns"])
    row = _table(
        summary, row, "1. Theo danh hiệu, hình thức", ["Danh hiệu, hình thức", *columns], counts["by_award"]
    )
    row = _table(summary, row, "2. Theo đơn vị đề nghị", ["Đơn vị", *columns], counts["by_unit"])
    _table(summary, row, "3. Theo kết quả xử lý hồ sơ", ["Kết quả", "Số hồ sơ"], counts["by_outcome"])
    summary.column_dimensions["A"].width = 48
    for column in range(2, 7):
        summary.column_dimensions[get_column_letter(column)].width = 16

    listing = book.create_sheet("Danh sách")
    row = _heading(listing, report, "DANH SÁCH CÁ NHÂN, TẬP THỂ ĐƯỢC KHEN THƯỞNG")
    _put(listing, row, LIST_HEADERS, bold=True)
    listing.freeze_panes = listing.cell(row=row + 1, column=1)
    for offset, line in enumerate(lines, start=1):
        _put(listing, row + offset, _list_row(line))
    for column, width in enumerate([6, 30, 36, 40, 36, 14, 18, 16], start=1):
        listing.column_dimensions[get_column_letter(column)].width = width
    ratings = rating_rows(report)
    if ratings is not None:
        sheet = book.create_sheet("Xếp loại đơn vị")
        row = _heading(sheet, report, "KẾT QUẢ XẾP LOẠI ĐƠN VỊ (TỔNG KẾT NĂM)")
        _put(sheet, row, RATING_HEADERS, bold=True)
        for offset, values in enumerate(ratings, start=1):
            _put(sheet, row + offset, values)
        for column, width in enumerate([6, 36, 32, 10, 28, 16, 48], start=1):
            sheet.column_dimensions[get_column_letter(column)].width = width
    book.properties.title = safe(f"Báo cáo số {report.number}")
    book.properties.creator = layout.agency().name_in_text
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _list_row(line: ReportLine) -> list[Any]:
    return [
        line.position,
        line.name,
        line.where,
        line.unit,
        line.award,
        line.level,
        line.decision_number,
        line.decision_date,
    ]
