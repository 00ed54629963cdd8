from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from nominations.models import AwardRecord, Campaign, Complaint, Delegation, Person, State
from tests.builders import core as builders
from tests.builders import participation as support
from workflow.base.errors import NotPermitted
from workflow.services.decisions import nomination_approve

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _as(person: Person) -> APIClient:
    client = APIClient()
    client.force_authenticate(person)
    return client


def test_any_member_of_staff_reads_the_notice_over_the_api_without_ballots(
    demo: None, people: dict[str, Person]
) -> None:
    nomination = support.proposed_on_notice()
    response = _as(people["staff-nsba-3"]).get("/api/notices/")
    assert response.status_code == 200
    (row,) = response.json()
    assert row["nomination"] == nomination.pk and row["outcome"] == "proposed" and row["award"] == "LDTT"
    assert row["nominee_registered"] is True and row["notice_days"] == 5
    assert not {"yes", "no", "abstain", "tally", "ballots"} & set(row)
    assert APIClient().get("/api/notices/").status_code == 401


def test_a_complaint_over_the_api_holds_the_item_and_bad_requests_get_clear_answers(
    demo: None, people: dict[str, Person]
) -> None:
    nomination = support.proposed_on_notice()
    staff = _as(people["staff-prtc-3"])
    assert (
        staff.post("/api/complaints/", {"nomination": nomination.pk, "text": " "}, format="json").status_code
        == 400
    )
    created = staff.post(
        "/api/complaints/", {"nomination": nomination.pk, "text": "Chưa đúng."}, format="json"
    )
    assert created.status_code == 201 and created.json()["state"] == "open"
    nomination.refresh_from_db()
    assert nomination.state == State.ON_HOLD
    again = staff.post("/api/complaints/", {"nomination": nomination.pk, "text": "Nữa"}, format="json")
    assert again.status_code == 409
    unpublished = builders.to_state(builders.draft(award="LDTT", nominee="staff-tkkt-2"), State.PROPOSED)
    assert (
        staff.post("/api/complaints/", {"nomination": unpublished.pk, "text": "x"}, format="json").status_code
        == 404
    )
    assert (
        staff.post("/api/complaints/", {"nomination": 999999, "text": "x"}, format="json").status_code == 404
    )
    # the office can see the unpublished item: refused in its state, not hidden
    office = _as(people["office1"])
    assert (
        office.post(
            "/api/complaints/", {"nomination": unpublished.pk, "text": "x"}, format="json"
        ).status_code
        == 409
    )


def test_only_the_office_resolves_over_the_api(demo: None, people: dict[str, Person]) -> None:
    nomination = support.proposed_on_notice()
    complainant = _as(people["staff-prtc-3"])
    complaint_id = complainant.post(
        "/api/complaints/", {"nomination": nomination.pk, "text": "Chưa đúng."}, format="json"
    ).json()["id"]
    body = {"upheld": False, "resolution": "Không có cơ sở."}
    assert (
        complainant.post(f"/api/complaints/{complaint_id}/resolve/", body, format="json").status_code == 403
    )
    assert _as(people["staff-tkth-3"]).get(f"/api/complaints/{complaint_id}/").status_code == 404
    office = _as(people["office2"])
    assert (
        office.post(
            f"/api/complaints/{complaint_id}/resolve/", {"upheld": "maybe"}, format="json"
        ).status_code
        == 400
    )
    resolved = office.post(f"/api/complaints/{complaint_id}/resolve/", body, format="json")
    assert resolved.status_code == 200 and resolved.json()["state"] == "dismissed"
    assert office.post(f"/api/complaints/{complaint_id}/resolve/", body, format="json").status_code == 409
    assert Complaint.objects.get().state == Complaint.State.DISMISSED


