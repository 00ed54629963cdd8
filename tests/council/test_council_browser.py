"""A member votes in a real browser (Debian chromium via Playwright) and checks their receipt."""

from __future__ import annotations

import re
import shutil
from typing import Any

import pytest

from nominations.models import BallotParticipation
from tests.builders.council import evaluated, forget_cached_ids, session_with

CHROMIUM = shutil.which("chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _fresh_ids() -> None:
    forget_cached_ids()


def test_a_member_votes_in_the_browser_gets_a_receipt_and_checks_it(demo: None, live_server: Any) -> None:
    from playwright.sync_api import sync_playwright

    item = evaluated()
    session = session_with([item])
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto(f"{live_server.url}/dang-nhap/")
            page.fill("#id_username", "council4")
            page.fill("#id_password", "demo-pass-123")
            page.click("main button[type=submit]")
            # The ballot is chosen on the member's cards, reviewed, then cast (tests/council/ has the rest).
            page.goto(f"{live_server.url}/hoi-dong/{session.pk}/phieu-cua-toi/")
            page.check(f"#c{item.pk}-abstain")
            page.click("#vote-submit button[type=submit]")  # the bar that reviews every chosen card
            page.click("#confirm-form button[type=submit]")
            message = page.locator(".messages li.success").inner_text()
            receipt = re.search(r"Mã biên nhận: ([A-Z0-9-]+)", message)
            assert receipt is not None
            page.goto(f"{live_server.url}/hoi-dong/{session.pk}/phieu-cua-toi/")
            assert page.locator("fieldset.choices").count() == 0  # voted: no second choice offered
            page.goto(f"{live_server.url}/hoi-dong/{session.pk}/")
            page.fill("#receipt-code", receipt.group(1))
            page.click("#receipt button")
            assert "đã vào hòm phiếu" in page.locator("#receipt").inner_text()
        finally:
            browser.close()
    assert BallotParticipation.objects.filter(member__username="council4", nomination=item).count() == 1
