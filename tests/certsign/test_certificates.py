"""Certificates: a PDF per recipient from each award's layout, pre-printed paper, the public verification."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client

from nominations.models import Certificate, CertificateLayout, CertificatePrintSettings, Nomination, State
from nominations.models.certificates import validate_lines
from tests.builders import core as builders
from tests.builders.decisions import proposed
from tests.certsign.support import api, body, issued_decision, pdf_pages, pdf_text, pdf_words, qr_payloads
from workflow.services import certificates as services
from workflow.services import decisions as decision_services

pytestmark = pytest.mark.django_db

EXPECTED = {
    "LDTT": ("Lao động tiên tiến", "GIẤY CHỨNG NHẬN"),
    "CSTDCS": ("Chiến sĩ thi đua cơ sở", "GIẤY CHỨNG NHẬN"),
    "TTLDTT": ("Tập thể Lao động tiên tiến", "GIẤY CHỨNG NHẬN"),
    "GIAY_KHEN": ("Tặng", "GIẤY KHEN"),
}


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_each_award_kind_prints_its_recipient_award_decision_and_a_qr_of_its_verification(
    demo: None, tmp_path: Path
) -> None:
    decision = issued_decision()
    office = api("office1")
    for item in decision.items.select_related("nomination__award", "nomination__nominee_person"):
        nomination = item.nomination
        detail = office.get(f"/api/nominations/{nomination.pk}/").json()
        link = detail["certificate"]
        code = Certificate.objects.get(nomination=nomination).code
        assert link["verification_url"].endswith(f"/giay-khen/xac-minh/{code}/")
        assert link["url"].endswith(f"/api/nominations/{nomination.pk}/certificate/")

        response = office.get(link["url"].replace(settings.SITE_URL, ""))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        content = body(response)
        text = _flat(pdf_text(content))
        award_phrase, title = EXPECTED[nomination.award.code]
        assert title in text and award_phrase in text
        nominee = (
            nomination.nominee_person.full_name if nomination.nominee_person else nomination.nominee_unit.name
        )
        assert nominee in text
        assert "Quyết định số 20/QĐ-CTK ngày 10/01/2024" in text
        assert "Trần Minh Quang" in text  # the signer of the decision
        assert qr_payloads(content, tmp_path) == [link["verification_url"]]


def test_a_decisions_recipients_print_in_one_pdf_a_page_each(demo: None) -> None:
    decision = issued_decision(number="21/QĐ-CTK")
    response = api("office1").get(f"/api/decisions/{decision.pk}/certificates/")
    assert response.status_code == 200
    content = body(response)
    assert pdf_pages(content) == 4
    text = _flat(pdf_text(content))
    for nomination in Nomination.objects.filter(decision_item__decision=decision):
        nominee = (
            nomination.nominee_person.full_name if nomination.nominee_person else nomination.nominee_unit.name
        )
        assert nominee in text

    page = builders.signed_in("office1").get(f"/giay-khen/quyet-dinh/{decision.pk}/giay-khen.pdf")
    assert page.status_code == 200 and pdf_pages(body(page)) == 4


def test_pre_printed_paper_gets_only_the_variable_fields_moved_by_the_saved_offsets(demo: None) -> None:
    decision = issued_decision(number="22/QĐ-CTK")
    nomination = decision.items.get(nomination__award__code="LDTT").nomination
    name = nomination.nominee_person.full_name.split()[0]
    blank = services.certificate_pdf(nomination=nomination)
    services.print_settings_save(actor=builders.person("office1"), offset_x_mm="10", offset_y_mm="-5,5")
    preprinted = services.certificate_pdf(nomination=nomination, preprinted=True)

    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in pdf_text(blank)
    assert "CỘNG HÒA" not in pdf_text(preprinted) and "GIẤY CHỨNG NHẬN" not in pdf_text(preprinted)
    before = next((x, y) for x, y, w in pdf_words(blank) if w == name)
    after = next((x, y) for x, y, w in pdf_words(preprinted) if w == name)
    points_per_mm = 72 / 25.4
    assert after[0] - before[0] == pytest.approx(10 * points_per_mm, abs=0.2)
    assert after[1] - before[1] == pytest.approx(-5.5 * points_per_mm, abs=0.2)
    assert CertificatePrintSettings.current().offset_y_mm == Decimal("-5.5")


def test_the_calibration_is_saved_once_by_the_office_and_prints_a_test_sheet(demo: None) -> None:
    office = builders.signed_in("office1")
    assert office.get("/giay-khen/can-chinh/").status_code == 200
    refused = office.post("/giay-khen/can-chinh/", {"offset_x_mm": "abc", "offset_y_mm": "0"})
    assert refused.status_code == 400 and "milimét" in refused.content.decode()
    saved = office.post("/giay-khen/can-chinh/", {"offset_x_mm": "2,5", "offset_y_mm": "-1"})
    assert saved.status_code == 302
    assert CertificatePrintSettings.current().offset_x_mm == Decimal("2.5")
    sheet = office.get("/giay-khen/can-chinh/mau.pdf")
    assert sheet.status_code == 200
    text = pdf_text(body(sheet))
    assert "dịch ngang +2.5 mm, dịch dọc -1.0 mm" in text and "{nominee}" in text
    assert builders.signed_in("head-tkth").get("/giay-khen/can-chinh/").status_code == 403


def test_the_verification_answers_anyone_and_shows_revoked_once_the_award_is_annulled(demo: None) -> None:
    decision = issued_decision(number="23/QĐ-CTK")
    nomination = decision.items.get(nomination__award__code="GIAY_KHEN").nomination
    code = services.certificate_of(nomination).code
    public = Client()

    answer = public.get(f"/giay-khen/xac-minh/{code}/", HTTP_ACCEPT="application/json")
    assert answer.status_code == 200
    assert answer.json() == {
        "nominee": nomination.nominee_person.full_name,
        "award": "Giấy khen của Cục trưởng",
        "decision_number": "23/QĐ-CTK",
        "decision_date": "2024-01-10",
        "issuer": "Cục trưởng Cục Thống kê tỉnh Ninh Thuận",
        "status": "valid",
    }
    page = public.get(f"/giay-khen/xac-minh/{code}/")
    assert page.status_code == 200 and "Giấy khen hợp lệ" in page.content.decode()

    decision_services.decision_revoke(
        nomination=nomination, actor=builders.person("director"), reason="Phát hiện kê khai không đúng"
    )
    assert public.get(f"/giay-khen/xac-minh/{code}/", HTTP_ACCEPT="application/json").json()["status"] == (
        "revoked"
    )
    assert "KHÔNG còn hiệu lực" in public.get(f"/giay-khen/xac-minh/{code}/").content.decode()
    assert api("office1").get(f"/api/nominations/{nomination.pk}/").json()["certificate"] is None
    refused = api("office1").get(f"/api/nominations/{nomination.pk}/certificate/")
    assert refused.status_code == 409 and "detail" in refused.json()


def test_a_wrong_or_guessed_code_is_404(demo: None) -> None:
    decision = issued_decision(number="24/QĐ-CTK")
    real = Certificate.objects.filter(nomination__decision_item__decision=decision).first()
    assert real is not None and real.code != str(real.nomination_id) and len(real.code) >= 22
    public = Client()
    for guess in (
        str(real.nomination_id),
        real.code[:-1] + ("A" if real.code[-1] != "A" else "B"),
        "x" * 200,
    ):
        assert public.get(f"/giay-khen/xac-minh/{guess}/", HTTP_ACCEPT="application/json").status_code == 404
        assert public.get(f"/giay-khen/xac-minh/{guess}/").status_code == 404


def test_a_certificate_of_a_nomination_not_in_force_is_409(demo: None) -> None:
    waiting = proposed(nominee="staff-tkkt-1")
    assert api("office1").get(f"/api/nominations/{waiting.pk}/").json()["certificate"] is None
    refused = api("office1").get(f"/api/nominations/{waiting.pk}/certificate/")
    assert refused.status_code == 409 and refused.json()["detail"]
    page = builders.signed_in("office1").get(f"/giay-khen/ho-so/{waiting.pk}/giay-khen.pdf")
    assert page.status_code == 409 and "không cấp giấy" in page.content.decode()
    assert not Certificate.objects.filter(nomination=waiting).exists()


def test_who_may_download_a_certificate_is_who_may_see_the_nomination(demo: None) -> None:
    decision = issued_decision(number="25/QĐ-CTK")
    nomination = decision.items.get(nomination__award__code="LDTT").nomination  # of unit tkth
    assert api("head-tkth").get(f"/api/nominations/{nomination.pk}/certificate/").status_code == 200
    assert api("head-tkkt").get(f"/api/nominations/{nomination.pk}/certificate/").status_code == 404
    assert api(None).get(f"/api/nominations/{nomination.pk}/certificate/").status_code in (401, 403)
    assert (
        builders.signed_in("head-tkkt").get(f"/giay-khen/ho-so/{nomination.pk}/giay-khen.pdf").status_code
        == 404
    )


def test_the_administrator_edits_a_layout_and_the_certificate_follows_it(demo: None) -> None:
    decision = issued_decision(number="26/QĐ-CTK")
    nomination = decision.items.get(nomination__award__code="GIAY_KHEN").nomination
    layout = CertificateLayout.objects.get(award__code="GIAY_KHEN")
    layout.lines = [*layout.lines, {"text": "Hạng đặc biệt — {year}", "x_mm": 148.5, "y_mm": 140, "size": 12}]
    services.certificate_layout_save(layout=layout, actor=builders.person("admin"), changed_fields=["lines"])
    assert "Hạng đặc biệt — 2023" in pdf_text(services.certificate_pdf(nomination=nomination))


@pytest.mark.parametrize(
    "lines",
    [
        [],
        [{"text": "x"}],
        [{"text": "{unknown}", "x_mm": 1, "y_mm": 1}],
        [{"text": "a", "x_mm": 999, "y_mm": 1}],
    ],
)
def test_a_bad_layout_is_refused_with_a_message(lines: Any) -> None:
    with pytest.raises(ValidationError):
        validate_lines(lines)


def test_the_list_carries_certificates_without_a_query_per_row(
    demo: None, django_assert_max_num_queries: Any
) -> None:
    issued_decision(number="27/QĐ-CTK")
    office = api("office1")
    office.get("/api/nominations/?state=approved")  # warm caches (content types, permissions)
    with django_assert_max_num_queries(12):
        rows = office.get("/api/nominations/?state=approved").json()["results"]
    assert len(rows) == 4 and all(row["certificate"] for row in rows)
    assert rows[0]["state"] == State.APPROVED
