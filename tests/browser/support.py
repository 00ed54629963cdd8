"""What every browser test of a page checks, shared by the browser tests of every area.

    from tests.browser.support import PHONE, DESKTOP, launch_chromium, Visitor

    visitor = Visitor(browser, live_server.url, "office1", viewport=PHONE)
    visitor.go("/viec/")          # fails on a 5xx, a CSP violation, a page wider than the screen,
    visitor.audit()               # a control under 24×24 px (phone) or a serious/critical axe violation

The checks:
- no sideways scroll: the document is no wider than the viewport;
- on a phone, every visible control (link, button, field, summary) is at least 24×24 px (WCAG 2.2 target
  size), except a link inside a sentence (the criterion's inline exception);
- axe-core (tests/browser/vendor/axe.min.js, from the npm registry) finds no serious or critical violation
  of WCAG 2 A/AA. It is evaluated through the DevTools protocol, which the page's CSP does not govern, so
  the page is tested under its real policy;
- no Content Security Policy violation (an inline script or style the policy refused) and no 5xx.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, sync_playwright

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
PASSWORD = "demo-pass-123"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MIN_TARGET = 24
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

# The visible controls smaller than 24×24 px, leaving out links inside running text.
_SMALL_TARGETS_JS = """(min) => {
  const out = [];
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]';
  for (const el of document.querySelectorAll(sel)) {
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (r.width === 0 || r.height === 0 || style.visibility === 'hidden' || style.display === 'none') continue;
    if (el.closest('.visually-hidden, .visually-hidden-focusable, .select2-hidden-accessible, [hidden]')) continue;
    if (r.width >= min && r.height >= min) continue;
    if (el.tagName === 'A' && style.display === 'inline') {
      const text = (el.parentElement ? el.parentElement.textContent : '').trim();
      if (text.length > (el.textContent || '').trim().length + 3) continue;  // a link in a sentence
    }
    out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} "${(el.textContent || el.value || el.name || '').trim().slice(0, 30)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
  }
  return out;
}"""

_WIDTH_JS = """() => ({
  scroll: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
  view: window.innerWidth,
})"""


def chromium_path() -> str | None:
    return shutil.which("chromium")


@contextmanager
def launch_chromium() -> Iterator[Browser]:
    """Debian's chromium through Playwright, headless; the caller skips when it is missing."""
    executable = chromium_path()
    assert executable is not None, "Debian chromium is not installed"
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    # Playwright's sync API keeps an event loop in this thread; the ORM calls of the test are plain code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS
            )
            try:
                yield browser
            finally:
                browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def small_targets(page: Page) -> list[str]:
    result: list[str] = page.evaluate(_SMALL_TARGETS_JS, MIN_TARGET)
    return result


def sideways_overflow(page: Page) -> int:
    """How many px the page is wider than the viewport (0: no sideways scroll)."""
    width: dict[str, int] = page.evaluate(_WIDTH_JS)
    return max(0, width["scroll"] - width["view"])


def axe_violations(page: Page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """axe-core's violations of WCAG 2 A/AA at the given impacts, one line per rule with its targets."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    results: dict[str, Any] = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'], preload: false})",
        AXE_TAGS,
    )
    found = []
    for violation in results["violations"]:
        if violation["impact"] in impacts:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
            found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {targets}")
    return found


class Visitor:
    """One person's browser session at one viewport; every page it opens can be checked with `audit`."""

    def __init__(
        self, browser: Browser, base: str, username: str | None, *, viewport: dict[str, int] = DESKTOP
    ) -> None:
        self.base = base
        self.viewport = viewport
        self.phone = viewport["width"] < 576
        self.context = browser.new_context(viewport=viewport, locale="en-US")  # dates must not follow it
        self.page: Page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on(
            "response", lambda r: self.errors.append(f"{r.status} {r.url}") if r.status >= 500 else None
        )
        self.page.on(
            "console",
            lambda m: self.errors.append(f"CSP: {m.text}") if "Content Security Policy" in m.text else None,
        )
        self.page.on("pageerror", lambda e: self.errors.append(f"JS error: {e}"))
        if username is not None:
            self.login(username)

    def login(self, username: str) -> None:
        self.go("/dang-nhap/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.page.click("main button[type=submit]")
        self.page.wait_for_load_state()
        assert "/dang-nhap/" not in self.page.url, f"{username} could not sign in"

    def go(self, path: str) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status < 500, path
        self.settle()
        assert not self.errors, self.errors

    def settle(self) -> None:
        """Wait until the page has loaded and the menu's counts (fetched by htmx) have arrived."""
        self.page.wait_for_load_state()
        if self.page.locator("#nav-counts-state").count():
            self.page.wait_for_selector("#nav-counts-state[data-loaded]", state="attached")

    def click(self, selector: str) -> None:
        self.page.click(selector)
        self.settle()
        assert not self.errors, self.errors

    def audit(self, what: str = "") -> None:
        """Fail with every problem of the page open now (sideways scroll, small targets, axe, CSP)."""
        where = f"{what or self.page.url} at {self.viewport['width']}px"
        problems: list[str] = []
        overflow = sideways_overflow(self.page)
        if overflow:
            problems.append(f"scrolls sideways by {overflow}px")
        if self.phone:
            problems += [f"small target: {t}" for t in small_targets(self.page)]
        problems += axe_violations(self.page)
        problems += self.errors
        assert not problems, f"{where}:\n  " + "\n  ".join(problems)

    def shot(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(path), full_page=True)

    def close(self) -> None:
        assert not self.errors, self.errors
        self.context.close()
