"""The targets' pages in a real browser (Debian's chromium through Playwright) at a phone's and a desktop's
size: the unit head reports a result, the office confirms it from the matrix and proposes the ratings."""

from __future__ import annotations

import datetime
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from nominations.models import TargetResult, UnitRating
from tests.browser.support import CHROMIUM_ARGS
from tests.targets.support import annual, clear_results, stand_on, target
from workflow.rights import permissions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZES = [(390, 844), (1366, 900)]
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@contextmanager
def chromium_page(width: int, height: int) -> Iterator[Any]:
    """No ORM call inside: Playwright runs an event loop in this thread (see test_participation_browser)."""
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(locale="vi-VN", viewport={"width": width, "height": height}).new_page()
            page.set_default_timeout(15_000)
            page.on("dialog", lambda dialog: dialog.accept())  # the confirmations before irreversible steps
            yield page
        finally:
            browser.close()


def sign_in(page: Any, url: str, username: str) -> None:
    page.goto(f"{url}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo-pass-123")
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{url}/")


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_unit_head_reports_and_the_office_confirms_and_scores(
    live_server: Any,
    transactional_db: None,
    demo: None,
    monkeypatch: pytest.MonkeyPatch,
    width: int,
    height: int,
) -> None:
    permissions._permission_ids.cache_clear()
    clear_results("tkth")
    stand_on(monkeypatch, datetime.date(2023, 4, 4))
    programme = target("chuong-trinh")
    campaign_id = annual().pk
    url = live_server.url

    with chromium_page(width, height) as page:
        sign_in(page, url, "head-tkth")
        page.goto(f"{url}/chi-tieu/?period=2023-Q1")
        card = page.locator(f"#target-{programme.pk}")
        card.locator("input[name$='-value']").fill("100")
        card.locator("textarea").fill("Hoàn thành toàn bộ chương trình quý 1")
        card.get_by_role("button", name="Báo cáo kết quả").click()
        page.wait_for_load_state()
        assert "Đã ghi kết quả" in page.locator(".messages").inner_text()
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        page.goto(f"{url}/chi-tieu/xep-loai-ca-nhan/")
        assert page.evaluate(NO_SIDEWAYS_SCROLL)

    result_id = TargetResult.objects.get(unit__code="tkth", target=programme, period="2023-Q1").pk
    with chromium_page(width, height) as page:
        sign_in(page, url, "office1")
        page.goto(f"{url}/chi-tieu/theo-doi/?campaign={campaign_id}&period=2023-Q1")
        assert "Đạt" in page.locator("#unit-tkth").inner_text()
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        page.locator(f"#unit-tkth a[href$='/chi-tieu/ket-qua/{result_id}/']").click()
        page.wait_for_url(f"**/chi-tieu/ket-qua/{result_id}/")
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        page.get_by_role("button", name="Xác nhận kết quả").click()
        page.wait_for_load_state()
        assert page.locator("#result-state").inner_text() == "Đã xác nhận"
        page.goto(f"{url}/chi-tieu/so-ket/?campaign={campaign_id}&kind=half")
        page.locator("#propose").click()
        page.wait_for_selector("#unit-tkth")
        assert "Đề xuất" in page.locator("#unit-nsba").inner_text()
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        page.locator("#unit-tkkt").get_by_role("button", name="Xác nhận").click()
        page.wait_for_selector("#unit-tkkt .text-bg-success")

    assert TargetResult.objects.get(pk=result_id).state == TargetResult.State.CONFIRMED
    assert UnitRating.objects.get(unit__code="tkkt", review__kind="half").state == UnitRating.State.CONFIRMED