def test_delegation_over_the_api(demo: None, people: dict[str, Person]) -> None:
    today = timezone.localdate()
    body = {"delegate": "deputy", "starts_at": today.isoformat(), "ends_at": (today + 5 * DAY).isoformat()}
    assert _as(people["deputy"]).post("/api/delegations/", body, format="json").status_code == 403
    director = _as(people["director"])
    assert director.post("/api/delegations/", {**body, "delegate": "office1"}, format="json").json() == {
        "delegate": ["Chỉ ủy quyền cho Phó Cục trưởng."]
    }
    assert director.post("/api/delegations/", {**body, "ends_at": "soon"}, format="json").status_code == 400
    created = director.post("/api/delegations/", body, format="json")
    assert created.status_code == 201 and created.json()["live"] is True
    nomination = builders.to_state(builders.draft(award="LDTT", nominee="staff-tkth-2"), State.PROPOSED)
    deputy = _as(people["deputy"])
    assert [d["id"] for d in deputy.get("/api/delegations/").json()["results"]] == [created.json()["id"]]
    approve = {"decision_number": "20/QĐ-CTK", "decision_date": "2024-01-12"}
    delegation_id = created.json()["id"]
    assert director.post(f"/api/delegations/{delegation_id}/revoke/", {}, format="json").status_code == 200
    assert director.post(f"/api/delegations/{delegation_id}/revoke/", {}, format="json").status_code == 409
    assert Delegation.objects.get().revoked_at is not None
    with pytest.raises(NotPermitted):
        nomination_approve(nomination=nomination, actor=people["deputy"], **approve)


def test_commitments_over_the_api(demo: None, people: dict[str, Person]) -> None:
    campaign = Campaign.objects.get(kind=Campaign.Kind.ANNUAL)
    head = _as(people["head-ttth"])
    staff = people["staff-ttth-1"]
    body = {
        "campaign": campaign.pk,
        "unit_awards": ["TTLDTT"],
        "people": [{"person": staff.pk, "awards": ["LDTT"]}],
    }
    late = head.post("/api/commitments/register/", body, format="json")
    assert late.status_code == 409 and "15/02/2023" in late.json()["detail"]
    campaign.commitment_deadline = timezone.localdate() + DAY
    campaign.save()
    registered = head.post("/api/commitments/register/", body, format="json")
    assert registered.status_code == 200 and {c["award"] for c in registered.json()} == {"TTLDTT", "LDTT"}
    bad = head.post("/api/commitments/register/", {**body, "unit_awards": ["LDTT"]}, format="json")
    assert bad.status_code == 400 and "unit_awards" in bad.json()
    status = _as(people["office1"]).get(f"/api/commitments/status/?campaign={campaign.pk}")
    assert status.status_code == 200
    assert [u["unit"] for u in status.json()["units"] if not u["registered"]] == ["nsba"]
    assert _as(staff).get(f"/api/commitments/status/?campaign={campaign.pk}").status_code == 403
    mine = _as(staff).get(f"/api/commitments/?campaign={campaign.pk}").json()["results"]
    assert [(c["person"], c["award"]) for c in mine] == [(staff.pk, "LDTT")]


def test_award_history_over_the_api(demo: None, people: dict[str, Person]) -> None:
    owner = people["staff-tkth-1"]
    own = _as(owner).get("/api/award-history/")
    assert own.status_code == 200 and {(r["year"], r["award"]) for r in own.json()} >= {
        (2021, "CSTDCS"),
        (2022, "CSTDCS"),
    }
    assert _as(people["staff-tkth-2"]).get(f"/api/award-history/?person={owner.pk}").status_code == 404
    assert _as(people["auditor"]).get(f"/api/award-history/?person={owner.pk}").status_code == 200
    body = {
        "person": people["staff-nptn-2"].pk,
        "award": "LDTT",
        "year": 2019,
        "decision_number": "05/QĐ-CTK",
    }
    assert _as(people["auditor"]).post("/api/award-history/", body, format="json").status_code == 403
    office = _as(people["office1"])
    created = office.post("/api/award-history/", body, format="json")
    assert created.status_code == 201
    record_id = created.json()["id"]
    assert office.post("/api/award-history/", body, format="json").status_code == 400  # the same year again
    patched = office.patch(
        f"/api/award-history/{record_id}/", {"decision_number": "06/QĐ-CTK"}, format="json"
    )
    assert patched.status_code == 200 and patched.json()["decision_number"] == "06/QĐ-CTK"
    assert office.delete(f"/api/award-history/{record_id}/").status_code == 204
    assert not AwardRecord.objects.filter(pk=record_id).exists()
