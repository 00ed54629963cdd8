"""Every approval is a decision (API.md): from the API, the nomination's page, the batch or the decisions
page, an approved nomination sits in a decision (quyết định khen thưởng) with its amount."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from nominations.models import Decision, State
from tests.builders import core as builders
from tests.builders.decisions import proposed
from workflow.models import AuditEvent
from workflow.services.batch import nominations_decide
from workflow.services.decisions import nomination_approve

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def api_as(username: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(builders.person(username))
    return client


def test_approving_over_the_api_issues_a_one_item_decision_with_its_amount(demo: None) -> None:
    nomination = proposed(nominee="staff-tkth-2")
    director = api_as("director")
    before = director.get(f"/api/nominations/{nomination.pk}/")
    assert before.status_code == 200 and before.json()["decision"] is None
    response = director.post(
        f"/api/nominations/{nomination.pk}/transitions/approve/",
        {"decision_number": "31/QĐ-CTK", "decision_date": "2024-01-10", "comment": "Đồng ý"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    decision = Decision.objects.get(number="31/QĐ-CTK", year=2024)
    assert (body["state"], body["decision"], body["decision_number"]) == (
        "approved",
        decision.pk,
        "31/QĐ-CTK",
    )
    assert decision.date == datetime.date(2024, 1, 10) and decision.signer.username == "director"
    (item,) = decision.items.all()
    assert item.nomination_id == nomination.pk and item.amount > 0
    assert director.get(f"/api/nominations/{nomination.pk}/").json()["decision"] == decision.pk
    kinds = list(AuditEvent.objects.filter(data__number="31/QĐ-CTK").values_list("transition", flat=True))
    assert kinds == ["decision_issued"]


def test_a_used_decision_number_over_the_api_is_a_400_and_nothing_changes(demo: None) -> None:
    first, second = proposed(nominee="staff-tkth-2"), proposed(nominee="staff-tkth-3")
    director = api_as("director")
    url = "/api/nominations/{}/transitions/approve/"
    body = {"decision_number": "32/QĐ-CTK", "decision_date": "2024-01-10"}
    assert director.post(url.format(first.pk), body, format="json").status_code == 200
    again = director.post(url.format(second.pk), body, format="json")
    assert again.status_code == 400 and "decision_number" in again.json()
    second.refresh_from_db()
    assert second.state == State.PROPOSED and not hasattr(second, "decision_item")


def test_refusals_keep_the_transitions_order_over_the_api(demo: None) -> None:
    nomination = proposed(nominee="staff-tkth-2")
    url = f"/api/nominations/{nomination.pk}/transitions/approve/"
    body = {"decision_number": "33/QĐ-CTK", "decision_date": "2024-01-10"}
    assert api_as("office1").post(url, body, format="json").status_code == 403
    bad_date = api_as("director").post(url, {**body, "decision_date": "hôm qua"}, format="json")
    assert bad_date.status_code == 400
    approved = builders.in_state("approved", nominee="staff-tkth-3")
    wrong_state = api_as("director").post(
        f"/api/nominations/{approved.pk}/transitions/approve/", body, format="json"
    )
    assert wrong_state.status_code == 409
    assert not Decision.objects.filter(number="33/QĐ-CTK").exists()


def test_approving_on_the_nominations_page_issues_a_decision(demo: None) -> None:
    nomination = proposed(nominee="staff-tkth-2")
    client = builders.signed_in("director")
    response = client.post(
        reverse("nomination_action", args=[nomination.pk, "approve"]),
        {"approve-decision_number": "34/QĐ-CTK", "approve-decision_date": "10/01/2024"},
    )
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.state == State.APPROVED
    assert nomination.decision_item.decision.number == "34/QĐ-CTK"


def test_a_batch_of_approvals_is_one_decision_holding_them_all(demo: None) -> None:
    a, b = proposed(nominee="staff-tkth-2"), proposed(nominee="staff-tkth-3")
    done = nominations_decide(
        nominations=[a, b],
        actor=builders.person("director"),
        action="approve",
        decision_number="35/QĐ-CTK",
        decision_date=datetime.date(2024, 1, 10),
    )
    assert {n.state for n in done} == {State.APPROVED}
    decision = Decision.objects.get(number="35/QĐ-CTK")
    assert sorted(decision.items.values_list("nomination_id", flat=True)) == sorted([a.pk, b.pk])


def test_the_service_approve_is_a_decision_too(demo: None) -> None:
    nomination = proposed(nominee="staff-tkth-2")
    approved = nomination_approve(
        nomination=nomination,
        actor=builders.person("director"),
        decision_number="36/QĐ-CTK",
        decision_date=datetime.date(2024, 1, 10),
    )
    assert approved.state == State.APPROVED and approved.decision_item.decision.number == "36/QĐ-CTK"


def test_the_old_director_page_leads_to_the_decisions_page_which_keeps_the_main_menu(demo: None) -> None:
    proposed(nominee="staff-tkth-2")
    client = builders.signed_in("director")
    old = client.get("/cuc-truong/")
    assert old.status_code == 301 and old["Location"] == reverse("decisions:home")
    page = client.get(reverse("decisions:home")).content.decode()
    assert f'href="{reverse("my_tasks")}"' in page  # the main menu is there
    assert f'href="{reverse("decisions:forwarding")}"' in page  # and the area's own links
    assert "data-confirm=" in page.split('id="issue-form"')[1][:400]  # asked before issuing
