from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from nominations.models import Campaign, DossierFile, Nomination, Person, State
from tests.builders import core as builders
from workflow.models import AuditEvent

pytestmark = pytest.mark.django_db

Api = Callable[[str], APIClient]


def person_id(username: str) -> int:
    return Person.objects.get(username=username).pk


def annual_id() -> int:
    return Campaign.objects.get(kind=Campaign.Kind.ANNUAL).pk


def new_draft(api: Api, **overrides: Any) -> dict[str, Any]:
    body = {
        "campaign": annual_id(),
        "award": "LDTT",
        "nominee_person": person_id("staff-tkth-2"),
        "summary": "Hoàn thành xuất sắc nhiệm vụ năm 2023.",
        "rating": "htxs",
        "initiatives": [],
        **overrides,
    }
    response = api("head-tkth").post("/api/nominations/", body)
    assert response.status_code == 201, response.content
    return dict(response.json())


# --- list -----------------------------------------------------------------------------------------
def test_the_list_shows_a_unit_head_only_their_units_nominations_and_the_office_all(api: Api) -> None:
    own = builders.draft(nominee="staff-tkth-2", files=False)
    other = builders.draft(nominee="staff-tkkt-2", files=False)

    mine = api("head-tkth").get("/api/nominations/").json()
    assert mine["count"] == 1
    assert [row["id"] for row in mine["results"]] == [own.pk]

    office = api("office1").get("/api/nominations/").json()
    assert {row["id"] for row in office["results"]} == {own.pk, other.pk}
    assert set(office) == {"count", "next", "previous", "results"}


def test_people_without_a_grant_see_an_empty_list(api: Api) -> None:
    builders.draft(nominee="staff-tkth-2", files=False)
    for username in ("staff-tkth-1", "council3", "deputy", "admin"):
        assert api(username).get("/api/nominations/").json()["count"] == 0, username


def test_the_list_filters_by_state_campaign_unit_and_award(api: Api) -> None:
    ldtt = builders.draft(nominee="staff-tkth-2")
    builders.to_state(ldtt, State.SUBMITTED)
    giay_khen = builders.draft(award="GIAY_KHEN", nominee="staff-tkkt-2", files=False)
    office = api("office1")

    def ids(query: str) -> set[int]:
        response = office.get(f"/api/nominations/?{query}")
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids("state=submitted") == {ldtt.pk}
    assert ids("state=draft") == {giay_khen.pk}
    assert ids("unit=tkkt") == {giay_khen.pk}
    assert ids(f"unit={ldtt.nominating_unit_id}") == {ldtt.pk}
    assert ids("award=GIAY_KHEN") == {giay_khen.pk}
    assert ids(f"campaign={annual_id()}") == {ldtt.pk, giay_khen.pk}
    assert ids("campaign=999999") == set()


def test_a_bad_filter_value_is_a_400_naming_the_filter(api: Api) -> None:
    for query in ("state=flying", "campaign=abc", "campaign=1.5"):
        response = api("office1").get(f"/api/nominations/?{query}")
        assert response.status_code == 400, query
        assert query.split("=")[0] in response.json(), query


def test_the_number_of_queries_of_the_list_does_not_grow_with_the_page_size(
    api: Api, django_assert_num_queries: Any
) -> None:
    for n in (1, 2, 3):
        for unit in ("tkth", "tkkt"):
            builders.draft(nominee=f"staff-{unit}-{n}", files=n == 1, initiatives=[f"Sáng kiến {n}"])
    office = api("office1")
    office.get("/api/nominations/")  # warm the content-type cache like any running server

    # token, count, the page's ids, its rows, initiatives, files, the caller's grants on the page
    with django_assert_num_queries(7):
        small = office.get("/api/nominations/?page_size=2")
    with django_assert_num_queries(7):
        large = office.get("/api/nominations/?page_size=6")
    assert len(small.json()["results"]) == 2
    assert len(large.json()["results"]) == 6
    assert all(row["available_transitions"] == [] for row in large.json()["results"])


