"""Open every generated file with python-docx / openpyxl and check it against the database."""

from __future__ import annotations

import datetime
import io
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook

from nominations import documents
from nominations.documents.data import nominee_name
from nominations.documents.vietnamese import amount_in_words, day_text, money, number_in_words
from nominations.models import Decision, Nomination, Report, UpwardSubmission
from tests.builders import core as builders
from tests.builders.decisions import DAY, phase_two, proposed
from workflow.services import decisions as services
from workflow.services import reports as report_services
from workflow.services import upward_submissions as upward_services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def _text(doc: Any) -> str:
    """Every paragraph of the body and of every table cell, in order."""
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _decision(extra: list[Nomination] | None = None) -> Decision:
    session = builders.session()
    batch = [
        proposed(nominee="staff-tkth-2", session=session),
        proposed(nominee="staff-prtc-3", session=session),
        proposed(award="TTLDTT", unit_nominee=True, head="head-tkxh", rating="htt", session=session),
        *(extra or []),
    ]
    director = builders.person("director")
    return services.decision_issue(
        nominations=batch, actor=director, number="12/QĐ-CTK", date=DAY, signer=director
    )


# --- Vietnamese writing -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "không"),
        (15, "mười lăm"),
        (21, "hai mươi mốt"),
        (24, "hai mươi tư"),
        (105, "một trăm linh năm"),
        (540_000, "năm trăm bốn mươi nghìn"),
        (1_005_000, "một triệu không trăm linh năm nghìn"),
        (2_520_000, "hai triệu năm trăm hai mươi nghìn"),
        (26_460_000, "hai mươi sáu triệu bốn trăm sáu mươi nghìn"),
        (1_000_000_000, "một tỷ"),
    ],
)
def test_numbers_are_read_in_vietnamese(number: int, words: str) -> None:
    assert number_in_words(number) == words


def test_dates_and_money_are_written_as_decree_30_asks() -> None:
    assert day_text(datetime.date(2024, 1, 5)) == "ngày 05 tháng 01 năm 2024"
    assert day_text(datetime.date(2024, 2, 15)) == "ngày 15 tháng 02 năm 2024"
    assert day_text(datetime.date(2023, 7, 1)) == "ngày 01 tháng 7 năm 2023"
    assert day_text(datetime.date(2023, 12, 20)) == "ngày 20 tháng 12 năm 2023"
    assert money(Decimal(2_520_000)) == "2.520.000"
    assert amount_in_words(Decimal(2_520_000)) == "Hai triệu năm trăm hai mươi nghìn đồng"


