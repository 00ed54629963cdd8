"""A real browser (Debian's chromium through Playwright) against the live server."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from nominations.models import Complaint, State
from tests.browser.support import CHROMIUM_ARGS
from tests.builders import participation as support
from workflow.models import AuditEvent
from workflow.rights import permissions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@contextmanager
def chromium_page() -> Iterator[Any]:
    """A page of a fresh browser. No ORM call inside: Playwright runs an event loop in this thread, and
    Django would open a second, never-closed connection in that context."""
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(locale="vi-VN").new_page()
            page.set_default_timeout(15_000)
            yield page
        finally:
            browser.close()


def test_a_member_of_staff_reads_the_public_notice_and_lodges_a_complaint(
    live_server: Any, transactional_db: None, demo: None
) -> None:
    # A transactional test re-creates the permission rows (new ids on PostgreSQL): forget cached ids.
    permissions._permission_ids.cache_clear()
    nomination = support.proposed_on_notice(nominee="staff-tkth-2")
    nominee = nomination.nominee_person.full_name
    url = live_server.url

    with chromium_page() as page:
        page.goto(f"{url}/dang-nhap/")
        page.fill("#id_username", "staff-nsba-1")
        page.fill("#id_password", "demo-pass-123")
        page.click("form.form button[type=submit]")
        page.wait_for_url(f"{url}/")

        page.goto(f"{url}/tham-gia/cong-khai/")
        row = page.locator(f"#notice-{nomination.pk}")
        assert nominee in row.inner_text()
        assert "Lao động tiên tiến" in row.inner_text()
        assert "Đề nghị khen thưởng" in row.inner_text()
        row.get_by_role("link", name="Khiếu nại").click()

        page.wait_for_url(f"**/tham-gia/cong-khai/{nomination.pk}/khieu-nai/")
        page.fill("#id_text", "Thành tích chưa được bình xét công khai tại đơn vị.")
        page.get_by_role("button", name="Gửi khiếu nại").click()
        page.wait_for_url("**/tham-gia/khieu-nai/")
        assert "Đã ghi nhận khiếu nại" in page.locator(".messages").inner_text()

        page.goto(f"{url}/tham-gia/cong-khai/")
        assert "Đang giải quyết khiếu nại" in page.locator(f"#notice-{nomination.pk}").inner_text()

    complaint = Complaint.objects.get()
    assert complaint.lodged_by.username == "staff-nsba-1" and complaint.is_open
    nomination.refresh_from_db()
    assert nomination.state == State.ON_HOLD
    assert AuditEvent.objects.filter(
        nomination=nomination, transition="hold", data__authority="complaint"
    ).exists()
