"""A real browser (Debian chromium through Playwright) issues a decision, then downloads it and a report."""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook

from nominations.models import Decision, Nomination, Report, State
from tests.browser.support import CHROMIUM_ARGS, PASSWORD
from tests.builders import core as builders
from tests.builders.decisions import proposed

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian chromium is not installed"),
]


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def _fresh_permission_ids() -> Any:
    """`workflow.rights.permissions._permission_ids` is cached per process, but a transactional test flushes the
    database and the permissions come back with new ids: forget them around this test."""
    from workflow.rights.permissions import _permission_ids

    _permission_ids.cache_clear()
    yield
    _permission_ids.cache_clear()


def _log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_the_director_issues_and_downloads_a_decision_and_the_office_a_report(
    transactional_db: None, live_server: Any, demo: None, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    # Everything in the database is prepared before the browser's event loop starts (Django's ORM
    # refuses to run inside a running event loop).
    session = builders.session()
    nominations = [proposed(nominee=name, session=session) for name in ("staff-tkth-2", "staff-tkkt-2")]
    campaign_id = builders.annual_campaign().pk
    base = live_server.url

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        try:
            director = browser.new_context(accept_downloads=True, locale="vi-VN")
            page = director.new_page()
            _log_in(page, base, "director")
            page.goto(f"{base}/quyet-dinh/")
            page.check("#select-all")
            page.fill("#id_number", "12/QĐ-CTK")
            page.fill("#id_date", "2024-01-10")
            page.once("dialog", lambda dialog: dialog.accept())  # asked before issuing
            page.click("#issue-form button.primary")
            page.wait_for_url(f"{base}/quyet-dinh/*/")
            assert page.inner_text("#total").startswith("1.080.000")
            with page.expect_download() as info:
                page.click("#download-docx")
            decision_file = tmp_path / info.value.suggested_filename
            info.value.save_as(decision_file)
            director.close()

            office = browser.new_context(accept_downloads=True, locale="vi-VN")
            page = office.new_page()
            _log_in(page, base, "office1")
            page.goto(f"{base}/quyet-dinh/bao-cao/")
            page.select_option("#id_campaign", str(campaign_id))
            page.fill("#id_number", "45/BC-CTK")
            page.fill("#id_date", "2024-01-20")
            page.click("#report-form button.primary")
            page.wait_for_url(f"{base}/quyet-dinh/bao-cao/*/")
            page.once("dialog", lambda dialog: dialog.accept())  # asked before issuing the report
            page.click("form.card button.primary")  # ban hành
            page.wait_for_selector("text=Đã ban hành")
            downloads = {}
            for kind in ("docx", "xlsx"):
                with page.expect_download() as info:
                    page.click(f"#download-report-{kind}")
                downloads[kind] = tmp_path / info.value.suggested_filename
                info.value.save_as(downloads[kind])
            office.close()
        finally:
            browser.close()

    assert decision_file.name == "quyet-dinh-12-qd-ctk.docx"
    doc = Document(io.BytesIO(decision_file.read_bytes()))
    assert doc.tables[0].cell(1, 0).text == "Số: 12/QĐ-CTK"
    annex = [[cell.text for cell in row.cells] for row in doc.tables[2].rows]
    assert annex[-1][1] == "Tổng cộng" and annex[-1][4] == "1.080.000"
    decision = Decision.objects.get()
    assert decision.total == 1_080_000

    report = Report.objects.get()
    assert report.is_issued
    assert Document(io.BytesIO(downloads["docx"].read_bytes())).tables[0].cell(1, 0).text == "Số: 45/BC-CTK"
    listing = list(
        load_workbook(io.BytesIO(downloads["xlsx"].read_bytes()))["Danh sách"].iter_rows(values_only=True)
    )
    assert [row[6] for row in listing[-2:]] == ["12/QĐ-CTK", "12/QĐ-CTK"]
    states = set(
        Nomination.objects.filter(pk__in=[n.pk for n in nominations]).values_list("state", flat=True)
    )
    assert states == {State.REPORTED}
