"""Dossier files in place, in a real browser on a phone (390×844) and a desktop (1366×900): a unit head
uploads a file on the nomination's page, a refused file is named on its own field, and deleting asks first
(confirm.js) — declined, nothing goes; accepted, the row goes — all without reloading the page; the unit's
shared papers the same way. Each state of the page: no sideways scroll, targets ≥ 24 px on the phone, no
serious/critical axe violation, no CSP violation. Screenshots (optional) only into the test's temp dir.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Dialog

from nominations.models import DossierFile, Nomination, SubmissionFile
from tests.browser.support import DESKTOP, PHONE, Visitor, chromium_path, launch_chromium
from tests.builders import core as builders
from tests.submissions.support import submission_of
from workflow.notify.workdays import deadlines_install_defaults

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(chromium_path() is None, reason="Debian chromium is not installed"),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launch_chromium() as instance:
        yield instance


@pytest.fixture
def nomination(transactional_db: Any, settings: Any, tmp_path: Path) -> Nomination:
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("loaddemo", "--password", "demo-pass-123", stdout=io.StringIO())
    deadlines_install_defaults()  # rows of a data migration: a transactional test's flush removed them
    nomination = builders.draft(award="LDTT", nominee="staff-tkth-1", files=False)
    nomination.submission = submission_of()
    nomination.save(update_fields=["submission"])
    return nomination


def _answer_dialogs(visitor: Visitor, answers: list[bool], asked: list[str]) -> None:
    """Answer confirm.js's questions in turn (False: Cancel), recording each question."""

    def answer(dialog: Dialog) -> None:
        asked.append(dialog.message)
        if answers.pop(0):
            dialog.accept()
        else:
            dialog.dismiss()

    visitor.page.on("dialog", answer)


@pytest.mark.parametrize("size", [pytest.param(PHONE, id="phone"), pytest.param(DESKTOP, id="desktop")])
def test_a_unit_head_uploads_and_deletes_a_dossier_file_in_place(
    nomination: Nomination, live_server: Any, browser: Browser, size: dict[str, int], tmp_path: Path
) -> None:
    (tmp_path / "bao-cao.pdf").write_bytes(builders.PDF_BYTES)
    (tmp_path / "anh.pdf").write_bytes(b"\x89PNG\r\n\x1a\n")  # a PDF by its name only: refused by content
    head = Visitor(browser, live_server.url, "head-tkth", viewport=size)
    head.go(f"/ho-so/{nomination.pk}/")
    page = head.page
    page.evaluate("window.__notReloaded = true")
    head.audit("nomination page, no file yet")

    page.select_option("#kind-0", DossierFile.Kind.ACHIEVEMENT_REPORT)
    page.set_input_files("#file-0", str(tmp_path / "bao-cao.pdf"))
    page.select_option("#kind-1", DossierFile.Kind.PROOF)
    page.set_input_files("#file-1", str(tmp_path / "anh.pdf"))
    page.click("#file-upload button[type=submit]")
    page.wait_for_selector("#file-1-error")
    assert "anh.pdf" in page.inner_text("#file-1-error")
    assert page.eval_on_selector("#kind-1", "e => e.value") == DossierFile.Kind.PROOF  # kept
    assert "bao-cao.pdf" in page.inner_text("#file-panel .file-rows")
    assert page.evaluate("window.__notReloaded === true")  # only the panel was swapped
    head.audit("nomination page, one file refused on its field")
    if size == PHONE:
        head.shot(tmp_path / "shots" / "files-phone.png")

    row = nomination.files.get()
    asked: list[str] = []
    _answer_dialogs(head, [False, True], asked)
    remove = f"#file-panel tr[data-file='{row.pk}'] form.file-remove button"
    page.click(remove)
    page.wait_for_timeout(300)
    assert len(asked) == 1 and "bao-cao.pdf" in asked[0]
    assert DossierFile.objects.filter(pk=row.pk).exists()  # declined: nothing sent
    page.click(remove)
    page.wait_for_selector(f"#file-panel tr[data-file='{row.pk}']", state="detached")
    assert len(asked) == 2 and not DossierFile.objects.filter(pk=row.pk).exists()
    assert "Đã xóa tệp" in page.inner_text("#file-panel-status")
    assert page.evaluate("window.__notReloaded === true")
    head.audit("nomination page, file deleted in place")

    head.go(f"/ho-so-don-vi/{nomination.submission_id}/")
    page.evaluate("window.__notReloaded = true")
    missing = f"#nominees tr[data-nomination='{nomination.pk}'] .missing"
    assert "Tờ trình" in page.inner_text(missing)
    page.select_option("#kind-0", SubmissionFile.Kind.choices[0][0])
    page.set_input_files("#file-0", str(tmp_path / "bao-cao.pdf"))
    page.click("#shared-files #file-upload button[type=submit]")
    page.wait_for_selector("#shared-files tr[data-file]")
    assert "Tờ trình" not in page.inner_text(missing)  # the list's rows came out of band
    assert page.evaluate("window.__notReloaded === true")
    head.audit("submission page, a shared paper added in place")
    head.close()