# --- create -----------------------------------------------------------------------------------------
def test_a_unit_head_creates_a_draft_for_their_unit(api: Api) -> None:
    body = new_draft(api, initiatives=["Ứng dụng phần mềm tổng hợp nhanh số liệu"])
    assert body["state"] == "draft"
    assert body["award"] == "LDTT"
    assert body["nominating_unit"] == Person.objects.get(username="head-tkth").unit_id
    assert body["initiatives"] == ["Ứng dụng phần mềm tổng hợp nhanh số liệu"]
    assert body["available_transitions"] == ["submit", "withdraw"]
    assert AuditEvent.objects.filter(nomination_id=body["id"], kind=AuditEvent.Kind.CREATED).count() == 1


def test_someone_who_is_not_a_unit_head_cannot_create_a_nomination(api: Api) -> None:
    body = {
        "campaign": annual_id(),
        "award": "LDTT",
        "nominee_person": person_id("staff-tchc-1"),
        "summary": "Thành tích",
    }
    response = api("office1").post("/api/nominations/", body)
    assert response.status_code == 403
    assert Nomination.objects.count() == 0


def test_bad_input_when_creating_is_a_400_per_field(api: Api) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        ({"award": "NO_SUCH_AWARD"}, "award"),
        ({"campaign": 999999}, "campaign"),
        ({"rating": "superb"}, "rating"),
        ({"summary": ""}, "summary"),
        ({"initiatives": "not a list"}, "initiatives"),
        ({"nominee_person": "staff-tkkt-1"}, "nominee_person"),
        ({"nominee_person": None, "nominee_unit": None}, "nominee_person"),
    ]
    for overrides, field in cases:
        body = {
            "campaign": annual_id(),
            "award": "LDTT",
            "nominee_person": person_id("staff-tkth-2"),
            "summary": "Thành tích",
            **overrides,
        }
        response = api("head-tkth").post("/api/nominations/", body)
        assert response.status_code == 400, (overrides, response.content)
        assert field in response.json(), (overrides, response.json())
    assert not Nomination.objects.exists()


def test_a_unit_head_cannot_nominate_someone_of_another_unit(api: Api) -> None:
    response = api("head-tkth").post(
        "/api/nominations/",
        {
            "campaign": annual_id(),
            "award": "LDTT",
            "nominee_person": person_id("staff-tkkt-1"),
            "summary": "Thành tích",
        },
    )
    assert response.status_code == 400
    assert "nominee_person" in response.json()


