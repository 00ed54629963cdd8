"""Certificates (giấy khen, giấy chứng nhận danh hiệu) as PDF, drawn with ReportLab at exact millimetres.

The layout of each award is data (`CertificateLayout`, edited in the admin); `default_layout` gives the
one shipped with the catalogue. Two modes: on blank paper every line and a frame are printed; on the
agency's pre-printed paper (phôi) only the lines marked `variable` and the QR code are, shifted by the
calibrated offsets (`CertificatePrintSettings`). Several recipients make one PDF, a page each.
Fonts: Liberation Serif from Debian's fonts-liberation (the metrics of Times New Roman, every Vietnamese
letter), embedded as TrueType so any reader shows the diacritics.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import segno
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A3, A4, landscape, portrait
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from nominations.documents.layout import agency
from nominations.documents.vietnamese import place_and_date, short_date
from nominations.models import Certificate, CertificateLayout, CertificatePrintSettings, Nomination, State

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/liberation2"),
    Path("/usr/share/fonts/truetype/liberation"),
)
FONT_FILES = {
    "CertSerif": "LiberationSerif-Regular.ttf",
    "CertSerif-Bold": "LiberationSerif-Bold.ttf",
    "CertSerif-Italic": "LiberationSerif-Italic.ttf",
    "CertSerif-BoldItalic": "LiberationSerif-BoldItalic.ttf",
}
DEJAVU = {
    "CertSerif": "DejaVuSerif.ttf",
    "CertSerif-Bold": "DejaVuSerif-Bold.ttf",
    "CertSerif-Italic": "DejaVuSerif-Italic.ttf",
    "CertSerif-BoldItalic": "DejaVuSerif-BoldItalic.ttf",
}
DEFAULT_WIDTH_MM = 250  # a longer line wraps (a campaign's name often runs to two lines)
RED = HexColor("#b0171f")
INK = HexColor("#111111")
PAGE_SIZES: dict[str, tuple[float, float]] = {
    CertificateLayout.PageSize.A4_LANDSCAPE: landscape(A4),
    CertificateLayout.PageSize.A4_PORTRAIT: portrait(A4),
    CertificateLayout.PageSize.A3_LANDSCAPE: landscape(A3),
}


class CertificateFontMissing(Exception):
    """No TrueType font with the Vietnamese letters is installed (fonts-liberation or fonts-dejavu)."""


def _register_fonts() -> None:
    if "CertSerif" in pdfmetrics.getRegisteredFontNames():
        return
    for names, folder in [(FONT_FILES, d) for d in FONT_DIRS] + [
        (DEJAVU, Path("/usr/share/fonts/truetype/dejavu"))
    ]:
        if all((folder / file).exists() for file in names.values()):
            for name, file in names.items():
                pdfmetrics.registerFont(TTFont(name, str(folder / file)))
            pdfmetrics.registerFontFamily(
                "CertSerif",
                normal="CertSerif",
                bold="CertSerif-Bold",
                italic="CertSerif-Italic",
                boldItalic="CertSerif-BoldItalic",
            )
            return
    raise CertificateFontMissing("apt-get install fonts-liberation")


# --- the layouts shipped with the catalogue ----------------------------------------------------------
def _line(text: str, y: float, size: float, *, x: float = 148.5, **style: Any) -> dict[str, Any]:
    return {"text": text, "x_mm": x, "y_mm": y, "size": size, "align": "center", **style}


_TITLES = {
    "GIAY_KHEN": ("GIẤY KHEN", "Tặng"),
    "LDTT": ("GIẤY CHỨNG NHẬN", "Đạt danh hiệu “Lao động tiên tiến” năm {year}"),
    "CSTDCS": ("GIẤY CHỨNG NHẬN", "Đạt danh hiệu “Chiến sĩ thi đua cơ sở” năm {year}"),
    "TTLDTT": ("GIẤY CHỨNG NHẬN", "Đạt danh hiệu “Tập thể Lao động tiên tiến” năm {year}"),
    "TTLDXS": ("GIẤY CHỨNG NHẬN", "Đạt danh hiệu “Tập thể Lao động xuất sắc” năm {year}"),
}


def default_layout(award_code: str, award_name: str) -> tuple[str, list[dict[str, Any]]]:
    """The title and the lines of an award's certificate on A4 landscape (297 × 210 mm)."""
    title, award_line = _TITLES.get(award_code, ("GIẤY CHỨNG NHẬN", "Đã được tặng {award}"))
    is_commendation = award_code == "GIAY_KHEN"
    a = agency()
    lines = [
        _line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 24, 14, bold=True),
        _line("Độc lập - Tự do - Hạnh phúc", 31, 14, bold=True),
        _line(f"{a.head_title} {a.name}", 46, 15, bold=True),
        _line(title, 64, 34, bold=True, color="red"),
        _line(award_line, 79, 16, italic=not is_commendation, variable=not is_commendation),
        _line("{nominee}", 95, 24, bold=True, variable=True),
        _line("{position}", 106, 14, variable=True),
        _line("{unit}", 114, 14, variable=True),
    ]
    if is_commendation:
        lines.append(_line("Đã có thành tích xuất sắc trong {campaign}", 126, 15, italic=True, variable=True))
    else:
        lines.append(_line("{campaign}", 126, 14, italic=True, variable=True))
    lines += [
        _line(
            "Quyết định số {decision_number} ngày {decision_date}", 182, 12, x=100, italic=True, variable=True
        ),
        _line("Mã xác minh: {code}", 194, 7, x=34, variable=True),
        _line("{place_date}", 148, 13, x=220, italic=True, variable=True),
        _line("{signer_title}", 156, 13, x=220, bold=True, variable=True),
        _line("{signer_name}", 190, 14, x=220, bold=True, variable=True),
    ]
    return title, lines


