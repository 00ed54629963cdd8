from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["office1\x00", "office1\x1b", "of\x7ffice1"])
def test_a_control_character_in_the_login_is_a_field_error(demo: None, name: str) -> None:
    response = Client().post("/dang-nhap/", {"username": name, "password": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors["username"]


def test_a_control_character_in_the_token_login_is_a_json_field_error(demo: None) -> None:
    response = APIClient().post("/api/auth/token/", {"username": "a\x00", "password": "x"}, format="json")
    assert response.status_code == 400
    assert "ký tự điều khiển" in response.json()["username"][0]
