"""The minutes (biên bản họp Hội đồng) in the Decree 30/2020 layout, on the page and in the Word file."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from docx import Document

from tests.builders import core as builders
from tests.builders.council import close, cstdcs, session_with, spread, vote

pytestmark = pytest.mark.django_db


def _all_text(doc: Document) -> str:
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join([*[p.text for p in doc.paragraphs], *cells])


def test_the_minutes_carry_header_number_motto_attendance_tally_outcome_and_signatures(demo: None) -> None:
    item = cstdcs()
    session = session_with([item])
    vote(session, item, spread(yes=8, no=1))
    session = close(session)
    client = Client()
    client.force_login(builders.person("council1"))
    page = client.get(f"/hoi-dong/{session.pk}/").text
    for text in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG",
        f"{session.pk:02d}/BB-HĐTĐKT",
        "88,9%",
        "THƯ KÝ",
        "CHỦ TỊCH HỘI ĐỒNG",
    ):
        assert text in page, text
    assert "88.9" not in page

    response = client.get(f"/hoi-dong/{session.pk}/bien-ban.docx")
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    text = _all_text(doc)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG",
        f"Số: {session.pk:02d}/BB-HĐTĐKT",
        "Ninh Thuận, ngày 20 tháng 12 năm 2023",
        "BIÊN BẢN",
        "II. Thành phần tham dự",
        "Tổng số thành viên: 9",
        "88,9% tổng số thành viên",
        "Hội đồng đề nghị khen thưởng:",
        str(item.nominee),
        "THƯ KÝ",
        "CHỦ TỊCH HỘI ĐỒNG",
    ):
        assert expected in text, expected
    motto = [
        run
        for table in doc.tables
        for row in table.rows
        for cell in row.cells
        for p in cell.paragraphs
        for run in p.runs
        if run.text == "Độc lập - Tự do - Hạnh phúc"
    ]
    assert motto and motto[0].underline and motto[0].bold
    assert "88.9" not in text
