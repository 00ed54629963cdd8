from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook
from rest_framework.test import APIClient

from nominations.models import Nomination, State
from tests.builders import core as builders
from tests.builders.decisions import proposed
from workflow.services import transitions as t

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def api(username: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(builders.person(username))
    return client


def test_the_api_issues_a_decision_and_shows_its_amounts_and_total(demo: None) -> None:
    session = builders.session()
    a, b = (
        proposed(nominee="staff-tkth-2", session=session),
        proposed(nominee="staff-tkth-3", session=session),
    )
    director_id = builders.person("director").pk
    body = {"nominations": [a.pk, b.pk], "number": "12/QĐ-CTK", "date": "2024-07-01", "signer": director_id}

    assert APIClient().post("/api/decisions/", body, format="json").status_code == 401
    assert api("office1").post("/api/decisions/", body, format="json").status_code == 403
    response = api("director").post("/api/decisions/", body, format="json")

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["number"] == "12/QĐ-CTK" and data["date"] == "2024-07-01"
    assert data["base_salary"] == 2_340_000
    assert [item["amount"] for item in data["items"]] == [710_000, 710_000]  # 0.3 × 2,340,000 = 702,000 ↑
    assert data["total"] == data["total_in_force"] == 1_420_000
    assert api("director").get(f"/api/decisions/{data['id']}/").json()["total"] == 1_420_000
    assert api("director").get("/api/decisions/").json()["count"] == 1


def test_bad_decision_input_is_a_400_naming_the_field(demo: None) -> None:
    nomination = proposed()
    full = {
        "nominations": [nomination.pk],
        "number": "1/QĐ-CTK",
        "date": "2024-01-10",
        "signer": builders.person("director").pk,
    }
    cases: list[tuple[dict[str, Any], str]] = [
        ({"nominations": []}, "nominations"),
        ({"nominations": "1,2"}, "nominations"),
        ({"date": "10/01/2024"}, "date"),
        ({"number": ""}, "number"),
        ({"signer": 0}, "signer"),
        ({"signer": builders.person("office1").pk}, "signer"),
    ]
    for body, field in cases:
        response = api("director").post("/api/decisions/", {**full, **body}, format="json")
        assert response.status_code == 400, body
        assert field in response.json(), response.json()
    assert Nomination.objects.get(pk=nomination.pk).state == State.PROPOSED


def test_a_decision_whose_nomination_moved_meanwhile_is_a_409_and_changes_nothing(demo: None) -> None:
    session = builders.session()
    a, b = (
        proposed(nominee="staff-tkth-2", session=session),
        proposed(nominee="staff-tkth-3", session=session),
    )
    t.nomination_hold(nomination=b, actor=builders.person("office1"), comment="Khiếu nại")
    body = {
        "nominations": [a.pk, b.pk],
        "number": "12/QĐ-CTK",
        "date": "2024-01-10",
        "signer": builders.person("director").pk,
    }
    response = api("director").post("/api/decisions/", body, format="json")
    assert response.status_code == 409
    assert "detail" in response.json()
    assert Nomination.objects.get(pk=a.pk).state == State.PROPOSED


def test_decline_and_revoke_through_the_api(demo: None) -> None:
    session = builders.session()
    keep, drop = (
        proposed(nominee="staff-tkth-2", session=session),
        proposed(nominee="staff-tkth-3", session=session),
    )
    director = api("director")
    assert (
        director.post(
            "/api/decisions/decline/", {"nomination": drop.pk, "comment": ""}, format="json"
        ).status_code
        == 400
    )
    declined = director.post(
        "/api/decisions/decline/", {"nomination": drop.pk, "comment": "Chưa tiêu biểu"}, format="json"
    )
    assert declined.json() == {"id": drop.pk, "state": "declined"}
    decision = director.post(
        "/api/decisions/",
        {
            "nominations": [keep.pk],
            "number": "3/QĐ-CTK",
            "date": "2024-01-10",
            "signer": builders.person("director").pk,
        },
        format="json",
    ).json()
    url = f"/api/decisions/{decision['id']}/revoke/"
    assert api("office1").post(url, {"nomination": keep.pk, "comment": "x"}, format="json").status_code == 403
    assert director.post(url, {"nomination": drop.pk, "comment": "x"}, format="json").status_code == 404
    revoked = director.post(url, {"nomination": keep.pk, "comment": "Kê khai sai"}, format="json").json()
    assert revoked["items"][0]["revoked"] is True and revoked["items"][0]["state"] == "revoked"
    assert revoked["total"] == 540_000 and revoked["total_in_force"] == 0
    assert director.post(url, {"nomination": keep.pk, "comment": "lần nữa"}, format="json").status_code == 409


def test_the_api_hides_other_units_decisions_and_serves_downloads_to_those_who_see_them(demo: None) -> None:
    session = builders.session()
    theirs = proposed(nominee="staff-tkkt-2", session=session)
    decision = (
        api("director")
        .post(
            "/api/decisions/",
            {
                "nominations": [theirs.pk],
                "number": "4/QĐ-CTK",
                "date": "2024-01-10",
                "signer": builders.person("director").pk,
            },
            format="json",
        )
        .json()
    )
    assert api("head-tkth").get(f"/api/decisions/{decision['id']}/").status_code == 404
    assert api("head-tkth").get(f"/api/decisions/{decision['id']}/download/docx/").status_code == 404
    assert api("head-tkth").get("/api/decisions/").json()["count"] == 0
    download = api("head-tkkt").get(f"/api/decisions/{decision['id']}/download/docx/")
    assert download.status_code == 200
    assert Document(io.BytesIO(download.content)).tables[0].cell(1, 0).text == "Số: 4/QĐ-CTK"


def test_the_api_forwards_upward_and_records_the_outcome(demo: None) -> None:
    nomination = proposed(award="TTLDXS", unit_nominee=True, head="head-tkth")
    director = api("director")
    body = {
        "nominations": [nomination.pk],
        "number": "05/TTr-CTK",
        "date": "2024-01-12",
        "addressee": "ministry",
        "signer": builders.person("director").pk,
    }
    assert (
        director.post("/api/upward-submissions/", {**body, "addressee": "nowhere"}, format="json").status_code
        == 400
    )
    created = director.post("/api/upward-submissions/", body, format="json")
    assert created.status_code == 201
    submission = created.json()
    assert submission["addressee_name"] == "Tổng cục Thống kê"
    assert submission["items"][0]["state"] == "forwarded"
    url = f"/api/upward-submissions/{submission['id']}/outcomes/"
    outcome = {"nomination": nomination.pk, "granted": False, "decision_number": "45/TCTK-TĐKT"}
    assert director.post(url, outcome, format="json").status_code == 403
    recorded = api("office1").post(url, outcome, format="json")
    assert recorded.status_code == 200
    assert recorded.json()["items"][0]["state"] == "not_granted"
    assert recorded.json()["items"][0]["outcome_decision_number"] == "45/TCTK-TĐKT"
    assert api("office1").post(url, outcome, format="json").status_code == 409
    download = api("office1").get(f"/api/upward-submissions/{submission['id']}/download/docx/")
    assert download.status_code == 200


def test_the_api_drafts_issues_and_downloads_a_report(demo: None) -> None:
    nomination = proposed()
    director_id = builders.person("director").pk
    api("director").post(
        "/api/decisions/",
        {"nominations": [nomination.pk], "number": "7/QĐ-CTK", "date": "2024-01-10", "signer": director_id},
        format="json",
    )
    office = api("office1")
    body = {
        "campaign": builders.annual_campaign().pk,
        "number": "45/BC-CTK",
        "date": "2024-01-20",
        "signer": director_id,
        "recipients": ["Sở Nội vụ tỉnh Ninh Thuận", "=cmd|' /C calc'!A0"],
    }
    assert api("director").post("/api/reports/", body, format="json").status_code == 403
    created = office.post("/api/reports/", body, format="json")
    assert created.status_code == 201
    report = created.json()
    assert report["state"] == "draft" and report["nominations"] == []
    detail = office.get(f"/api/reports/{report['id']}/").json()
    assert [line["nomination"] for line in detail["lines"]] == [nomination.pk]
    issued = office.post(f"/api/reports/{report['id']}/issue/")
    assert issued.status_code == 200
    assert issued.json()["state"] == "issued" and issued.json()["nominations"] == [nomination.pk]
    assert issued.json()["counts"]["by_award"][-1] == ["Tổng cộng", 1, 1, 0, 0, 0]
    assert office.post(f"/api/reports/{report['id']}/issue/").status_code == 409
    assert Nomination.objects.get(pk=nomination.pk).state == State.REPORTED

    xlsx = office.get(f"/api/reports/{report['id']}/download/xlsx/")
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content))
    listing = list(book["Danh sách"].iter_rows(values_only=True))
    assert listing[-1][6] == "7/QĐ-CTK"
    assert api("head-tkth").get(f"/api/reports/{report['id']}/").status_code == 404
    assert api("head-tkth").get("/api/reports/").json()["count"] == 0


def test_the_api_schema_documents_the_decisions_endpoints(demo: None) -> None:
    schema = api("office1").get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in (
        "/api/decisions/",
        "/api/decisions/{id}/revoke/",
        "/api/decisions/{id}/download/{fmt}/",
        "/api/upward-submissions/{id}/outcomes/",
        "/api/reports/{id}/issue/",
        "/api/reports/{id}/download/{fmt}/",
    ):
        assert path in paths, path
