"""The results report to the bloc and Sở Nội vụ carries the units' confirmed year ratings (issue #19):
a confirmed one, a corrected one marked with its reason, "chưa xác nhận" for a unit not yet confirmed —
on the page, in the .docx and in the .xlsx."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from nominations.models import Campaign, Report, UnitRating
from tests.builders import core as builders
from tests.targets.support import annual, stand_on
from workflow.services import reports as report_services
from workflow.services import target_reviews as reviews

pytestmark = pytest.mark.django_db

REASON = "Quý 4 đã báo cáo bằng văn bản giấy, được Lãnh đạo Cục chấp thuận"


def confirmed_on(line: Any) -> str:
    """The day a unit's rating was confirmed, as the office's calendar (Asia/Ho_Chi_Minh) reads it."""
    if isinstance(line, str):
        line = UnitRating.objects.get(unit__code=line, state="confirmed")
    rating = line if isinstance(line, UnitRating) else line.rating
    return f"{timezone.localtime(rating.confirmed_at):%d/%m/%Y}"


def _report(campaign: Campaign, number: str = "45/BC-CTK") -> Report:
    return report_services.report_create(
        campaign=campaign,
        actor=builders.person("office1"),
        number=number,
        date=datetime.date(2024, 1, 20),
        signer=builders.person("director"),
        recipients="Sở Nội vụ tỉnh Ninh Thuận\nKhối thi đua",
    )


@pytest.fixture
def rated(demo: None, monkeypatch: pytest.MonkeyPatch) -> Report:
    """The year-end review of the demo's 2023 results: TKXH confirmed as proposed, NS-BA corrected,
    TKTH left unconfirmed."""
    stand_on(monkeypatch, datetime.date(2024, 1, 10))
    office = builders.person("office1")
    review = reviews.review_get_or_create(actor=office, campaign=annual(), kind="year")
    proposed = {r.unit.code: r for r in reviews.review_propose(actor=office, review=review)}
    reviews.unit_rating_confirm(actor=office, unit_rating=proposed["tkxh"])
    reviews.unit_rating_confirm(actor=office, unit_rating=proposed["nsba"], rating="htt", reason=REASON)
    return _report(annual())


def test_the_report_page_shows_confirmed_corrected_and_unconfirmed_units(rated: Report) -> None:
    page = builders.signed_in("office1").get(reverse("decisions:report", args=[rated.pk]))
    assert page.status_code == 200
    lines = {line.unit.code: line for line in page.context["ratings"]}
    assert lines["tkth"].rating is None
    assert (lines["tkxh"].rating.rating, lines["tkxh"].corrected) == ("htt", False)
    assert (lines["nsba"].rating.proposed, lines["nsba"].rating.rating, lines["nsba"].corrected) == (
        "ht",
        "htt",
        True,
    )
    html = page.content.decode()
    section = html[html.index('id="unit-ratings"') :]
    assert "Kết quả xếp loại đơn vị (tổng kết năm)" in html
    tkth = section[section.index('data-unit="tkth"') :]
    assert "chưa xác nhận" in tkth[: tkth.index("</tr>")]
    tkxh = section[section.index('data-unit="tkxh"') :]
    tkxh = tkxh[: tkxh.index("</tr>")]
    assert "Hoàn thành tốt nhiệm vụ" in tkxh and "92,9%" in tkxh and "corrected" not in tkxh
    assert builders.person("office1").get_full_name() in tkxh and confirmed_on(lines["tkxh"]) in tkxh
    nsba = section[section.index('data-unit="nsba"') :]
    nsba = nsba[: nsba.index("</tr>")]
    assert "Đã điều chỉnh" in nsba and "Hoàn thành nhiệm vụ" in nsba and REASON in nsba


def test_the_docx_carries_the_ratings_with_vietnamese_decimals(rated: Report) -> None:
    response = builders.signed_in("office1").get(
        reverse("decisions:report_download", args=[rated.pk, "docx"])
    )
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "III. KẾT QUẢ XẾP LOẠI ĐƠN VỊ (TỔNG KẾT NĂM)" in text
    [table] = [t for t in document.tables if len(t.columns) == 6 and t.rows[0].cells[2].text == "Xếp loại"]
    rows = {row.cells[1].text: [c.text for c in row.cells] for row in table.rows[1:]}
    names = {u: builders.person(f"head-{u}").unit.name for u in ("tkth", "tkxh", "nsba")}
    assert rows[names["tkth"]][2:4] == ["chưa xác nhận", ""]
    assert rows[names["tkxh"]][2:4] == ["Hoàn thành tốt nhiệm vụ", "92,9%"]
    assert rows[names["tkxh"]][4] == f"{builders.person('office1').get_full_name()}, {confirmed_on('tkxh')}"
    assert rows[names["tkxh"]][5] == ""
    assert rows[names["nsba"]][2] == "Hoàn thành tốt nhiệm vụ"
    assert rows[names["nsba"]][5] == f"Điều chỉnh từ “Hoàn thành nhiệm vụ”: {REASON}"
    assert "," in rows[names["nsba"]][3] and "." not in rows[names["nsba"]][3]


def test_the_xlsx_carries_the_ratings_on_their_own_sheet(rated: Report) -> None:
    response = builders.signed_in("office1").get(
        reverse("decisions:report_download", args=[rated.pk, "xlsx"])
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Tổng hợp", "Danh sách", "Xếp loại đơn vị"]
    rows = list(book["Xếp loại đơn vị"].iter_rows(values_only=True))
    header = rows.index(("TT", "Đơn vị", "Xếp loại", "Điểm", "Người xác nhận", "Ngày xác nhận", "Ghi chú"))
    by_unit = {row[1]: row for row in rows[header + 1 :]}
    names = {u: builders.person(f"head-{u}").unit.name for u in ("tkth", "tkxh", "nsba")}
    assert by_unit[names["tkth"]][2] == "chưa xác nhận"
    tkxh = by_unit[names["tkxh"]]
    assert tkxh[2:5] == ("Hoàn thành tốt nhiệm vụ", "92,9%", builders.person("office1").get_full_name())
    assert tkxh[5] == confirmed_on("tkxh")
    assert by_unit[names["nsba"]][6] == f"Điều chỉnh từ “Hoàn thành nhiệm vụ”: {REASON}"


def test_a_campaign_without_targets_or_year_review_reports_no_ratings(demo: None) -> None:
    other = Campaign.objects.exclude(pk=annual().pk).filter(targets__isnull=True).first()
    assert other is not None
    report = _report(other, "46/BC-CTK")
    office = builders.signed_in("office1")
    assert office.get(reverse("decisions:report", args=[report.pk])).context["ratings"] is None
    book = load_workbook(
        io.BytesIO(office.get(reverse("decisions:report_download", args=[report.pk, "xlsx"])).content)
    )
    assert "Xếp loại đơn vị" not in book.sheetnames


def test_the_report_page_and_downloads_cost_a_fixed_number_of_queries(
    rated: Report, django_assert_num_queries: Any
) -> None:
    """Four queries carry the ratings section, however many units are rated."""
    office = builders.signed_in("office1")
    office.get(reverse("decisions:report", args=[rated.pk]))  # warm the content-type cache
    expected = {"page": 12, "docx": 12, "xlsx": 12}
    for confirm_the_rest in (False, True):
        if confirm_the_rest:
            for rating in UnitRating.objects.filter(review__kind="year", state="proposed"):
                reviews.unit_rating_confirm(actor=builders.person("office1"), unit_rating=rating)
        with django_assert_num_queries(expected["page"]):
            office.get(reverse("decisions:report", args=[rated.pk]))
        for fmt in ("docx", "xlsx"):
            with django_assert_num_queries(expected[fmt]):
                office.get(reverse("decisions:report_download", args=[rated.pk, fmt]))


def test_an_issued_report_keeps_the_ratings_as_they_stood_when_it_was_issued(rated: Report) -> None:
    issued = report_services.report_issue(report=rated, actor=builders.person("office1"))
    later = UnitRating.objects.get(review__kind="year", unit__code="tkth")
    reviews.unit_rating_confirm(actor=builders.person("office1"), unit_rating=later)
    draft = _report(annual(), "46/BC-CTK")
    office = builders.signed_in("office1")
    shown = {
        report.pk: {
            line.unit.code: line.rating
            for line in office.get(reverse("decisions:report", args=[report.pk])).context["ratings"]
        }
        for report in (issued, draft)
    }
    assert shown[issued.pk]["tkth"] is None and shown[issued.pk]["tkxh"] is not None
    assert shown[draft.pk]["tkth"] is not None and shown[draft.pk]["tkth"].rating == "htxs"
    rows = list(
        load_workbook(
            io.BytesIO(office.get(reverse("decisions:report_download", args=[issued.pk, "xlsx"])).content)
        )["Xếp loại đơn vị"].iter_rows(values_only=True)
    )
    tkth_name = builders.person("head-tkth").unit.name
    assert [row[2] for row in rows if row[1] == tkth_name] == ["chưa xác nhận"]
