"""Regressions of issue #15: each entry point that answered 500 to odd input, and what it answers now."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests import builders
from tests.api.conftest import token_for

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
