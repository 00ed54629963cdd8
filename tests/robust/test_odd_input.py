"""Regressions of issue #15: each entry point that answered 500 to odd input, and what it answers now."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from tests.api.conftest import token_for
from tests.builders import core as builders

pytestmark = pytest.mark.django_db

# Digits str.isdigit() accepts but int() refuses, Arabic-Indic digits int() accepts, 64-bit overflows.
SUPERSCRIPT = "²"
ARABIC_INDIC = "١٢"
BEYOND_64_BITS = str(2**63)
HUGE = "9" * 30


def api(username: str) -> APIClient:
    client = APIClient()
    client.raise_request_exception = False
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(username)}")
    return client


def page(username: str) -> Client:
    client = builders.signed_in(username)
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("value", [SUPERSCRIPT, ARABIC_INDIC, BEYOND_64_BITS, HUGE, "-1", "0", "1.5"])
@pytest.mark.parametrize(
    "url",
    [
        "/api/nominations/?unit={v}",
        "/api/nominations/?award={v}",
        "/api/nominations/?campaign={v}",
        "/api/people/?unit={v}",
        "/api/audit/?nomination={v}",
        "/api/audit/?actor={v}",
        "/api/commitments/?campaign={v}",
        "/api/commitments/status/?campaign={v}",
        "/api/award-history/?person={v}",
    ],
)
def test_an_odd_number_in_an_api_query_string_is_a_json_400_or_an_empty_list(
    demo: None, url: str, value: str
) -> None:
    response = api("office1").get(url.format(v=value))
    assert response.status_code in (200, 400), response.content
    assert response["Content-Type"] == "application/json"
    if response.status_code == 200 and "status" not in url and "award-history" not in url:
        body = response.json()
        assert (body["results"] if isinstance(body, dict) else body) == []


@pytest.mark.parametrize("value", [SUPERSCRIPT, ARABIC_INDIC, BEYOND_64_BITS, HUGE, "0"])
@pytest.mark.parametrize(
    "url",
    [
        "/ho-so/?q={v}",
        "/ho-so/?campaign={v}",
        "/ho-so/?nominating_unit={v}",
        "/ho-so/?award={v}",
        "/theo-doi/?q={v}",
        "/theo-doi/?campaign={v}",
        "/nhat-ky/?nomination={v}",
    ],
)
def test_an_odd_number_in_a_page_filter_is_a_page_not_a_500(demo: None, url: str, value: str) -> None:
    response = page("office1").get(url.format(v=value))
    assert response.status_code == 200


@pytest.mark.parametrize("value", [HUGE, BEYOND_64_BITS, "0"])
@pytest.mark.parametrize("path", ["/api/nominations/{v}/", "/api/council-sessions/{v}/", "/api/units/{v}/"])
def test_an_id_out_of_range_in_an_api_path_is_a_vietnamese_json_404(
    demo: None, path: str, value: str
) -> None:
    response = api("office1").get(path.format(v=value))
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy, hoặc bạn không được xem."}


@pytest.mark.parametrize("value", [2**64, 2**63, -1, "²", "١٢", 1.5, True])
def test_an_odd_id_in_a_json_body_is_a_field_error(demo: None, value: Any) -> None:
    response = api("head-tkth").post(
        "/api/complaints/", {"nomination": value, "text": "Khiếu nại"}, format="json"
    )
    assert response.status_code == 400, response.content
    assert "nomination" in response.json()


def test_deeply_nested_json_is_a_400_with_a_message(demo: None) -> None:
    for path in ["/api/nominations/", "/api/decisions/", "/api/council-sessions/", "/api/complaints/"]:
        body = "[" * 5000 + "]" * 5000
        response = api("office1").post(path, data=body, content_type="application/json")
        assert response.status_code == 400, (path, response.content)
        assert "lồng quá sâu" in response.json()["detail"]


def test_nesting_within_the_limit_is_parsed(demo: None) -> None:
    nested: Any = "x"
    for _ in range(20):
        nested = {"a": nested}
    body = json.dumps({"nomination": 1, "text": "a", "extra": nested, "brackets": "[[[[[[[[[[" * 10})
    response = api("head-tkth").post("/api/complaints/", data=body, content_type="application/json")
    assert response.status_code in (201, 404, 409)


def test_a_json_body_over_the_limit_is_a_json_413(demo: None, settings: Any) -> None:
    body = json.dumps({"summary": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)})
    response = api("head-tkth").post("/api/nominations/", data=body, content_type="application/json")
    assert response.status_code == 413
    assert "quá lớn" in response.json()["detail"]


def test_an_upload_over_the_limit_is_a_413_page(demo: None, settings: Any) -> None:
    nomination = builders.draft(files=False)
    settings.DOSSIER_MAX_BYTES = 1024
    settings.REQUEST_BODY_MAX_BYTES = 4096
    upload = builders.pdf()
    upload.file.write(b"0" * 8192)
    upload.file.seek(0)
    response = page("head-tkth").post(f"/ho-so/{nomination.pk}/tai-lieu/", {"file": upload, "kind": "other"})
    assert response.status_code == 413
    assert "Dữ liệu quá lớn" in response.content.decode()


def test_an_upload_over_the_limit_through_the_api_is_a_json_413(demo: None, settings: Any) -> None:
    nomination = builders.draft(files=False)
    settings.REQUEST_BODY_MAX_BYTES = 4096
    upload = builders.pdf()
    upload.file.write(b"0" * 8192)
    upload.file.seek(0)
    response = api("head-tkth").post(
        f"/api/nominations/{nomination.pk}/attachments/", {"file": upload}, format="multipart"
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"


def test_too_many_form_fields_is_a_400_page_not_a_500(demo: None, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    response = page("head-tkth").post("/ho-so/moi/", {f"f{n}": "x" for n in range(20)})
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85"])
def test_a_control_character_in_a_json_text_field_is_a_field_error(demo: None, char: str) -> None:
    response = api("head-tkth").post(
        "/api/complaints/", {"nomination": 1, "text": f"Khiếu{char}nại"}, format="json"
    )
    assert response.status_code == 400, response.content
    assert "ký tự điều khiển" in response.json()["text"][0]


def test_a_control_character_in_a_form_is_a_field_error_and_line_breaks_are_kept(demo: None) -> None:
    client = page("head-tkth")
    form = builders.creation_form(summary="Dòng 1\r\n\tDòng 2\x00")
    response = client.post("/ho-so/moi/", form)
    assert response.status_code == 400  # the page's answer to an invalid form
    assert response.context["form"].errors["summary"] == ["Có ký tự điều khiển không được phép (mã U+0000)."]
    form = builders.creation_form(summary="Dòng 1\r\n\tDòng 2")
    assert client.post("/ho-so/moi/", form).status_code == 302


@pytest.mark.parametrize(
    "url", ["/ho-so/?q=a%00b", "/nhat-ky/?actor=a%00b", "/tham-gia/qua-trinh-khen-thuong/?q=%00"]
)
def test_nul_in_a_page_filter_is_not_a_500(demo: None, url: str) -> None:
    assert page("office1").get(url).status_code == 200


def test_nul_in_an_api_filter_is_not_a_500(demo: None) -> None:
    assert api("office1").get("/api/commitments/?unit=a%00b").status_code == 400


def test_nul_in_a_council_receipt_is_not_a_500(demo: None) -> None:
    session = builders.session()
    assert page("secretary").get(f"/hoi-dong/{session.pk}/?receipt=%00").status_code == 200


def test_an_unknown_api_route_is_a_vietnamese_json_404(demo: None) -> None:
    response = Client().get("/api/khong-co/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy, hoặc bạn không được xem."}


def test_a_wrong_method_on_the_api_is_json(demo: None) -> None:
    response = api("office1").delete("/api/units/")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"


def test_a_decision_for_another_units_nomination_reads_like_a_missing_one(demo: None) -> None:
    other = builders.draft(nominee="staff-tkkt-1")
    body = {"number": "1/QĐ", "date": "2026-01-05", "signer": builders.person("director").pk}
    client = api("head-tkth")
    hidden = client.post("/api/decisions/", {**body, "nominations": [other.pk]}, format="json")
    missing = client.post("/api/decisions/", {**body, "nominations": [2**62]}, format="json")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_a_submission_for_another_units_nomination_reads_like_a_missing_one(demo: None) -> None:
    other = builders.draft(nominee="staff-tkkt-1")
    body = {
        "number": "1/TTr",
        "date": "2026-01-05",
        "signer": builders.person("director").pk,
        "addressee": "province",
    }
    client = api("head-tkth")
    hidden = client.post("/api/upward-submissions/", {**body, "nominations": [other.pk]}, format="json")
    missing = client.post("/api/upward-submissions/", {**body, "nominations": [2**62]}, format="json")
    assert hidden.status_code == missing.status_code == 404


@pytest.mark.parametrize("value", [BEYOND_64_BITS, HUGE, SUPERSCRIPT, ARABIC_INDIC])
def test_an_odd_member_id_in_the_session_form_is_a_field_error(demo: None, value: str) -> None:
    response = page("secretary").post(
        "/hoi-dong/lap-phien-hop/", {"name": "Phiên 1", "date": "2026-01-05", "members": [value]}
    )
    assert response.status_code in (200, 400)
    assert response.context["form"].errors["members"]


# --- the targets and the council member's pages (merged beside #15, swept after it) -----------------------
def _annual_target(code: str = "chuong-trinh") -> Any:
    from tests.targets.support import target

    return target(code)


@pytest.mark.parametrize("value", [SUPERSCRIPT, ARABIC_INDIC, BEYOND_64_BITS, HUGE, "-1"])
def test_an_odd_target_id_on_the_report_page_is_a_404_not_a_500(demo: None, value: str) -> None:
    t = _annual_target()
    response = page("head-tkth").post(
        "/chi-tieu/bao-cao/", {"campaign": t.campaign_id, "target": value, "period": "2023-Q1"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("value", [SUPERSCRIPT, ARABIC_INDIC, BEYOND_64_BITS, HUGE])
@pytest.mark.parametrize("path", ["/chi-tieu/", "/chi-tieu/theo-doi/", "/chi-tieu/so-ket/"])
def test_an_odd_campaign_id_on_a_target_page_is_the_404_of_a_missing_one(
    demo: None, path: str, value: str
) -> None:
    username = "head-tkth" if path == "/chi-tieu/" else "office1"
    assert page(username).get(path, {"campaign": value}).status_code == 404


@pytest.mark.parametrize("period", ["٢٠٢٣-Q1", "0000-Y", "2023-Y\n2024-Y", "2023-Q1\x00", "²023-Y"])
def test_an_odd_period_is_a_message_on_the_page_and_a_400_from_the_api(demo: None, period: str) -> None:
    t = _annual_target()
    form = {"campaign": t.campaign_id, "target": t.pk, "period": period, f"t{t.pk}-value": "90"}
    response = page("head-tkth").post("/chi-tieu/bao-cao/", form)
    assert response.status_code == 302 and "\n" not in response["Location"]
    body = {"target": t.pk, "period": period, "value": "90"}
    answer = api("head-tkth").post("/api/target-results/", body, format="json")
    assert answer.status_code == 400 and "period" in answer.json(), answer.content


@pytest.mark.parametrize("value", [2**64, "²", "١٢", True, 1.5])
def test_an_odd_id_in_a_target_or_review_body_is_a_field_error(demo: None, value: Any) -> None:
    report = api("head-tkth").post(
        "/api/target-results/", {"target": value, "period": "2023-Q1"}, format="json"
    )
    assert report.status_code == 400 and "target" in report.json(), report.content
    review = api("office1").post("/api/reviews/", {"campaign": value, "kind": "year"}, format="json")
    assert review.status_code == 400 and "campaign" in review.json(), review.content


@pytest.mark.parametrize("path", ["/api/target-results/{v}/", "/api/targets/{v}/", "/api/unit-ratings/{v}/"])
def test_a_non_ascii_id_in_a_target_api_path_names_nothing(demo: None, path: str) -> None:
    from nominations.models import TargetResult

    first = TargetResult.objects.filter(unit__code="tkth").order_by("pk").first()
    assert first is not None
    arabic = "".join(chr(0x0660 + int(d)) for d in str(first.pk))  # int() reads it as first.pk
    for value in (arabic, SUPERSCRIPT, BEYOND_64_BITS):
        response = api("office1").get(path.format(v=value))
        assert response.status_code == 404 and response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    "query", ["unit=a%00b", "period=2023-Q1%00", "campaign=%C2%B2", "target=99999999999999999999"]
)
def test_odd_target_result_filters_are_a_json_400(demo: None, query: str) -> None:
    response = api("office1").get(f"/api/target-results/?{query}")
    assert response.status_code == 400 and response["Content-Type"] == "application/json"


def test_nul_in_a_reason_or_a_comment_is_a_message_not_a_500(demo: None) -> None:
    from nominations.models import TargetResult, UnitRating

    result = TargetResult.objects.filter(unit__code="tkth", state=TargetResult.State.REPORTED).first()
    assert result is not None
    office = page("office1")
    refused = office.post(f"/chi-tieu/ket-qua/{result.pk}/return/", {"reason": "sai\x00số"}, follow=True)
    assert refused.status_code == 200 and "U+0000" in refused.text
    assert TargetResult.objects.get(pk=result.pk).state == TargetResult.State.REPORTED
    answer = api("office1").post(
        f"/api/target-results/{result.pk}/return/", {"reason": "a\x00"}, format="json"
    )
    assert answer.status_code == 400 and "reason" in answer.json()
    rating = UnitRating.objects.first()
    if rating is not None:
        confirm = office.post(f"/chi-tieu/so-ket/xep-loai/{rating.pk}/", {"rating": "\x00", "reason": "\x00"})
        assert confirm.status_code == 302


@pytest.mark.parametrize("year", ["1e400", "²⁰²³", "٢٠٢٣", "2023.5", "99999999999999999999", "inf", "nan"])
def test_an_odd_year_in_a_ratings_sheet_is_a_row_error(demo: None, year: str) -> None:
    import io

    from openpyxl import Workbook

    from workflow.services.ratings_import import COLUMNS

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(COLUMNS))
    sheet.append(["staff-tkth-1", "", year, "HTT"])
    sheet.append(["staff-tkth-2", "", 2023.0, "HTT"])  # Excel's number: a year
    out = io.BytesIO()
    book.save(out)
    upload = SimpleUploadedFile("xl.xlsx", out.getvalue())
    response = api("head-tkth").post("/api/rating-imports/preview/", {"file": upload}, format="multipart")
    assert response.status_code == 200, response.content
    rows = {row["row"]: row["errors"] for row in response.json()["rows"]}
    assert set(rows) == {2} and set(rows[2]) == {COLUMNS[2]}


@pytest.mark.parametrize("value", ["a\x00b", "\x00"])
def test_nul_in_the_ratings_import_unit_is_not_a_500(demo: None, value: str) -> None:
    assert page("office1").get("/chi-tieu/xep-loai-ca-nhan/", {"unit": value}).status_code == 200
    assert page("head-tkth").get("/chi-tieu/xep-loai-ca-nhan/", {"unit": value, "year": "²"}).status_code in (
        200,
        403,
    )


@pytest.mark.parametrize("value", [SUPERSCRIPT, ARABIC_INDIC, BEYOND_64_BITS, HUGE])
def test_an_odd_item_in_a_members_choices_is_ignored_not_a_500(demo: None, value: str) -> None:
    from tests.builders.council import evaluated, session_with

    session = session_with([evaluated()])
    member = page("council2")
    review = member.post(f"/hoi-dong/{session.pk}/phieu-cua-toi/xem-lai/", {f"choice-{value}": "yes"})
    assert review.status_code == 302  # "choose at least one": nothing chosen
    cast = member.post(f"/hoi-dong/{session.pk}/bo-phieu/", {f"choice-{value}": "yes"})
    assert cast.status_code == 302 and cast["Location"].endswith("/phieu-cua-toi/")
    single = member.post(f"/hoi-dong/{session.pk}/bo-phieu/", {"nomination": value, "choice": "yes"})
    assert single.status_code == 302


@pytest.mark.parametrize("value", [SUPERSCRIPT, ARABIC_INDIC, BEYOND_64_BITS, HUGE])
def test_an_odd_member_id_in_the_attendance_form_is_a_message(demo: None, value: str) -> None:
    from nominations.models import Attendance

    session = builders.session()
    response = page("secretary").post(f"/hoi-dong/{session.pk}/diem-danh/", {f"mode-{value}": "present"})
    assert response.status_code in (200, 302)
    assert not Attendance.objects.filter(session=session).exists()


def test_a_non_member_sees_none_of_a_sessions_ballot_pages(demo: None) -> None:
    session = builders.session(members=["director", "secretary", "council1"])
    outsider = page("council7")
    for path in ("phieu-cua-toi/", "bien-nhan/"):
        assert outsider.get(f"/hoi-dong/{session.pk}/{path}").status_code == 404
    assert outsider.post(f"/hoi-dong/{session.pk}/phieu-cua-toi/xem-lai/", {}).status_code == 404
    assert page("council1").get(f"/hoi-dong/{2**62}/phieu-cua-toi/").status_code == 404