def layout_for(nomination: Nomination) -> CertificateLayout:
    """The award's layout as the administrator left it, or the default (unsaved) if none was made."""
    award = nomination.award
    try:
        return award.certificate_layout
    except CertificateLayout.DoesNotExist:
        title, lines = default_layout(award.code, award.name)
        return CertificateLayout(award=award, title=title, lines=lines)


# --- the values ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CertificateFacts:
    """What a certificate says, also what its public verification shows (and nothing more)."""

    nominee: str
    position: str
    unit: str
    award: str
    campaign: str
    year: int
    decision_number: str
    decision_date: datetime.date | None
    issuer: str
    signer_title: str
    signer_name: str
    revoked: bool

    def values(self, code: str) -> dict[str, str]:
        a = agency()
        day = self.decision_date
        return {
            "nominee": self.nominee,
            "position": self.position,
            "unit": self.unit,
            "award": self.award,
            "campaign": self.campaign,
            "year": str(self.year),
            "decision_number": self.decision_number,
            "decision_date": short_date(day),
            "issuer": self.issuer,
            "place_date": place_and_date(a.place, day) if day else "",
            "signer_title": self.signer_title,
            "signer_name": self.signer_name,
            "code": code,
        }


def certificate_facts(nomination: Nomination) -> CertificateFacts:
    """The decision that made the award: the Director's (a decision item), or the upper authority's."""
    a = agency()
    person = nomination.nominee_person
    unit = nomination.nominee_unit if person is None else person.unit
    number, day = nomination.decision_number, nomination.decision_date
    issuer = f"{a.head_title_in_text} {a.name_in_text}"
    signer_title, signer_name = "", ""
    item = getattr(nomination, "decision_item", None) if _has(nomination, "decision_item") else None
    if item is not None:
        decision = item.decision
        number, day = decision.number, decision.date
        signer_title, signer_name = decision.signer_title, decision.signer.full_name
    elif nomination.outcome_decision_number:
        number = nomination.outcome_decision_number
        submission_item = nomination.submission_item if _has(nomination, "submission_item") else None
        day = submission_item.outcome_date if submission_item else None
        issuer = submission_item.submission.addressee_name if submission_item else ""
    return CertificateFacts(
        nominee=person.full_name if person is not None else str(nomination.nominee_unit),
        position=(person.position or "") if person is not None else "",
        unit=(unit.name if unit is not None and person is not None else ""),
        award=nomination.award.name,
        campaign=nomination.campaign.name,
        year=nomination.campaign.year,
        decision_number=number,
        decision_date=day,
        issuer=issuer,
        signer_title=signer_title,
        signer_name=signer_name,
        revoked=nomination.state == State.REVOKED,
    )