# --- the decision ------------------------------------------------------------------------------------------
def test_the_decision_document_carries_its_number_date_recipients_amounts_and_total(demo: None) -> None:
    decision = _decision()
    doc = Document(io.BytesIO(documents.build_decision_docx(decision)))
    text = _text(doc)

    header = doc.tables[0]
    assert header.cell(0, 0).text.splitlines() == ["TỔNG CỤC THỐNG KÊ", "CỤC THỐNG KÊ", "TỈNH NINH THUẬN"]
    assert header.cell(0, 1).text.splitlines() == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    assert header.cell(1, 0).text == "Số: 12/QĐ-CTK"
    assert header.cell(1, 1).text == "Ninh Thuận, ngày 10 tháng 01 năm 2024"
    assert "QUYẾT ĐỊNH\n" in text and "CỤC TRƯỞNG CỤC THỐNG KÊ TỈNH NINH THUẬN" in text
    assert "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;" in text
    assert "Căn cứ Nghị định số 98/2023/NĐ-CP" in text
    assert "Căn cứ Nghị định số 24/2023/NĐ-CP quy định mức lương cơ sở" in text
    assert "Điều 1." in text and "Điều 2." in text and "Điều 3." in text
    assert "cho 2 cá nhân và 1 tập thể" in text

    signature = doc.tables[1]
    left, right = signature.cell(0, 0).text, signature.cell(0, 1).text
    assert left.splitlines()[0] == "Nơi nhận:"
    assert "- Như Điều 3;" in left and "- Lưu: VT, TC-HC." in left
    assert right.strip().splitlines()[0] == "CỤC TRƯỞNG"
    assert right.strip().splitlines()[-1] == decision.signer.full_name == "Trần Minh Quang"

    annex = doc.tables[2]
    rows = [[cell.text for cell in row.cells] for row in annex.rows]
    assert rows[0] == ["TT", "Họ và tên / Tên tập thể", "Chức vụ, đơn vị", "Hệ số", "Số tiền (đồng)"]
    lines = [row for row in rows[1:] if row[0].isdigit()]
    expected = [
        [str(i), nominee_name(item.nomination), money(item.amount)]
        for i, item in enumerate(decision.items.order_by("position"), start=1)
    ]
    assert [[row[0], row[1], row[4]] for row in lines] == expected
    assert rows[-1][1] == "Tổng cộng" and rows[-1][4] == money(decision.total) == "2.520.000"
    assert sum(Decimal(row[4].replace(".", "")) for row in lines) == decision.total
    assert any("LAO ĐỘNG TIÊN TIẾN (2 cá nhân)" in row[0] for row in rows)
    assert "(Kèm theo Quyết định số 12/QĐ-CTK ngày 10 tháng 01 năm 2024" in text
    assert "Bằng chữ: Hai triệu năm trăm hai mươi nghìn đồng" in text
    assert doc.core_properties.title == "Quyết định số 12/QĐ-CTK"


def test_a_revoked_line_is_marked_on_the_decision_as_issued(demo: None) -> None:
    decision = _decision()
    item = decision.items.order_by("position").first()
    assert item is not None
    director = builders.person("director")
    services.decision_revoke(nomination=item.nomination, actor=director, reason="Hủy theo kết luận thanh tra")
    doc = Document(io.BytesIO(documents.build_decision_docx(decision)))
    rows = [[cell.text for cell in row.cells] for row in doc.tables[2].rows]
    assert any(row[1] == f"{nominee_name(item.nomination)} (đã hủy bỏ)" for row in rows)
    assert rows[-1][4] == money(decision.total)  # the decision as issued: its total does not change


def test_a_deputys_signature_block_reads_kt_cuc_truong(demo: None) -> None:
    nomination = proposed()
    director = builders.person("director")
    decision = services.decision_issue(
        nominations=[nomination],
        actor=director,
        number="3/QĐ-CTK",
        date=DAY,
        signer=builders.person("deputy"),
    )
    doc = Document(io.BytesIO(documents.build_decision_docx(decision)))
    lines = [line for line in doc.tables[1].cell(0, 1).text.splitlines() if line]
    assert lines == ["KT. CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG", "Lê Thị Thu Hà"]


# --- the upward submission -------------------------------------------------------------------------------
def test_the_submission_document_is_addressed_and_lists_its_nominations(demo: None) -> None:
    session = builders.session()
    batch = [
        proposed(award="BANG_KHEN", nominee="staff-tkth-1", session=session),
        proposed(award="TTLDXS", unit_nominee=True, head="head-tkth", session=session),
    ]
    director = builders.person("director")
    submission = upward_services.upward_submission_create(
        nominations=batch,
        actor=director,
        number="05/TTr-CTK",
        date=datetime.date(2024, 2, 2),
        addressee="ministry",
        signer=director,
    )
    doc = Document(io.BytesIO(documents.build_submission_docx(submission)))
    text = _text(doc)
    assert doc.tables[0].cell(1, 0).text == "Số: 05/TTr-CTK"
    assert doc.tables[0].cell(1, 1).text == "Ninh Thuận, ngày 02 tháng 02 năm 2024"
    assert "TỜ TRÌNH" in text and "Kính gửi: Tổng cục Thống kê." in text
    listing = doc.tables[1]
    names = [row.cells[1].text for row in listing.rows[1:]]
    assert names == [nominee_name(item.nomination) for item in submission.items.order_by("position")]
    assert {row.cells[3].text for row in listing.rows[1:]} == {
        "Bằng khen của Bộ trưởng / Chủ tịch UBND tỉnh",
        "Tập thể lao động xuất sắc",
    }
    assert "Kính trình Tổng cục Thống kê xem xét, quyết định./." in text
    assert doc.tables[2].cell(0, 1).text.strip().splitlines()[-1] == "Trần Minh Quang"
    assert UpwardSubmission.objects.get().number == "05/TTr-CTK"


