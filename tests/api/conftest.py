from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

DEMO_PASSWORD = "demo-pass-123"  # the `demo` fixture's loaddemo --password


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def token_for(username: str) -> str:
    """A demo account's API token, obtained the way an integration does: POST /api/auth/token/."""
    response = APIClient().post(
        "/api/auth/token/", {"username": username, "password": DEMO_PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.content
    return str(response.json()["token"])


@pytest.fixture
def api(demo: None) -> Callable[[str], APIClient]:
    """`api("office1")` → a client that authenticates every request with office1's token."""
    clients: dict[str, APIClient] = {}

    def client_for(username: str) -> APIClient:
        if username not in clients:
            client = APIClient()
            client.default_format = "json"
            client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(username)}")
            clients[username] = client
        return clients[username]

    return client_for