def _has(nomination: Nomination, relation: str) -> bool:
    try:
        getattr(nomination, relation)
    except Exception:  # RelatedObjectDoesNotExist of a reverse one-to-one
        return False
    return True


# --- drawing ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Page:
    layout: CertificateLayout
    values: dict[str, str]
    qr_url: str


def _font(line: dict[str, Any]) -> str:
    bold, italic = bool(line.get("bold")), bool(line.get("italic"))
    return "CertSerif" + (
        "-BoldItalic" if bold and italic else "-Bold" if bold else "-Italic" if italic else ""
    )


def _draw_text(canvas: Canvas, line: dict[str, Any], text: str, height: float, dx: float, dy: float) -> None:
    size = float(line.get("size", 14))
    canvas.setFont(_font(line), size)
    canvas.setFillColor(RED if line.get("color") == "red" else INK)
    x = (float(line["x_mm"]) + dx) * mm
    y_top = (float(line["y_mm"]) + dy) * mm
    limit = float(line.get("width_mm", DEFAULT_WIDTH_MM)) * mm
    parts = [
        piece for chunk in text.split("\n") for piece in simpleSplit(chunk, _font(line), size, limit) or [""]
    ]
    for index, part in enumerate(parts):
        # y_mm is the baseline of the first line, measured from the top edge as a ruler on paper reads it.
        y = height - y_top - index * size * 1.3
        align = line.get("align", "center")
        if align == "left":
            canvas.drawString(x, y, part)
        elif align == "right":
            canvas.drawRightString(x, y, part)
        else:
            canvas.drawCentredString(x, y, part)


def _draw_qr(canvas: Canvas, url: str, x_mm: float, y_top_mm: float, size_mm: float, height: float) -> None:
    qr = segno.make(url, error="m")
    rows = list(qr.matrix_iter(scale=1, border=0))
    module = size_mm * mm / len(rows)
    left, top = x_mm * mm, height - y_top_mm * mm
    canvas.setFillColor(Color(0, 0, 0))
    path = canvas.beginPath()
    for r, row in enumerate(rows):
        for c, dark in enumerate(row):
            if dark:
                path.rect(left + c * module, top - (r + 1) * module, module, module)
    canvas.drawPath(path, stroke=0, fill=1)


def _draw_frame(canvas: Canvas, width: float, height: float) -> None:
    canvas.setStrokeColor(RED)
    canvas.setLineWidth(2.2)
    canvas.rect(8 * mm, 8 * mm, width - 16 * mm, height - 16 * mm)
    canvas.setLineWidth(0.6)
    canvas.rect(11 * mm, 11 * mm, width - 22 * mm, height - 22 * mm)


