"""The statistics page in Debian chromium at 360 px: no sideways scroll of the page, the form's table
scrolls in its own box, and the .xlsx download works from the page."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import Browser

from tests.browser.test_roles_in_browser import PASSWORD, _sync_orm_beside_playwright, browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["_sync_orm_beside_playwright", "browser"]  # the fixtures of the role tests, reused


def test_the_office_reads_a_form_at_360_px_and_downloads_its_xlsx(
    browser: Browser, live_server: Any, transactional_db: Any, tmp_path: Path
) -> None:
    call_command("loaddemo", "--password", PASSWORD, stdout=io.StringIO())
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="vi-VN", accept_downloads=True
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", "office1")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/thong-ke/")
    page.select_option("select[name=form]", "0602")
    page.fill("input[name=year]", "2023")
    page.click("#statistics-form button[type=submit]")
    page.wait_for_load_state()
    assert "0602.N/BNV-TĐKT" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    box = page.locator(".table-responsive")
    assert box.evaluate("e => e.scrollWidth > e.clientWidth"), "the wide table scrolls inside its box"
    button = page.locator("a", has_text=".xlsx").bounding_box()
    assert button is not None and button["height"] >= 24
    with page.expect_download() as info:
        page.click("a:has-text('.xlsx')")
    path = tmp_path / "bieu.xlsx"
    info.value.save_as(path)
    sheet = load_workbook(path).active
    assert sheet is not None and sheet["A1"].value == "Biểu số: 0602.N/BNV-TĐKT"
    context.close()
