"""Real browser (Debian chromium through Playwright), real server: a unit head imports a 20-row list from
Excel, fixes the one bad row, attaches the shared tờ trình and biên bản once and submits the whole list;
the office returns one nominee and the others go on.

Each nominee's own báo cáo thành tích is attached through the service before the browser part (twenty
uploads of the same page are the dossier page's own tests); everything else is a person clicking.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from nominations.models import DossierFile, Nomination, State, Submission
from tests.browser.test_roles_in_browser import (  # the module's browser and demo fixtures, shared
    Session,
    _sync_orm_beside_playwright,
    browser,
    demo_live,
)
from tests.builders import core as builders
from tests.submissions.support import add_staff, row, xlsx_bytes
from workflow.services import nominations as nomination_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["_sync_orm_beside_playwright", "browser", "demo_live"]


def test_unit_head_imports_twenty_fixes_a_row_submits_all_and_office_returns_one(
    browser: Browser, live_server: Any, demo_live: None, tmp_path: Path
) -> None:
    staff = add_staff("tkth", 20)
    rows = [row(p.full_name) for p in staff]
    bad = [*rows[:7], row("Người Không Có Thật"), *rows[8:]]
    (tmp_path / "danh-sach.xlsx").write_bytes(xlsx_bytes(bad))
    (tmp_path / "danh-sach-da-sua.xlsx").write_bytes(xlsx_bytes(rows))
    for name in ("to-trinh.pdf", "bien-ban.pdf"):
        (tmp_path / name).write_bytes(builders.PDF_BYTES)

    head = Session(browser, live_server.url, "head-tkth")
    head.go("/ho-so-don-vi/")
    head.page.select_option("#id_campaign", str(builders.annual_campaign().pk))
    head.click("main form button[type=submit]")
    submission = Submission.objects.get(unit__code="tkth", campaign=builders.annual_campaign())
    assert f"/ho-so-don-vi/{submission.pk}/" in head.page.url

    head.page.set_input_files("#import-form input[type=file]", str(tmp_path / "danh-sach.xlsx"))
    head.click("#import-form button[type=submit]")
    errors = head.page.locator("#import-errors tbody tr")
    assert errors.count() == 1 and "9" in errors.first.inner_text()  # row 9: the 8th nominee
    assert "Người Không Có Thật" in errors.first.inner_text()
    assert not submission.nominations.exists()

    head.page.set_input_files("#import-form input[type=file]", str(tmp_path / "danh-sach-da-sua.xlsx"))
    head.click("#import-form button[type=submit]")
    assert "Sẽ thêm 20 đối tượng" in head.page.inner_text("#import-preview")
    head.click("#import-commit")
    assert head.page.locator("#nominees tbody tr[data-nomination]").count() == 20

    for nomination in submission.nominations.all():  # each nominee's own báo cáo (see the docstring)
        nomination_services.dossier_file_add(
            nomination=nomination, actor=builders.person("head-tkth"), upload=builders.pdf(), kind="bao_cao"
        )
    head.go(f"/ho-so-don-vi/{submission.pk}/")
    head.page.select_option("#kind-0", "to_trinh")
    head.page.set_input_files("#file-0", str(tmp_path / "to-trinh.pdf"))
    head.page.select_option("#kind-1", "bien_ban")
    head.page.set_input_files("#file-1", str(tmp_path / "bien-ban.pdf"))
    head.click("#shared-files #file-upload button[type=submit]")
    head.page.wait_for_selector("#file-panel-status .alert")  # added in place (htmx)
    assert "Đã thêm 2 tài liệu" in head.page.inner_text("#file-panel-status")
    assert "Tờ trình" not in head.page.inner_text("#nominees")  # nothing missing any more

    head.click("#submit-all")
    head.click("#confirm-submit")
    assert head.page.inner_text("#submission-state") == "Đã gửi"
    assert set(submission.nominations.values_list("state", flat=True)) == {State.SUBMITTED}
    assert DossierFile.objects.filter(nomination__submission=submission, kind="to_trinh").count() == 0
    head.close()

    office = Session(browser, live_server.url, "office1")
    first, second = list(submission.nominations.order_by("pk")[:2])
    office.go(f"/ho-so/{first.pk}/")
    office.action("return", {"comment": "Bổ sung báo cáo thành tích có xác nhận."})
    office.go(f"/ho-so/{second.pk}/")
    office.action("evaluate", {"score": "92", "assessment": "Đạt tiêu chuẩn."})
    office.go(f"/ho-so-don-vi/{submission.pk}/")
    assert "Trả lại" in office.page.inner_text(f"tr[data-nomination='{first.pk}'] .state")
    office.close()
    states = dict(Nomination.objects.filter(submission=submission).values_list("pk", "state"))
    assert states.pop(first.pk) == State.RETURNED and states.pop(second.pk) == State.EVALUATED
    assert set(states.values()) == {State.SUBMITTED} and len(states) == 18


def test_submission_pages_fit_a_360_pixel_screen(browser: Browser, live_server: Any, demo_live: None) -> None:
    from tests.submissions.support import submission_of

    submission = submission_of()
    for p in add_staff("tkth", 3):
        nomination_services.nomination_create(
            actor=builders.person("head-tkth"),
            campaign=submission.campaign,
            award=builders.Award.objects.get(code="LDTT"),
            nominee_person=p,
            summary="Hoàn thành xuất sắc nhiệm vụ.",
            rating="htxs",
            submission=submission,
        )
    for username in ("head-tkth", "office1"):
        session = Session(browser, live_server.url, username)
        session.page.set_viewport_size({"width": 360, "height": 800})
        for path in ("/ho-so-don-vi/", f"/ho-so-don-vi/{submission.pk}/"):
            session.go(path)
            width = session.page.evaluate("document.documentElement.scrollWidth")
            wide = session.page.evaluate(
                "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 361)"
                ".slice(0, 5).map(e => e.tagName + '.' + e.className + '#' + e.id)"
            )
            assert width <= 360, (username, path, width, wide)
        session.close()


def test_a_bad_file_is_named_before_sending_and_the_chosen_files_stay(
    browser: Browser, live_server: Any, demo_live: None, tmp_path: Path
) -> None:
    (tmp_path / "bao-cao.pdf").write_bytes(builders.PDF_BYTES)
    (tmp_path / "anh.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    head = Session(browser, live_server.url, "head-tkth")
    head.go("/ho-so/moi/")
    head.page.set_input_files("#id_file_bao_cao", str(tmp_path / "bao-cao.pdf"))
    head.page.set_input_files("#id_file_minh_chung", str(tmp_path / "anh.png"))
    message = head.page.eval_on_selector("#id_file_minh_chung", "e => e.validationMessage")
    assert "anh.png" in message and "PDF" in message
    assert not head.page.eval_on_selector("form.form", "f => f.checkValidity()")  # it cannot be sent
    assert head.page.eval_on_selector("#id_file_bao_cao", "e => e.files.length") == 1  # kept
    head.page.set_input_files("#id_file_minh_chung", str(tmp_path / "bao-cao.pdf"))
    assert head.page.eval_on_selector("#id_file_minh_chung", "e => e.validationMessage") == ""
    head.close()