# --- the report -----------------------------------------------------------------------------------------
def _issued_report() -> tuple[Report, list[Nomination]]:
    session = builders.session()
    director, office = builders.person("director"), builders.person("office1")
    approved = [
        proposed(nominee="staff-tkth-2", session=session),
        proposed(nominee="staff-nhtb-1", session=session, campaign=phase_two()),
    ]
    proposed(nominee="staff-tkkt-3", session=session)  # still waiting: counted, not listed
    declined = proposed(nominee="staff-ttth-1", session=session)
    upward = proposed(award="BANG_KHEN", nominee="staff-tkth-1", session=session)
    services.decision_issue(
        nominations=approved, actor=director, number="40/QĐ-CTK", date=DAY, signer=director
    )
    services.decision_decline(nomination=declined, actor=director, reason="Chưa tiêu biểu")
    upward_services.upward_submission_create(
        nominations=[upward],
        actor=director,
        number="07/TTr-CTK",
        date=DAY,
        addressee="ministry",
        signer=director,
    )
    upward_services.upward_outcome_record(
        nomination=upward,
        actor=office,
        granted=True,
        decision_number='=HYPERLINK("x")',
        decision_date="2024-03-01",
    )
    report = report_services.report_create(
        campaign=builders.annual_campaign(),
        actor=office,
        number="45/BC-CTK",
        date=datetime.date(2024, 3, 15),
        signer=director,
    )
    return report_services.report_issue(report=report, actor=office), [*approved, upward]


def test_the_report_document_counts_and_lists_what_the_database_holds(demo: None) -> None:
    report, carried = _issued_report()
    doc = Document(io.BytesIO(documents.build_report_docx(report)))
    text = _text(doc)
    assert doc.tables[0].cell(1, 0).text == "Số: 45/BC-CTK"
    assert doc.tables[0].cell(1, 1).text == "Ninh Thuận, ngày 15 tháng 3 năm 2024"
    assert "BÁO CÁO" in text and "Kết quả công tác thi đua, khen thưởng năm 2023" in text
    assert "DỰ THẢO" not in text
    for recipient in report.recipient_list:
        assert recipient in text
    by_award = [[c.text for c in row.cells] for row in doc.tables[1].rows]
    assert by_award[0][1:] == [
        "Đề nghị",
        "Được khen thưởng",
        "Không được khen thưởng",
        "Đang xét",
        "Rút, hủy bỏ",
    ]
    assert by_award[-1] == ["Tổng cộng", "5", "3", "1", "1", "0"]
    assert ["Lao động tiên tiến", "4", "2", "1", "1", "0"] in by_award
    by_outcome = {row.cells[0].text: row.cells[1].text for row in doc.tables[3].rows[1:]}
    assert by_outcome == {"Đề nghị khen thưởng": "1", "Không khen thưởng": "1", "Đã báo cáo": "3"}
    listing = [[c.text for c in row.cells] for row in doc.tables[4].rows[1:]]
    expected = {
        (nominee_name(n), n.decision_number or n.outcome_decision_number)
        for n in Nomination.objects.filter(pk__in=[c.pk for c in carried])
    }
    assert {(row[1], row[4]) for row in listing} == expected
    assert ("Hồ Văn Thịnh", "40/QĐ-CTK") not in expected  # heads were not nominated here
    assert "III. KẾT QUẢ XẾP LOẠI ĐƠN VỊ (TỔNG KẾT NĂM)" in text  # the 2023 plan follows targets
    assert doc.tables[5].cell(0, 2).text == "Xếp loại"
    assert doc.tables[-1].cell(0, 1).text.strip().splitlines()[-1] == "Trần Minh Quang"


