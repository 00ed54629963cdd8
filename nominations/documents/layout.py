"""The layout of an administrative document (văn bản hành chính) per Decree 30/2020/NĐ-CP, Annex I.

A4 portrait, margins top/bottom 20 mm, left 30 mm, right 15 mm; Times New Roman; the header is a
borderless two-column table: the governing body (regular) and the issuing agency (bold) with a short
line beneath on the left, the national name and motto (motto underlined) on the right; below them the
number and symbol ("Số: 12/QĐ-CTK") and the place and date in italics. Then the document type and its
summary (trích yếu) in bold with a short line beneath, the body (13–14 pt, first-line indent 1 cm), the
signature block (authority and title in bold capitals, the signer's name in bold) and "Nơi nhận:" (bold
italic 12 pt, entries 11 pt). Page numbers from the second page, centred in the header.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.conf import settings
from docx import Document as new_docx
from docx.document import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from nominations.documents.vietnamese import place_and_date

FONT = "Times New Roman"
BODY_PT = 14
TEXT_WIDTH_CM = 16.5  # 210 mm − 30 mm − 15 mm


# What XML 1.0 cannot hold (python-docx and openpyxl refuse it): the C0 controls but tab, line feed and
# carriage return, lone surrogates, U+FFFE and U+FFFF. Text copied from Word carries \x0b (its line break)
# and \x0c (a page break): they become line breaks; the rest is dropped.
_NOT_XML = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})


def xml_text(value: object) -> str:
    """`value` as text a Word or Excel file can hold, shown literally: typed text never breaks a document."""
    return _NOT_XML.sub("", str(value).translate(_BREAKS))


@dataclass(frozen=True)
class Agency:
    parent: str = "TỔNG CỤC THỐNG KÊ"
    name: str = "CỤC THỐNG KÊ TỈNH NINH THUẬN"
    name_in_header: str = "CỤC THỐNG KÊ\nTỈNH NINH THUẬN"  # a long name breaks where the agency chooses
    name_in_text: str = "Cục Thống kê tỉnh Ninh Thuận"
    place: str = "Ninh Thuận"
    head_title: str = "CỤC TRƯỞNG"
    head_title_in_text: str = "Cục trưởng"
    deputy_title: str = "PHÓ CỤC TRƯỞNG"
    office_unit: str = "Phòng Tổ chức - Hành chính"
    archive: str = "Lưu: VT, TC-HC."


def agency() -> Agency:
    """The issuing agency; a deployment may override any field with the THIDUA_AGENCY setting (a dict)."""
    overrides = getattr(settings, "THIDUA_AGENCY", None) or {}
    return replace(Agency(), **overrides)


def new_document() -> Document:
    doc = new_docx()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    _page_numbers(section)
    return doc


def _page_numbers(section: object) -> None:
    """Page numbers from page 2 on, centred at the top (Decree 30/2020, Annex I, section II.5)."""
    section.different_first_page_header_footer = True  # type: ignore[attr-defined]
    paragraph = section.header.paragraphs[0]  # type: ignore[attr-defined]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def to_bytes(doc: Document, *, title: str, day: datetime.date) -> bytes:
    props = doc.core_properties
    props.title = xml_text(title)
    props.author = agency().name_in_text
    stamp = datetime.datetime.combine(day, datetime.time(8, 0))
    props.created = props.modified = stamp
    props.last_modified_by = agency().name_in_text
    props.revision = 1
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _no_borders(table: Table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def _widths(table: Table, widths_cm: Sequence[float]) -> None:
    """Fixed column widths, written where both Word (cells) and LibreOffice (the grid) read them."""
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    total = OxmlElement("w:tblW")
    total.set(qn("w:w"), str(int(Cm(sum(widths_cm)).twips)))
    total.set(qn("w:type"), "dxa")
    for old in tbl_pr.findall(qn("w:tblW")):
        tbl_pr.remove(old)
    tbl_pr.append(total)
    grid = table._tbl.tblGrid
    for column, width in zip(grid.findall(qn("w:gridCol")), widths_cm, strict=True):
        column.set(qn("w:w"), str(int(Cm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)


def write(
    target: Document | _Cell,
    text: str = "",
    *,
    size: float = BODY_PT,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align: str = "justify",
    indent: bool = False,
    before: float = 0,
    after: float = 0,
    first: bool = False,
) -> Paragraph:
    """One paragraph. `first`: reuse the empty paragraph a new table cell starts with."""
    if first and isinstance(target, _Cell) and not target.paragraphs[0].text:
        paragraph = target.paragraphs[0]
    else:
        paragraph = target.add_paragraph()
    paragraph.alignment = {
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }[align]
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if indent:
        fmt.first_line_indent = Cm(1)
    if text:
        run = paragraph.add_run(xml_text(text))
        run.font.size = Pt(size)
        run.bold, run.italic = bold, italic
        if underline:
            run.underline = True
    return paragraph


def add_run(
    paragraph: Paragraph, text: str, *, size: float = BODY_PT, bold: bool = False, italic: bool = False
) -> None:
    run = paragraph.add_run(xml_text(text))
    run.font.size = Pt(size)
    run.bold, run.italic = bold, italic


def short_rule(target: Document | _Cell, *, width_cm: float, length_cm: float) -> Paragraph:
    """A short centred line (the one under the agency name and under the summary)."""
    paragraph = target.add_paragraph()
    fmt = paragraph.paragraph_format
    margin = max((width_cm - length_cm) / 2, 0)
    fmt.left_indent = fmt.right_indent = Cm(margin)
    fmt.space_before = fmt.space_after = Pt(0)
    run = paragraph.add_run()
    run.font.size = Pt(2)
    p_pr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "6")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    border.append(bottom)
    p_pr.append(border)
    return paragraph


LEFT_CM, RIGHT_CM = 6.6, 9.9


def header(doc: Document, *, number: str, day: datetime.date, draft: bool = False) -> None:
    """Agency name and national name, number and symbol, place and date (ND30 items 1–4)."""
    a = agency()
    if draft:
        write(doc, "DỰ THẢO", size=12, bold=True, italic=True, align="right", after=4)
    table = doc.add_table(rows=2, cols=2)
    _no_borders(table)
    _widths(table, [LEFT_CM, RIGHT_CM])
    left, right = table.rows[0].cells
    write(left, a.parent, size=12, align="center", first=True)
    for line in (a.name_in_header or a.name).splitlines():
        write(left, line, size=12, bold=True, align="center")
    short_rule(left, width_cm=LEFT_CM, length_cm=2.6)
    write(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True, align="center", first=True)
    write(right, "Độc lập - Tự do - Hạnh phúc", size=13, bold=True, underline=True, align="center")
    left, right = table.rows[1].cells
    write(left, f"Số: {number}", size=13, align="center", before=6, first=True)
    write(right, place_and_date(a.place, day), size=14, italic=True, align="center", before=6, first=True)


def title(doc: Document, kind: str, summary: str) -> None:
    """Document type and summary, bold and centred, a short line beneath (ND30 items 5a)."""
    write(doc, kind, bold=True, align="center", before=18)
    write(doc, summary, bold=True, align="center")
    short_rule(doc, width_cm=TEXT_WIDTH_CM, length_cm=4.5)
    write(doc, "", after=6)


def body(
    doc: Document, text: str, *, bold_lead: str = "", italic: bool = False, before: float = 6
) -> Paragraph:
    paragraph = write(doc, "", indent=True, before=before)
    if bold_lead:
        add_run(paragraph, bold_lead, bold=True)
    if text:
        add_run(paragraph, text, italic=italic)
    else:
        paragraph.paragraph_format.keep_with_next = True  # a heading stays with what follows it
    paragraph.paragraph_format.line_spacing = 1.15
    return paragraph


def signature(
    doc: Document,
    *,
    recipients: Sequence[str],
    title_lines: Sequence[str],
    signer_name: str,
) -> None:
    """ "Nơi nhận:" on the left; authority, title and the signer's name on the right (ND30 items 7, 9a)."""
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, [7.4, 9.1])
    _cant_split(table)
    left, right = table.rows[0].cells
    write(left, "Nơi nhận:", size=12, bold=True, italic=True, align="left", before=12, first=True)
    for line in recipients:
        write(left, f"- {line}", size=11, align="left")
    for index, line in enumerate(title_lines):
        write(right, line, bold=True, align="center", before=12 if index == 0 else 0, first=index == 0)
    for _blank in range(4):
        write(right, "")
    write(right, signer_name, bold=True, align="center")