def render_certificates(
    pages: Sequence[Page], *, preprinted: bool, offsets: tuple[Decimal, Decimal] = (Decimal(0), Decimal(0))
) -> bytes:
    """One PDF, a page per recipient. On pre-printed paper only the variable lines and the QR code."""
    _register_fonts()
    out = io.BytesIO()
    first = PAGE_SIZES.get(pages[0].layout.page_size, landscape(A4)) if pages else landscape(A4)
    canvas = Canvas(out, pagesize=first, pageCompression=1)
    canvas.setTitle("Giấy khen, giấy chứng nhận")
    canvas.setCreator("ThiĐua")
    dx, dy = (float(offsets[0]), float(offsets[1])) if preprinted else (0.0, 0.0)
    for page in pages:
        layout = page.layout
        width, height = PAGE_SIZES.get(layout.page_size, landscape(A4))
        canvas.setPageSize((width, height))
        if not preprinted:
            _draw_frame(canvas, width, height)
        for line in layout.lines:
            if preprinted and not line.get("variable"):
                continue
            text = str(line["text"]).format(**page.values).strip()
            if text:
                _draw_text(canvas, line, text, height, dx, dy)
        _draw_qr(
            canvas,
            page.qr_url,
            float(layout.qr_x_mm) + dx,
            float(layout.qr_y_mm) + dy,
            float(layout.qr_size_mm),
            height,
        )
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def render_calibration_sheet(layout: CertificateLayout, settings: CertificatePrintSettings) -> bytes:
    """A test sheet: a millimetre grid (10 mm, labelled) and a cross where each variable line will print.

    Print it on plain paper, lay it over a pre-printed sheet against the light, read how far the crosses
    miss the blanks and enter that as the offsets; print again until they meet.
    """
    _register_fonts()
    out = io.BytesIO()
    width, height = PAGE_SIZES.get(layout.page_size, landscape(A4))
    canvas = Canvas(out, pagesize=(width, height))
    canvas.setTitle("Mẫu cân chỉnh in giấy khen")
    canvas.setStrokeColor(HexColor("#9db4d0"))
    canvas.setFont("CertSerif", 6)
    canvas.setFillColor(HexColor("#50698a"))
    for x in range(0, int(width / mm) + 1, 10):
        canvas.setLineWidth(0.6 if x % 50 == 0 else 0.2)
        canvas.line(x * mm, 0, x * mm, height)
        canvas.drawString(x * mm + 0.5 * mm, height - 4 * mm, str(x))
    for y in range(0, int(height / mm) + 1, 10):
        canvas.setLineWidth(0.6 if y % 50 == 0 else 0.2)
        canvas.line(0, height - y * mm, width, height - y * mm)
        canvas.drawString(1 * mm, height - y * mm - 2.5 * mm, str(y))
    dx, dy = float(settings.offset_x_mm), float(settings.offset_y_mm)
    canvas.setStrokeColor(RED)
    canvas.setFillColor(RED)
    canvas.setLineWidth(0.5)
    for line in layout.lines:
        if not line.get("variable"):
            continue
        x, y = (float(line["x_mm"]) + dx) * mm, height - (float(line["y_mm"]) + dy) * mm
        canvas.line(x - 4 * mm, y, x + 4 * mm, y)
        canvas.line(x, y - 4 * mm, x, y + 4 * mm)
        canvas.setFont("CertSerif", 7)
        canvas.drawString(x + 1.5 * mm, y + 1.2 * mm, str(line["text"])[:40])
    qr_x, qr_y, qr_size = float(layout.qr_x_mm) + dx, float(layout.qr_y_mm) + dy, float(layout.qr_size_mm)
    canvas.rect(qr_x * mm, height - (qr_y + qr_size) * mm, qr_size * mm, qr_size * mm)
    canvas.drawString(qr_x * mm, height - (qr_y - 1.5) * mm, "QR")
    canvas.setFont("CertSerif-Bold", 11)
    canvas.drawString(
        20 * mm,
        height - 55 * mm,
        f"Mẫu cân chỉnh — {layout.title}: dịch ngang {dx:+.1f} mm, dịch dọc {dy:+.1f} mm",
    )
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def certificate_pages(items: Iterable[tuple[Nomination, Certificate, str]]) -> list[Page]:
    """(nomination, its certificate row, its verification URL) → pages to draw."""
    pages = []
    for nomination, certificate, url in items:
        facts = certificate_facts(nomination)
        pages.append(Page(layout=layout_for(nomination), values=facts.values(certificate.code), qr_url=url))
    return pages


__all__ = [
    "CertificateFacts",
    "CertificateFontMissing",
    "Page",
    "certificate_facts",
    "certificate_pages",
    "default_layout",
    "layout_for",
    "render_calibration_sheet",
    "render_certificates",
]
