"""Whole lives of nominations driven over HTTP only, with the demo accounts and their API tokens."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.builders import core as builders
from workflow.audit import log as audit

pytestmark = pytest.mark.django_db

Api = Callable[[str], APIClient]


def find(client: APIClient, path: str, **match: Any) -> dict[str, Any]:
    """The one row of a reference list (read over HTTP, as an integration would) matching `match`."""
    rows = [row for row in client.get(path).json() if all(row[k] == v for k, v in match.items())]
    assert len(rows) == 1, (path, match, rows)
    return dict(rows[0])


def propose_over_http(
    api: Api, *, award: str, nominee: str, kinds: list[str], initiatives: list[str] | None = None
) -> dict[str, Any]:
    head = api("head-tkth")
    campaign = find(head, "/api/campaigns/", kind="annual")
    person = find(head, "/api/people/?unit=tkth", username=nominee)
    created = head.post(
        "/api/nominations/",
        {
            "campaign": campaign["id"],
            "award": award,
            "nominee_person": person["id"],
            "summary": "Hoàn thành xuất sắc nhiệm vụ năm 2023; chủ trì tổng hợp báo cáo kinh tế - xã hội.",
            "rating": "htxs",
            "initiatives": initiatives or [],
        },
    )
    assert created.status_code == 201, created.content
    nomination = dict(created.json())
    for kind in kinds:
        uploaded = head.post(
            f"/api/nominations/{nomination['id']}/attachments/",
            {"file": builders.pdf(f"{kind}.pdf"), "kind": kind},
            format="multipart",
        )
        assert uploaded.status_code == 201, uploaded.content
    return nomination


def run(api: Api, username: str, nomination_id: int, name: str, **fields: Any) -> dict[str, Any]:
    response = api(username).post(f"/api/nominations/{nomination_id}/transitions/{name}/", fields)
    assert response.status_code == 200, (username, name, response.content)
    return dict(response.json())


DOSSIER = ["to_trinh", "bao_cao", "bien_ban"]
# The council of the demo data: the Director (chair), the secretary and council1 … council7.
COUNCIL = ["director", "secretary", *[f"council{i}" for i in range(1, 8)]]


def council_session_over_http(api: Api) -> dict[str, Any]:
    """The secretary creates a session of the whole council, its members read from the people list."""
    secretary = api("secretary")
    members = secretary.get("/api/people/?role=council_member").json()
    assert sorted(m["username"] for m in members) == sorted(COUNCIL)
    created = secretary.post(
        "/api/council-sessions/",
        {
            "name": "Phiên họp xét khen thưởng năm 2023",
            "date": "2023-12-20",
            "members": [m["id"] for m in members],
        },
    )
    assert created.status_code == 201, created.content
    session = dict(created.json())
    assert session["state"] == "planned" and len(session["members"]) == 9
    return session


def session_post(api: Api, username: str, session: dict[str, Any], path: str, **data: Any) -> Any:
    return api(username).post(f"/api/council-sessions/{session['id']}/{path}", data)


def cast(api: Api, session: dict[str, Any], nomination_id: int, choices: dict[str, str]) -> dict[str, str]:
    """Each named member casts their secret ballot with their own token; returns their receipts."""
    receipts = {}
    for username, choice in choices.items():
        response = session_post(api, username, session, "ballots/", nomination=nomination_id, choice=choice)
        assert response.status_code == 201, (username, response.content)
        receipts[username] = response.json()["receipt"]
    return receipts


def test_a_cstdcs_nomination_goes_over_http_from_draft_to_the_council_vote(api: Api) -> None:
    ldtt = propose_over_http(api, award="LDTT", nominee="staff-tkth-1", kinds=DOSSIER)
    cstdcs = propose_over_http(
        api,
        award="CSTDCS",
        nominee="staff-tkth-1",
        kinds=[*DOSSIER, "minh_chung"],
        initiatives=["Ứng dụng phần mềm tổng hợp nhanh số liệu điều tra doanh nghiệp"],
    )
    for nomination in (ldtt, cstdcs):
        assert run(api, "head-tkth", nomination["id"], "submit")["state"] == "submitted"
        evaluated = run(
            api, "office1", nomination["id"], "evaluate", score=96, assessment="Đủ điều kiện", comment="Đạt"
        )
        assert evaluated["state"] == "evaluated"
        assert evaluated["score"] == 96

    council = council_session_over_http(api)
    for nomination in (ldtt, cstdcs):
        in_vote = run(api, "secretary", nomination["id"], "schedule", session=council["id"])
        assert in_vote["state"] == "in_vote"
        assert in_vote["council_session"] == council["id"]
        # Nobody closes a vote by hand: closing the session tallies the ballots.
        assert in_vote["available_transitions"] == []

    history = api("head-tkth").get(f"/api/nominations/{cstdcs['id']}/history/").json()
    assert [(row["transition"], row["to_state"]) for row in history] == [
        ("submit", "submitted"),
        ("evaluate", "evaluated"),
        ("schedule", "in_vote"),
    ]


def test_a_cstdcs_nomination_passes_the_council_vote_and_the_director_approves_it_over_http(api: Api) -> None:
    ldtt = propose_over_http(api, award="LDTT", nominee="staff-tkth-1", kinds=DOSSIER)
    cstdcs = propose_over_http(
        api,
        award="CSTDCS",
        nominee="staff-tkth-1",
        kinds=[*DOSSIER, "minh_chung"],
        initiatives=["Ứng dụng phần mềm tổng hợp nhanh số liệu điều tra doanh nghiệp"],
    )
    for nomination in (ldtt, cstdcs):
        run(api, "head-tkth", nomination["id"], "submit")
        run(api, "office1", nomination["id"], "evaluate", score=95, assessment="Đủ điều kiện")

    council = council_session_over_http(api)
    for nomination in (ldtt, cstdcs):
        assert (
            run(api, "secretary", nomination["id"], "schedule", session=council["id"])["state"] == "in_vote"
        )
    # Nobody votes before the secretary opens the session.
    early = session_post(api, "council1", council, "ballots/", nomination=cstdcs["id"], choice="yes")
    assert early.status_code == 409
    opened = session_post(api, "secretary", council, "open/")
    assert opened.status_code == 200 and opened.json()["state"] == "open"
    assert sorted(opened.json()["agenda"]) == sorted([ldtt["id"], cstdcs["id"]])

    # CSTĐCS: 8 of the 9 members vote yes (≥ 80% of all members); the ninth votes no.
    receipts = cast(api, council, cstdcs["id"], {**dict.fromkeys(COUNCIL[:8], "yes"), COUNCIL[8]: "no"})
    # The LĐTT passes by a simple majority of those voting.
    cast(
        api,
        council,
        ldtt["id"],
        {**dict.fromkeys(COUNCIL[:6], "yes"), "council5": "no", "council6": "abstain"},
    )
    again = session_post(api, "council1", council, "ballots/", nomination=cstdcs["id"], choice="no")
    assert again.status_code == 409  # one ballot per member and item, never changed
    outsider = session_post(api, "office1", council, "ballots/", nomination=cstdcs["id"], choice="yes")
    assert outsider.status_code == 403
    check = api("council2").get(f"/api/council-sessions/{council['id']}/receipts/{receipts['council2']}/")
    assert check.status_code == 200 and check.json() == {"counted": True}
    # While the session is open nobody — not even the secretary — sees a count.
    assert api("secretary").get(f"/api/council-sessions/{council['id']}/").json()["results"] is None

    closed = session_post(api, "secretary", council, "close/", comment="Kiểm phiếu xong")
    assert closed.status_code == 200, closed.content
    assert closed.json()["state"] == "closed"
    results = {r["nomination"]: r for r in closed.json()["results"]}
    assert (results[cstdcs["id"]]["yes"], results[cstdcs["id"]]["no"], results[cstdcs["id"]]["abstain"]) == (
        8,
        1,
        0,
    )
    assert results[cstdcs["id"]]["outcome"] == "proposed"
    assert (results[ldtt["id"]]["yes"], results[ldtt["id"]]["no"], results[ldtt["id"]]["abstain"]) == (
        6,
        1,
        1,
    )
    assert results[ldtt["id"]]["outcome"] == "proposed"

    director = api("director")
    proposed = director.get(f"/api/nominations/{cstdcs['id']}/").json()
    assert proposed["state"] == "proposed"
    assert proposed["available_transitions"] == ["approve", "decline", "forward"]
    # The CSTĐCS cannot be approved before the same year's LĐTT it depends on.
    too_early = director.post(
        f"/api/nominations/{cstdcs['id']}/transitions/approve/",
        {"decision_number": "25/QĐ-CTK", "decision_date": "2024-01-10"},
    )
    assert too_early.status_code == 409, too_early.content
    assert too_early.json()["code"] == "rule_not_met"
    approved_ldtt = run(
        api, "director", ldtt["id"], "approve", decision_number="24/QĐ-CTK", decision_date="2024-01-10"
    )
    assert approved_ldtt["state"] == "approved"
    approved = run(
        api, "director", cstdcs["id"], "approve", decision_number="25/QĐ-CTK", decision_date="2024-01-10",
        comment="Đạt 8/9 phiếu tán thành",
    )  # fmt: skip
    assert approved["state"] == "approved"
    assert approved["decision_number"] == "25/QĐ-CTK"
    assert approved["decision_date"] == "2024-01-10"
    assert run(api, "office1", cstdcs["id"], "report", comment="Báo cáo Khối thi đua")["state"] == "reported"

    history = api("head-tkth").get(f"/api/nominations/{cstdcs['id']}/history/")
    assert history.status_code == 200
    rows = history.json()
    assert [(r["transition"], r["from_state"], r["to_state"], r["actor_role"]) for r in rows] == [
        ("submit", "draft", "submitted", "unit_head"),
        ("evaluate", "submitted", "evaluated", "office_staff"),
        ("schedule", "evaluated", "in_vote", "council_secretary"),
        ("close_vote", "in_vote", "proposed", "council_secretary"),
        ("approve", "proposed", "approved", "director"),
        ("report", "approved", "reported", "office_staff"),
    ]
    assert rows[-2]["comment"] == "Đạt 8/9 phiếu tán thành"
    assert [r["at"] for r in rows] == sorted(r["at"] for r in rows)
    # The history of a nomination is its transitions: no ballot, and nothing about who chose what.
    assert not any(r["transition"] == "ballot_cast" for r in rows)
    assert audit.verify().ok


def test_a_forwarded_bang_khen_goes_over_http_to_granted_and_reported_then_reads_its_history(
    api: Api,
) -> None:
    # staff-tkth-1 was CSTĐCS in 2021 and 2022 (demo award history): eligible for a Bằng khen in 2023.
    nomination = propose_over_http(api, award="BANG_KHEN", nominee="staff-tkth-1", kinds=DOSSIER)
    nid = nomination["id"]
    assert nomination["available_transitions"] == ["submit", "withdraw"]

    assert run(api, "head-tkth", nid, "submit", comment="Kính trình")["state"] == "submitted"
    assert (
        run(api, "office1", nid, "evaluate", score="88.5", assessment="Đủ 2 năm CSTĐCS")["state"]
        == "evaluated"
    )
    council = council_session_over_http(api)
    assert run(api, "secretary", nid, "schedule", session=council["id"])["state"] == "in_vote"
    assert session_post(api, "secretary", council, "open/").status_code == 200
    # A Bằng khen needs a simple-majority council vote.
    cast(api, council, nid, {**dict.fromkeys(COUNCIL[:7], "yes"), "council6": "no", "council7": "abstain"})
    closed = session_post(api, "secretary", council, "close/")
    assert closed.status_code == 200, closed.content
    [result] = closed.json()["results"]
    assert (result["nomination"], result["yes"], result["no"], result["abstain"]) == (nid, 7, 1, 1)
    assert result["outcome"] == "proposed"

    director = api("director")
    proposed = director.get(f"/api/nominations/{nid}/").json()
    assert proposed["state"] == "proposed"
    assert proposed["available_transitions"] == ["approve", "decline", "forward"]
    # A Bằng khen is beyond the Director's authority: approving it is refused, citing the law.
    refused = director.post(
        f"/api/nominations/{nid}/transitions/approve/",
        {"decision_number": "01/QĐ-CTK", "decision_date": "2024-01-10"},
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "rule_not_met"

    forwarded = run(api, "director", nid, "forward", submission_number="15/TTr-CTK", comment="Trình Bộ")
    assert forwarded["state"] == "forwarded"
    assert forwarded["submission_number"] == "15/TTr-CTK"

    granted = run(api, "office1", nid, "record_outcome", granted=True, decision_number="1234/QĐ-BKHĐT")
    assert granted["state"] == "granted"
    assert granted["outcome_decision_number"] == "1234/QĐ-BKHĐT"

    reported = run(api, "office1", nid, "report", comment="Báo cáo Khối thi đua")
    assert reported["state"] == "reported"

    history = api("head-tkth").get(f"/api/nominations/{nid}/history/")
    assert history.status_code == 200
    rows = history.json()
    assert [(r["transition"], r["from_state"], r["to_state"], r["actor_role"]) for r in rows] == [
        ("submit", "draft", "submitted", "unit_head"),
        ("evaluate", "submitted", "evaluated", "office_staff"),
        ("schedule", "evaluated", "in_vote", "council_secretary"),
        ("close_vote", "in_vote", "proposed", "council_secretary"),
        ("forward", "proposed", "forwarded", "director"),
        ("record_outcome", "forwarded", "granted", "office_staff"),
        ("report", "granted", "reported", "office_staff"),
    ]
    assert rows[0]["comment"] == "Kính trình"
    assert [r["at"] for r in rows] == sorted(r["at"] for r in rows)
    assert audit.verify().ok
