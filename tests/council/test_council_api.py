"""The council endpoints of API.md over real HTTP (DRF test client, token authentication)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from docx import Document
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from nominations.models import CouncilSession, Nomination, State
from tests.builders import core as builders
from tests.builders.council import NINE, evaluated, session_with, spread, vote

pytestmark = pytest.mark.django_db


def client_for(username: str) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=builders.person(username))
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def ballot(session: CouncilSession, nomination: Nomination, username: str, choice: str = "yes") -> Any:
    return client_for(username).post(
        f"/api/council-sessions/{session.pk}/ballots/",
        {"nomination": nomination.pk, "choice": choice},
        format="json",
    )


def test_the_secretary_creates_opens_and_closes_a_session_and_results_appear_only_once_closed(
    demo: None,
) -> None:
    item = evaluated()
    secretary = client_for("secretary")
    members = [builders.person(u).pk for u in NINE]
    created = secretary.post(
        "/api/council-sessions/",
        {"name": "Phiên họp cuối năm", "date": "2023-12-20", "members": members},
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["state"] == "planned" and sorted(created.json()["members"]) == sorted(members)
    added = secretary.post(f"/api/council-sessions/{pk}/agenda/", {"nomination": item.pk}, format="json")
    assert added.status_code == 200 and added.json()["agenda"] == [item.pk]
    assert secretary.post(f"/api/council-sessions/{pk}/open/").json()["state"] == "open"
    session = CouncilSession.objects.get(pk=pk)
    for username in NINE[:7]:
        assert ballot(session, item, username).status_code == 201
    detail = client_for("council1").get(f"/api/council-sessions/{pk}/")
    assert detail.status_code == 200 and detail.json()["results"] is None
    closed = secretary.post(f"/api/council-sessions/{pk}/close/")
    assert closed.status_code == 200, closed.json()
    body = closed.json()
    assert body["state"] == "closed"
    assert body["results"][0] == {
        "nomination": item.pk,
        "yes": 7,
        "no": 0,
        "abstain": 0,
        "written": 0,
        "members": 9,
        "outcome": "proposed",
        "over_quota": False,
        "rank": None,
        "decided_by_chair": False,
    }
    assert Nomination.objects.get(pk=item.pk).state == State.PROPOSED


def test_a_ballot_returns_a_receipt_that_the_voter_can_check(demo: None) -> None:
    item = evaluated()
    session = session_with([item])
    response = ballot(session, item, "council3", "abstain")
    assert response.status_code == 201
    receipt = response.json()["receipt"]
    assert set(response.json()) == {"receipt"}
    check = client_for("council3").get(f"/api/council-sessions/{session.pk}/receipts/{receipt}/")
    assert check.status_code == 200 and check.json() == {"counted": True}
    wrong = client_for("council3").get(f"/api/council-sessions/{session.pk}/receipts/AAAA-BBBB-CCCC/")
    assert wrong.status_code == 404 and wrong.json()["counted"] is False


def test_a_ballot_over_http_takes_a_fixed_number_of_queries(
    demo: None, django_assert_num_queries: Any
) -> None:
    item = evaluated()
    session = session_with([item])
    client = client_for("council3")
    path = f"/api/council-sessions/{session.pk}/ballots/"
    # The token with its user (1), the session (1: 404 for none), then the service's 9 + 1
    # (tests/council/test_council_services.py) — the voter's unit is read with their membership, not
    # by the audit event (`request.user` comes without it).
    with django_assert_num_queries(1 + 1 + 9 + 1):
        response = client.post(path, {"nomination": item.pk, "choice": "no"}, format="json")
    assert response.status_code == 201 and set(response.json()) == {"receipt"}


def test_a_non_member_ballot_is_forbidden(demo: None) -> None:
    item = evaluated()
    session = session_with([item], members=NINE[:-1])
    for outsider in ("council7", "office1", "staff-tkth-1"):
        response = ballot(session, item, outsider)
        assert response.status_code == 403, outsider
        assert "detail" in response.json()


def test_a_second_ballot_on_the_same_item_is_a_conflict(demo: None) -> None:
    item = evaluated()
    session = session_with([item])
    assert ballot(session, item, "council1", "yes").status_code == 201
    second = ballot(session, item, "council1", "no")
    assert second.status_code == 409 and "detail" in second.json()


def test_voting_on_a_closed_or_unopened_session_is_a_conflict(demo: None) -> None:
    item = evaluated()
    session = session_with([item], open_=False)
    assert ballot(session, item, "council1").status_code == 409
    client_for("secretary").post(f"/api/council-sessions/{session.pk}/open/")
    vote(session, item, spread(yes=9))
    assert client_for("secretary").post(f"/api/council-sessions/{session.pk}/close/").status_code == 200
    late = ballot(session, item, "council1")
    assert late.status_code == 409


def test_bad_ballot_input_is_a_400_per_field(demo: None) -> None:
    item = evaluated()
    session = session_with([item])
    bad_choice = ballot(session, item, "council1", "perhaps")
    assert bad_choice.status_code == 400 and "choice" in bad_choice.json()
    no_item = client_for("council1").post(
        f"/api/council-sessions/{session.pk}/ballots/", {"nomination": "x", "choice": "yes"}, format="json"
    )
    assert no_item.status_code == 400 and "nomination" in no_item.json()


def test_closing_without_quorum_is_refused_with_409(demo: None) -> None:
    item = evaluated()
    session = session_with([item])
    vote(session, item, spread(yes=5))
    refused = client_for("secretary").post(f"/api/council-sessions/{session.pk}/close/")
    assert refused.status_code == 409 and "5/9" in refused.json()["detail"]
    assert client_for("secretary").get(f"/api/council-sessions/{session.pk}/").json()["state"] == "open"


def test_only_the_secretary_opens_or_closes_and_only_staff_create(demo: None) -> None:
    item = evaluated()
    session = session_with([item], open_=False)
    assert client_for("council1").post(f"/api/council-sessions/{session.pk}/open/").status_code == 403
    assert client_for("director").post(f"/api/council-sessions/{session.pk}/open/").status_code == 403
    created = client_for("council1").post(
        "/api/council-sessions/", {"name": "X", "date": "2023-12-20", "members": [1]}, format="json"
    )
    assert created.status_code == 403
    invalid = client_for("office1").post(
        "/api/council-sessions/", {"name": "X", "date": "hôm nay", "members": []}, format="json"
    )
    assert invalid.status_code == 400 and "date" in invalid.json()


def test_a_session_is_not_found_for_someone_who_neither_sits_on_it_nor_oversees_it(demo: None) -> None:
    session = session_with([evaluated()], members=NINE[:-1])
    assert client_for("council7").get(f"/api/council-sessions/{session.pk}/").status_code == 404
    assert client_for("staff-tkth-1").get(f"/api/council-sessions/{session.pk}/").status_code == 404
    assert client_for("auditor").get(f"/api/council-sessions/{session.pk}/").status_code == 200
    assert APIClient().get(f"/api/council-sessions/{session.pk}/").status_code == 401


def test_written_ballots_and_the_minutes_over_http(demo: None) -> None:
    item = evaluated()
    session = session_with([item])
    secretary = client_for("secretary")
    council2 = builders.person("council2").pk
    entered = secretary.post(
        f"/api/council-sessions/{session.pk}/written-ballots/",
        {"nomination": item.pk, "member": council2, "choice": "no"},
        format="json",
    )
    assert entered.status_code == 201 and "receipt" in entered.json()
    again = secretary.post(
        f"/api/council-sessions/{session.pk}/written-ballots/",
        {"nomination": item.pk, "member": council2, "choice": "yes"},
        format="json",
    )
    assert again.status_code == 409
    forbidden = client_for("council1").post(
        f"/api/council-sessions/{session.pk}/written-ballots/",
        {"nomination": item.pk, "member": council2, "choice": "yes"},
        format="json",
    )
    assert forbidden.status_code == 403
    vote(
        session,
        item,
        spread(yes=6, members=["director", "council1", "council3", "council4", "council5", "council6"]),
    )
    secretary.post(f"/api/council-sessions/{session.pk}/close/")
    minutes = client_for("council1").get(f"/api/council-sessions/{session.pk}/minutes/")
    assert minutes.status_code == 200
    assert minutes["Content-Type"].startswith("application/vnd.openxmlformats")
    text = "\n".join(
        cell.text
        for table in Document(io.BytesIO(minutes.content)).tables
        for row in table.rows
        for cell in row.cells
    )
    assert "Tán thành" in text and str(item.nominee) in text
    assert "gồm 1 phiếu bằng văn bản" in text


def test_the_api_schema_documents_the_council_endpoints(demo: None) -> None:
    schema = client_for("secretary").get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/council-sessions/{id}/ballots/" in paths
    assert "/api/council-sessions/{id}/receipts/{receipt}/" in paths
