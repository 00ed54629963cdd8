"""The refusal pages speak Vietnamese and keep the layout: a 404 for what one may not see, a 403 for a page
of another role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.builders import core as builders

pytestmark = pytest.mark.django_db


def test_another_units_nomination_is_a_vietnamese_not_found_page(demo: None) -> None:
    nomination = builders.draft(award="LDTT", nominee="staff-tkth-2", files=False)
    response = builders.signed_in("head-tkkt").get(reverse("nomination_detail", args=[nomination.pk]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "Không tìm thấy" in page and "bạn không được xem" in page
    assert 'href="/ho-so/"' in page  # the navigation is there: a way on


def test_a_page_of_another_role_is_a_vietnamese_forbidden_page(demo: None) -> None:
    response = builders.signed_in("head-tkth").get(reverse("audit_log"))
    assert response.status_code == 403
    assert "Không có quyền" in response.content.decode()