# --- detail, visibility --------------------------------------------------------------------------------
def test_another_units_nomination_is_a_404_like_one_that_does_not_exist(api: Api) -> None:
    nomination = builders.draft(nominee="staff-tkkt-2", files=False)
    hidden = api("head-tkth").get(f"/api/nominations/{nomination.pk}/")
    missing = api("head-tkth").get("/api/nominations/999999/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert api("head-tkth").get("/api/nominations/not-a-number/").status_code == 404


def test_the_detail_lists_the_transitions_the_caller_may_run_now(api: Api) -> None:
    nomination = builders.to_state(builders.draft(nominee="staff-tkth-2"), State.SUBMITTED)
    url = f"/api/nominations/{nomination.pk}/"
    assert api("head-tkth").get(url).json()["available_transitions"] == ["withdraw"]
    assert api("office1").get(url).json()["available_transitions"] == [
        "evaluate",
        "hold",
        "mark_ineligible",
        "return",
    ]
    assert api("auditor").get(url).json()["available_transitions"] == []
    assert api("director").get(url).json()["available_transitions"] == []


def test_an_anonymous_caller_gets_a_401(demo: None) -> None:
    response = APIClient().get("/api/nominations/")
    assert response.status_code == 401


# --- edit --------------------------------------------------------------------------------------------
def test_the_unit_head_edits_a_draft(api: Api) -> None:
    draft = new_draft(api)
    response = api("head-tkth").patch(
        f"/api/nominations/{draft['id']}/", {"summary": "Thành tích mới", "rating": "htt"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["summary"] == "Thành tích mới"
    assert response.json()["rating"] == "htt"
    assert AuditEvent.objects.filter(nomination_id=draft["id"], kind=AuditEvent.Kind.EDITED).count() == 1


def test_the_office_sees_a_draft_but_may_not_edit_it(api: Api) -> None:
    draft = new_draft(api)
    response = api("office1").patch(f"/api/nominations/{draft['id']}/", {"summary": "Sửa trái phép"})
    assert response.status_code == 403
    assert Nomination.objects.get(pk=draft["id"]).summary == draft["summary"]


def test_a_submitted_nomination_cannot_be_edited(api: Api) -> None:
    nomination = builders.to_state(builders.draft(nominee="staff-tkth-2"), State.SUBMITTED)
    response = api("head-tkth").patch(f"/api/nominations/{nomination.pk}/", {"summary": "Muộn rồi"})
    assert response.status_code == 409


def test_an_empty_edit_is_a_400_and_put_is_not_offered(api: Api) -> None:
    draft = new_draft(api)
    assert api("head-tkth").patch(f"/api/nominations/{draft['id']}/", {}).status_code == 400
    assert api("head-tkth").put(f"/api/nominations/{draft['id']}/", {"summary": "x"}).status_code == 405


# --- attachments ---------------------------------------------------------------------------------------
def test_the_unit_head_attaches_a_pdf(api: Api) -> None:
    draft = new_draft(api)
    response = api("head-tkth").post(
        f"/api/nominations/{draft['id']}/attachments/",
        {"file": builders.pdf("Tờ trình.pdf"), "kind": "to_trinh"},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "to_trinh"
    assert response.json()["name"] == "Tờ trình.pdf"
    assert DossierFile.objects.filter(nomination_id=draft["id"]).count() == 1


def test_a_file_that_is_not_a_document_is_a_400(api: Api) -> None:
    draft = new_draft(api)
    fake = SimpleUploadedFile("bao-cao.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")
    response = api("head-tkth").post(
        f"/api/nominations/{draft['id']}/attachments/", {"file": fake}, format="multipart"
    )
    assert response.status_code == 400
    assert "file" in response.json()
    assert not DossierFile.objects.exists()


def test_a_file_over_the_size_limit_is_a_400(api: Api, settings: Any) -> None:
    settings.DOSSIER_MAX_BYTES = 2048
    draft = new_draft(api)
    big = SimpleUploadedFile("lon.pdf", builders.PDF_BYTES + b"0" * 4096, "application/pdf")
    response = api("head-tkth").post(
        f"/api/nominations/{draft['id']}/attachments/", {"file": big}, format="multipart"
    )
    assert response.status_code == 400
    assert "file" in response.json()


def test_an_attachment_without_a_file_or_with_a_bad_kind_is_a_400(api: Api) -> None:
    draft = new_draft(api)
    url = f"/api/nominations/{draft['id']}/attachments/"
    head = api("head-tkth")
    assert "file" in head.post(url, {"kind": "to_trinh"}, format="multipart").json()
    bad_kind = head.post(url, {"file": builders.pdf(), "kind": "selfie"}, format="multipart")
    assert bad_kind.status_code == 400
    assert "kind" in bad_kind.json()


def test_nobody_but_the_unit_head_attaches_files(api: Api) -> None:
    draft = new_draft(api)
    url = f"/api/nominations/{draft['id']}/attachments/"
    assert api("office1").post(url, {"file": builders.pdf()}, format="multipart").status_code == 403
    assert api("head-tkkt").post(url, {"file": builders.pdf()}, format="multipart").status_code == 404


# --- transitions -------------------------------------------------------------------------------------
def test_an_unknown_transition_is_a_404(api: Api) -> None:
    draft = new_draft(api)
    response = api("head-tkth").post(f"/api/nominations/{draft['id']}/transitions/teleport/", {})
    assert response.status_code == 404
    assert "detail" in response.json()


def test_a_transition_that_needs_a_reason_without_one_is_a_400_on_comment(api: Api) -> None:
    nomination = builders.to_state(builders.draft(nominee="staff-tkth-2"), State.SUBMITTED)
    response = api("office1").post(f"/api/nominations/{nomination.pk}/transitions/return/", {"comment": " "})
    assert response.status_code == 400
    assert "comment" in response.json()
    nomination.refresh_from_db()
    assert nomination.state == State.SUBMITTED


def test_a_bad_evaluation_is_a_400_per_field(api: Api) -> None:
    nomination = builders.to_state(builders.draft(nominee="staff-tkth-2"), State.SUBMITTED)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"score": "abc", "assessment": "Đạt"}, "score"),
        ({"score": 101, "assessment": "Đạt"}, "score"),
        ({"score": "NaN", "assessment": "Đạt"}, "score"),
        ({"score": 90}, "assessment"),
    ]
    for body, field in cases:
        response = api("office1").post(f"/api/nominations/{nomination.pk}/transitions/evaluate/", body)
        assert response.status_code == 400, (body, response.content)
        assert field in response.json(), body
    nomination.refresh_from_db()
    assert nomination.state == State.SUBMITTED


def test_a_transition_from_the_wrong_state_is_a_409_and_changes_nothing(api: Api) -> None:
    draft = new_draft(api)
    events = AuditEvent.objects.count()
    response = api("head-tkth").post(f"/api/nominations/{draft['id']}/transitions/resubmit/", {})
    assert response.status_code == 409
    assert response.json()["code"] == "wrong_state"
    assert Nomination.objects.get(pk=draft["id"]).state == State.DRAFT
    assert AuditEvent.objects.count() == events


def test_a_submission_missing_its_dossier_is_a_409_citing_the_law(api: Api) -> None:
    draft = new_draft(api)
    response = api("head-tkth").post(f"/api/nominations/{draft['id']}/transitions/submit/", {})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "rule_not_met"
    assert any("Điều 84" in rule["legal_basis"] for rule in body["rules"])


def test_closing_a_vote_by_hand_is_refused_the_tally_decides(api: Api) -> None:
    nomination = builders.to_state(builders.draft(nominee="staff-tkth-2"), State.IN_VOTE)
    url = f"/api/nominations/{nomination.pk}/transitions/close_vote/"
    assert api("secretary").post(url, {"passed": True}).status_code == 409
    assert api("office1").post(url, {"passed": True}).status_code == 403
    nomination.refresh_from_db()
    assert nomination.state == State.IN_VOTE
    assert api("secretary").get(f"/api/nominations/{nomination.pk}/").json()["available_transitions"] == []


def test_a_transition_returns_the_nomination_in_its_new_state(api: Api) -> None:
    nomination = builders.to_state(builders.draft(nominee="staff-tkth-2"), State.SUBMITTED)
    response = api("office1").post(
        f"/api/nominations/{nomination.pk}/transitions/evaluate/",
        {"score": "92.5", "assessment": "Đủ điều kiện", "comment": "Hồ sơ đầy đủ"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "evaluated"
    assert body["score"] == 92.5
    assert body["assessment"] == "Đủ điều kiện"
    assert body["available_transitions"] == ["hold", "propose", "schedule"]


# --- history -------------------------------------------------------------------------------------------
def test_the_history_lists_the_transitions_oldest_first(api: Api) -> None:
    nomination = builders.to_state(builders.draft(nominee="staff-tkth-2"), State.EVALUATED)
    response = api("auditor").get(f"/api/nominations/{nomination.pk}/history/")
    assert response.status_code == 200
    rows = response.json()
    assert [(r["transition"], r["from_state"], r["to_state"]) for r in rows] == [
        ("submit", "draft", "submitted"),
        ("evaluate", "submitted", "evaluated"),
    ]
    assert rows[0]["actor"] == person_id("head-tkth")
    assert set(rows[0]) >= {"transition", "from_state", "to_state", "actor", "at", "comment"}
    assert api("head-tkkt").get(f"/api/nominations/{nomination.pk}/history/").status_code == 404
