"""Our own error pages, as production serves them (DEBUG=False): Vietnamese, and never a 500 themselves."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import path

from tests.builders import core as builders
from workflow.views import errors

pytestmark = pytest.mark.django_db


def _explode(request: Any) -> Any:
    raise RuntimeError("boom")


urlpatterns = [path("hong/", _explode), path("api/hong/", _explode)]
handler500 = "workflow.views.errors.server_error"


@pytest.fixture
def production(settings: Any) -> None:
    settings.DEBUG = False


def test_a_missing_page_is_our_vietnamese_404(demo: None, production: None) -> None:
    response = builders.signed_in("head-tkth").get("/ho-so/999999999/")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()
    assert response.templates[0].name == "404.html"


def test_a_forbidden_page_is_our_vietnamese_403(demo: None, production: None) -> None:
    response = builders.signed_in("head-tkth").get("/nhat-ky/")
    assert response.status_code == 403
    assert "Không có quyền" in response.content.decode()


def test_a_host_not_allowed_is_a_400_page_not_a_500(demo: None, production: None) -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/", HTTP_HOST="ke-gian.example")
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


def test_a_host_not_allowed_under_api_is_a_json_400(demo: None, production: None) -> None:
    response = Client(raise_request_exception=False).get("/api/units/", HTTP_HOST="ke-gian.example")
    assert response.status_code == 400
    assert response.json()["detail"]


def test_a_server_error_is_our_bare_vietnamese_500(demo: None, production: None, settings: Any) -> None:
    settings.ROOT_URLCONF = __name__
    response = Client(raise_request_exception=False).get("/hong/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Lỗi máy chủ" in page
    assert "static" not in page and "<link" not in page  # nothing that may not be collected


def test_a_server_error_under_api_is_json(demo: None, production: None, settings: Any) -> None:
    settings.ROOT_URLCONF = __name__
    response = Client(raise_request_exception=False).get("/api/hong/")
    assert response.status_code == 500
    assert response.json() == {"detail": errors.detail(500)}


def test_the_500_page_renders_without_a_request() -> None:
    response = errors.server_error(type("R", (), {"path": "/x/"})())  # type: ignore[arg-type]
    assert response.status_code == 500
    assert "Lỗi máy chủ" in response.content.decode()


def test_our_templates_win_over_viewflows(demo: None) -> None:
    from django.template import loader

    for name in ("400.html", "403.html", "404.html", "500.html"):
        origin = loader.get_template(name).origin.name
        assert "/templates/" in origin and "site-packages" not in origin, origin


def test_a_4xx_page_that_cannot_render_falls_back_to_the_bare_page(
    demo: None, production: None, settings: Any
) -> None:
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "OPTIONS": {**settings.TEMPLATES[0]["OPTIONS"]}},
    ]
    settings.TEMPLATES[0]["OPTIONS"]["context_processors"] = [
        *settings.TEMPLATES[0]["OPTIONS"]["context_processors"],
        "tests.robust.test_error_pages._explode",
    ]
    response = Client(raise_request_exception=False).get("/khong-co/")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()


def test_a_csrf_failure_is_a_vietnamese_403_page(demo: None, production: None) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(builders.person("head-tkth"))
    response = client.post("/ho-so/moi/", {})
    assert response.status_code == 403
    assert "CSRF" in response.content.decode() and "tải lại trang" in response.content.decode()
