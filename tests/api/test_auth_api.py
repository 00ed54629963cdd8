from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from nominations.models import Campaign, Person
from tests.api.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_a_token_is_given_for_good_credentials_and_refused_for_bad_ones(demo: None) -> None:
    client = APIClient()
    good = client.post("/api/auth/token/", {"username": "office1", "password": DEMO_PASSWORD}, format="json")
    assert good.status_code == 200
    token = good.json()["token"]
    bad = client.post("/api/auth/token/", {"username": "office1", "password": "wrong"}, format="json")
    assert bad.status_code == 400
    assert client.post("/api/auth/token/", {}, format="json").status_code == 400

    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/units/").status_code == 200
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get("/api/units/").status_code == 401


def test_a_browser_session_works_and_its_writes_need_the_csrf_token(demo: None) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.get("/dang-nhap/")
    logged_in = browser.post(
        "/dang-nhap/",
        {
            "username": "head-tkth",
            "password": DEMO_PASSWORD,
            "csrfmiddlewaretoken": browser.cookies["csrftoken"].value,
        },
    )
    assert logged_in.status_code == 302
    assert browser.get("/api/nominations/").status_code == 200

    body = {
        "campaign": Campaign.objects.get(kind=Campaign.Kind.ANNUAL).pk,
        "award": "LDTT",
        "nominee_person": Person.objects.get(username="staff-tkth-2").pk,
        "summary": "Thành tích",
    }
    without = browser.post("/api/nominations/", body, content_type="application/json")
    assert without.status_code == 403
    assert "CSRF" in without.json()["detail"]

    created = browser.post(
        "/api/nominations/",
        body,
        content_type="application/json",
        headers={"X-CSRFToken": browser.cookies["csrftoken"].value},
    )
    assert created.status_code == 201, created.content
