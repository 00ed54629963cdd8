from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

COMMITTED = Path(settings.BASE_DIR) / "docs" / "openapi.yaml"
REGENERATE = "DEBUG=true .venv/bin/python manage.py spectacular --lang vi --validate --fail-on-warn --file docs/openapi.yaml"


def test_the_committed_schema_is_the_one_the_code_generates(tmp_path: Path) -> None:
    generated = tmp_path / "openapi.yaml"
    # --fail-on-warn: a view the generator cannot describe fails here, not in an integrator's client.
    call_command(
        "spectacular",
        "--lang",
        "vi",
        "--validate",
        "--fail-on-warn",
        "--file",
        str(generated),
        stderr=io.StringIO(),
    )
    assert generated.read_text() == COMMITTED.read_text(), f"docs/openapi.yaml is stale: run `{REGENERATE}`"


def test_the_schema_documents_every_endpoint_of_the_contract(demo: None) -> None:
    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = set(response.json()["paths"])
    assert paths >= {
        "/api/auth/token/",
        "/api/units/",
        "/api/people/",
        "/api/campaigns/",
        "/api/awards/",
        "/api/nominations/",
        "/api/nominations/{id}/",
        "/api/nominations/{id}/attachments/",
        "/api/nominations/{id}/transitions/{name}/",
        "/api/nominations/{id}/history/",
        "/api/audit/",
    }


def test_the_docs_page_loads_its_assets_from_our_own_static_files(demo: None) -> None:
    response = APIClient().get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"https?://", html), "the docs page must load nothing from another host (no CDN)"
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert {Path(asset).name for asset in assets} >= {"swagger-ui.css", "swagger-ui-bundle.js"}, assets
    static_url = "/" + settings.STATIC_URL.lstrip("/")
    for asset in assets:
        if asset == "/api/docs/?script=":
            # The page's start-up script is served by the same view (no inline script: the CSP forbids it).
            script = APIClient().get(asset)
            assert script.status_code == 200 and b"SwaggerUIBundle" in script.content
            continue
        assert asset.startswith(static_url), asset
        # drf-spectacular-sidecar ships the files; collectstatic puts them beside ours.
        assert finders.find(asset.removeprefix(static_url)), asset
