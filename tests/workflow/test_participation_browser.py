"""A real browser (Debian's chromium through Playwright) against the live server."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from nominations.models import Complaint, State
from tests.workflow import participation_support as support
from workflow.models import AuditEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture
def page(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    # Playwright's sync API runs an event loop in this thread; the test's own ORM reads are still sync.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="vi-VN")
            yield context.new_page()
        finally:
            browser.close()


def test_a_member_of_staff_reads_the_public_notice_and_lodges_a_complaint(
    live_server: Any, transactional_db: None, demo: None, page: Any
) -> None:
    nomination = support.proposed_on_notice(nominee="staff-tkth-2")
    page.set_default_timeout(15_000)

    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", "staff-nsba-1")
    page.fill("#id_password", "demo-pass-123")
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/tham-gia/cong-khai/")
    row = page.locator(f"#notice-{nomination.pk}")
    assert nomination.nominee_person.full_name in row.inner_text()
    assert "Lao động tiên tiến" in row.inner_text()
    assert "Đề nghị khen thưởng" in row.inner_text()
    row.get_by_role("link", name="Khiếu nại").click()

    page.wait_for_url(f"**/tham-gia/cong-khai/{nomination.pk}/khieu-nai/")
    page.fill("#id_text", "Thành tích chưa được bình xét công khai tại đơn vị.")
    page.get_by_role("button", name="Gửi khiếu nại").click()
    page.wait_for_url("**/tham-gia/khieu-nai/")
    assert "Đã ghi nhận khiếu nại" in page.locator(".messages").inner_text()

    complaint = Complaint.objects.get()
    assert complaint.lodged_by.username == "staff-nsba-1" and complaint.is_open
    nomination.refresh_from_db()
    assert nomination.state == State.ON_HOLD
    assert AuditEvent.objects.filter(
        nomination=nomination, transition="hold", actor_role="complainant"
    ).exists()

    page.goto(f"{live_server.url}/tham-gia/cong-khai/")
    assert "Đang giải quyết khiếu nại" in page.locator(f"#notice-{nomination.pk}").inner_text()
