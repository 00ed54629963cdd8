"""Every role's pages in a real browser, on a phone (390×844) and a desktop (1366×900): no sideways
scroll, no control under 24×24 px on the phone, no serious or critical axe-core violation (WCAG 2 A/AA),
no CSP violation, no date field in the browser's order, no code shown for a name — on every page of
each role's menu and one link below it (tests/browser/crawl.py), and the pages of the main flows.

One demo database and one browser for the module; the browser speaks English (locale en-US) so that a
date field following the browser's language would show mm/dd/yyyy — ours must not.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import Browser

from nominations.models import Nomination, State
from tests.browser.crawl import crawl, crawl_admin
from tests.browser.support import DESKTOP, PHONE, Visitor, chromium_path, launch_chromium
from tests.builders import core as builders
from workflow.notify.workdays import deadlines_install_defaults
from workflow.services import reports

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(chromium_path() is None, reason="Debian chromium is not installed"),
]

SIZES = [pytest.param(PHONE, id="phone"), pytest.param(DESKTOP, id="desktop")]

# The crawls' checks (layout, target sizes, axe, CSP) read what the browser draws, which the database does
# not change; CI runs the suite on SQLite and again on PostgreSQL, so the full crawls run once, on SQLite,
# and PostgreSQL gets the smoke below (a few pages per role: status and console errors).
ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
full_crawl = pytest.mark.skipif(
    ON_POSTGRESQL, reason="the full crawl runs on SQLite; PostgreSQL runs the smoke"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launch_chromium() as instance:
        yield instance


@pytest.fixture
def world(transactional_db: Any, settings: Any, tmp_path: Path) -> dict[str, Nomination]:
    """The demo, an open council session and nominations at the steps each role works on."""
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("loaddemo", "--password", "demo-pass-123", stdout=io.StringIO())
    deadlines_install_defaults()  # rows of a data migration: a transactional test's flush removed them
    builders.session()
    # A draft report, so the crawl opens a report's page (its state badge and count tables) on a phone.
    reports.report_create(
        campaign=builders.annual_campaign(),
        actor=builders.person("office1"),
        number="45/BC-CTK",
        date=datetime.date(2024, 1, 20),
        signer=builders.person("director"),
    )
    return {
        "draft": builders.draft(award="LDTT", nominee="staff-tkth-1"),
        "submitted": builders.to_state(builders.draft(award="LDTT", nominee="staff-tkth-2"), State.SUBMITTED),
        "proposed": builders.to_state(builders.draft(award="LDTT", nominee="staff-tkth-3"), State.PROPOSED),
        "in_vote": builders.to_state(builders.draft(award="LDTT", nominee="staff-tkkt-1"), State.IN_VOTE),
    }


# Every role of the demo (README's logins): the pages each reaches are read from its menu, not listed.
ROLES = {
    "unit head": "head-tkth",
    "unit staff": "staff-tkth-1",
    "office": "office1",
    "secretary": "secretary",
    "council member": "council1",
    "director": "director",
    "deputy": "deputy",
    "auditor": "auditor",
    "admin": "admin",
}


@full_crawl
def test_every_page_each_role_reaches_fits_both_screens_and_passes_axe(
    world: dict[str, Nomination], live_server: Any, browser: Browser
) -> None:
    """Each role's menu and one level of links below it, each page at 390×844 and 1366×900 (crawl.py):
    a page added to a menu, or linked from one of its pages, is checked without being listed here."""
    problems: list[str] = []
    reached: dict[str, int] = {}
    for role, username in ROLES.items():
        walk = crawl(browser, live_server.url, username)
        reached[role] = len(walk.pages)
        problems += walk.problems()
    assert problems == [], "\n".join(problems)
    # The walk found the pages (a menu lost to a broken template would make this pass on nothing).
    assert min(reached.values()) >= 5 and sum(reached.values()) >= 120, reached


@pytest.mark.skipif(not ON_POSTGRESQL, reason="on SQLite the full crawl opens these pages and more")
def test_a_few_pages_of_each_role_open_on_postgresql_without_an_error(
    world: dict[str, Nomination], live_server: Any, browser: Browser
) -> None:
    """The smoke of the crawl on PostgreSQL: each role's menu and the first pages below it, up to 12,
    answer below 400 with no 5xx, CSP or JavaScript error (what a database could change)."""
    problems: list[str] = []
    reached: dict[str, int] = {}
    for role, username in ROLES.items():
        walk = crawl(browser, live_server.url, username, limit=12, audit=False)
        reached[role] = len(walk.pages)
        problems += walk.problems()
    assert problems == [], "\n".join(problems)
    assert min(reached.values()) >= 5, reached


@full_crawl
def test_every_admin_list_and_form_fits_both_screens_and_passes_axe_under_the_policy(
    world: dict[str, Nomination], live_server: Any, browser: Browser
) -> None:
    """Django's admin for the administrator: every model's list, first object and blank form, under our
    Content Security Policy (no inline style or script refused), at both sizes, axe 0 serious/critical.
    Its widgets' missing names (the permission picker's icons, autocomplete, split date and time) are
    mended by static/js/admin-a11y.js, never by patching Django."""
    walk = crawl_admin(browser, live_server.url)
    assert walk.problems() == [], "\n".join(walk.problems())
    forms = [p for p in walk.pages if p.endswith(("/change/", "/add/"))]
    assert len(walk.menu) >= 10 and len(forms) >= 10, (walk.menu, forms)
    assert any(p.startswith("/admin/auth/group/") for p in forms)  # the permission picker


def test_a_unit_head_creates_and_submits_on_a_phone_and_the_office_evaluates_on_a_desktop(
    world: dict[str, Nomination], live_server: Any, browser: Browser, tmp_path: Path
) -> None:
    head = Visitor(browser, live_server.url, "head-tkkt", viewport=PHONE)
    head.go("/")
    head.click("button.navbar-toggler")  # the menu folds away on a phone
    head.click("#main-nav >> text=Lập hồ sơ")
    page = head.page
    # An individual award defaults to a person: the first choice of the nominee is one of the unit's staff.
    first = page.eval_on_selector("#id_nominee", "s => s.options[s.selectedIndex].value")
    assert first.startswith("person:")
    # A form error sits on the field at fault and keeps what was typed.
    page.select_option("#id_campaign", label=builders.annual_campaign().name)
    page.fill("#id_summary", "Hoàn thành xuất sắc nhiệm vụ năm 2023.")
    head.click("form.form button[type=submit]")
    award = page.locator("#id_award")
    assert "is-invalid" in (award.get_attribute("class") or "")
    assert page.locator("#id_summary").input_value() == "Hoàn thành xuất sắc nhiệm vụ năm 2023."
    assert page.locator("label[for=id_award] .asteriskField").count() == 1  # required fields are marked
    head.audit("unit head: the form with an error")
    page.select_option("#id_award", label=builders.Award.objects.get(code="LDTT").name)
    page.select_option("#id_nominee", label=builders.person("staff-tkkt-2").get_full_name())
    page.select_option("#id_rating", "htxs")
    for kind in ("to_trinh", "bao_cao", "bien_ban"):
        path = tmp_path / f"{kind}.pdf"
        path.write_bytes(builders.PDF_BYTES)
        page.set_input_files(f"#id_file_{kind}", str(path))
    head.click("form.form button[type=submit]")
    n = Nomination.objects.get(nominee_person__username="staff-tkkt-2")
    assert page.url.endswith(f"/ho-so/{n.pk}/")
    assert page.locator("#steps li.now").inner_text().startswith("Đơn vị hoàn thiện và gửi hồ sơ")
    head.click("form.action-submit button[type=submit]")
    n.refresh_from_db()
    assert n.state == State.SUBMITTED, page.locator("main").inner_text()[:1500]
    assert "Phòng TC-HC kiểm tra, thẩm định" in page.locator("#steps li.now").inner_text()
    head.audit("unit head: the nomination after submitting")
    head.close()

    office = Visitor(browser, live_server.url, "office1", viewport=DESKTOP)
    office.go("/viec/")
    # The menu counts the waiting work: the two dossiers to appraise at least.
    assert int(office.page.locator("#nav-count-tasks").inner_text().split()[0]) >= 2
    office.click(f"#queue tr:has(a[href='/ho-so/{n.pk}/']) button:has-text('Nhận việc')")
    office.go(f"/ho-so/{n.pk}/")
    form = office.page.locator("form.action-evaluate")
    details = office.page.locator("details.action", has=form)
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    form.locator("[name='evaluate-score']").fill("92")
    form.locator("[name='evaluate-assessment']").fill("Đủ điều kiện.")
    office.click("form.action-evaluate button[type=submit]")
    n.refresh_from_db()
    assert n.state == State.EVALUATED
    timeline = office.page.locator("#timeline").inner_text()
    assert "Trưởng đơn vị" in timeline and "unit_head" not in timeline  # roles by name
    assert "Đã gửi → Đã thẩm định" in timeline  # states by name
    office.audit("office: the nomination after evaluating")
    office.close()


def test_an_irreversible_transition_asks_first_and_dates_read_day_first_in_an_english_browser(
    world: dict[str, Nomination], live_server: Any, browser: Browser
) -> None:
    n = world["submitted"]
    office = Visitor(browser, live_server.url, "office1", viewport=PHONE)
    office.go(f"/ho-so/{n.pk}/")
    assert office.page.locator("form.action-mark_ineligible").count() == 0  # no button on the page itself
    office.click("#ask-mark_ineligible")
    assert office.page.locator("#confirm-irreversible").is_visible()
    office.audit("office: confirming a transition that cannot be undone")
    office.page.fill("[name='mark_ineligible-comment']", "Không đủ tiêu chuẩn theo Điều 24.")
    office.click("form.action-mark_ineligible button[type=submit]")
    n.refresh_from_db()
    assert n.state == State.INELIGIBLE

    auditor = Visitor(browser, live_server.url, "auditor", viewport=PHONE)
    auditor.go("/nhat-ky/")
    auditor.click("details:has(form.filters) > summary")
    since = auditor.page.locator("#id_since")
    assert since.get_attribute("type") == "text" and since.get_attribute("placeholder") == "dd/mm/yyyy"
    since.fill("01/01/2000")
    auditor.click("form.filters button[type=submit]")
    assert "since=01%2F01%2F2000" in auditor.page.url
    assert auditor.page.locator("#id_since").input_value() == "01/01/2000"
    rows = auditor.page.locator("table.audit tbody").inner_text()
    assert "Không đủ điều kiện" in rows or "Đánh dấu không đủ điều kiện" in rows
    assert "in_vote" not in rows and "nominations.nomination:" not in rows
    auditor.audit("auditor: the log filtered by a day-first date")
    auditor.close()
    office.close()


@pytest.mark.parametrize("size", SIZES)
def test_the_nomination_list_filters_and_pages_in_place(
    world: dict[str, Nomination], live_server: Any, browser: Browser, size: dict[str, int]
) -> None:
    office = Visitor(browser, live_server.url, "office1", viewport=size)
    office.go("/ho-so/")
    page = office.page
    page.evaluate("window.__notReloaded = true")
    if page.locator("#nomination-results nav a[href*='page=2']").count():
        page.click("#nomination-results nav a[href*='page=2']")
        page.wait_for_url("**page=2**")
        office.settle()
        assert page.evaluate("window.__notReloaded === true")
        office.audit("office: nomination list, page 2 in place")
    page.click("details.mb-2 > summary")
    state = page.locator("details.mb-2 select[name=state]")
    assert state.count() == 1
    state.select_option(State.SUBMITTED.value)
    page.click("details.mb-2 button[type=submit]")
    page.wait_for_url("**state=submitted**")
    office.settle()
    assert page.evaluate("window.__notReloaded === true")  # only #nomination-results was swapped
    assert page.locator("#nomination-results").count() == 1
    assert world["submitted"].nominee.full_name in page.inner_text("#nomination-results")
    office.audit("office: nomination list filtered in place")
    office.close()