def grid(
    doc: Document,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths_cm: Sequence[float],
    *,
    size: float = 12,
    right_columns: Sequence[int] = (),
    center_columns: Sequence[int] = (0,),
    bold_rows: Sequence[int] = (),
    merged_rows: Sequence[int] = (),
) -> Table:
    """A bordered table with a bold header row. `merged_rows` are group captions spanning every column."""
    table = doc.add_table(rows=1 + len(rows), cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, widths_cm)
    _cant_split(table)
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        write(cell, text, size=size, bold=True, align="center", first=True)
    _repeat_header(table)
    for r, values in enumerate(rows, start=1):
        cells = table.rows[r].cells
        if r - 1 in merged_rows:
            merged = cells[0].merge(cells[-1])
            write(merged, values[0], size=size, bold=True, align="left", first=True)
            continue
        for c, (cell, text) in enumerate(zip(cells, values, strict=True)):
            align = "right" if c in right_columns else ("center" if c in center_columns else "left")
            write(cell, text, size=size, bold=(r - 1) in bold_rows, align=align, first=True)
    return table


def _cant_split(table: Table) -> None:
    for row in table.rows:
        element = OxmlElement("w:cantSplit")
        element.set(qn("w:val"), "true")
        row._tr.get_or_add_trPr().append(element)


def _repeat_header(table: Table) -> None:
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    tr_pr.append(element)


def new_page(doc: Document) -> None:
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.different_first_page_header_footer = False