def test_the_report_workbook_counts_by_award_unit_and_outcome_and_lists_decision_numbers(demo: None) -> None:
    report, carried = _issued_report()
    book = load_workbook(io.BytesIO(documents.build_report_xlsx(report)))
    assert book.sheetnames == ["Tổng hợp", "Danh sách", "Xếp loại đơn vị"]
    summary = list(book["Tổng hợp"].iter_rows(values_only=True))
    flat = [value for row in summary for value in row if value is not None]
    assert "Số: 45/BC-CTK — Ninh Thuận, ngày 15 tháng 3 năm 2024" in flat
    totals = [row[:6] for row in summary if row[0] == "Tổng cộng"]
    assert totals == [("Tổng cộng", 5, 3, 1, 1, 0), ("Tổng cộng", 5, 3, 1, 1, 0)]  # by award, by unit
    assert ("Phòng Thống kê Tổng hợp", 2, 2, 0, 0, 0) in [row[:6] for row in summary]
    assert ("Đã báo cáo", 3) in [row[:2] for row in summary]

    listing = list(book["Danh sách"].iter_rows(values_only=True))
    header_at = next(i for i, row in enumerate(listing) if row[0] == "TT")
    rows = listing[header_at + 1 :]
    assert len(rows) == len(carried) == report.items.count()
    by_name = {row[1]: row for row in rows}
    for nomination in Nomination.objects.filter(pk__in=[c.pk for c in carried]):
        row = by_name[nominee_name(nomination)]
        if nomination.decision_number:
            assert (row[6], row[7]) == ("40/QĐ-CTK", "10/01/2024")
        else:
            # The upper authority's number was typed as a formula: it is stored as text, never run.
            assert row[6] == '\'=HYPERLINK("x")'
            assert row[5] == "Cấp trên" and row[7] == "01/03/2024"


def test_text_that_looks_like_a_formula_is_stored_as_text_in_every_cell(demo: None) -> None:
    report, _carried = _issued_report()
    book = load_workbook(io.BytesIO(documents.build_report_xlsx(report)))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@")), cell.value


def test_a_draft_report_is_marked_and_lists_what_it_would_carry(demo: None) -> None:
    nomination = proposed()
    director, office = builders.person("director"), builders.person("office1")
    services.decision_issue(
        nominations=[nomination], actor=director, number="41/QĐ-CTK", date=DAY, signer=director
    )
    report = report_services.report_create(
        campaign=builders.annual_campaign(), actor=office, number="46/BC-CTK", date=DAY, signer=director
    )
    doc = Document(io.BytesIO(documents.build_report_docx(report)))
    assert doc.paragraphs[0].text == "DỰ THẢO"
    assert [row.cells[4].text for row in doc.tables[4].rows[1:]] == ["41/QĐ-CTK"]
    book = load_workbook(io.BytesIO(documents.build_report_xlsx(report)))
    assert book["Tổng hợp"]["A1"].value == "DỰ THẢO"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_the_pdf_is_made_by_libreoffice_from_the_word_file(demo: None) -> None:
    decision = _decision()
    pdf = documents.docx_to_pdf(documents.build_decision_docx(decision))
    assert pdf.startswith(b"%PDF-")
    assert len(pdf) > 5_000


def test_without_libreoffice_the_pdf_is_refused_cleanly(settings: Any) -> None:
    settings.THIDUA_SOFFICE = "/nonexistent/soffice"
    with pytest.raises(documents.PdfUnavailable):
        documents.docx_to_pdf(b"not a docx")
