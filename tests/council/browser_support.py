"""Checks every council browser test makes on each page: no sideways scroll, no small control on a phone,
and axe-core (vendored from npm, tests/browser/vendor/axe.min.js) finding nothing serious or critical."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium")
AXE = Path(__file__).resolve().parents[1] / "browser" / "vendor" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
NARROW = {"width": 360, "height": 740}  # the narrowest phone every page must fit
DESKTOP = {"width": 1366, "height": 900}
PASSWORD = "demo-pass-123"

# Controls of the page's own content (the shared top bar is the design system's); a link inside a
# sentence is exempt from the target size, as WCAG 2.5.8 allows.
SMALL_CONTROLS = """() => {
  const small = [];
  for (const el of document.querySelectorAll(
      'main a, main button, main input:not([type=hidden]), main select, main textarea')) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    if (el.tagName === 'A' && style.display === 'inline') continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.width < 24 || box.height < 24) small.push(`${el.tagName}#${el.id || ''}.${el.className} ${Math.round(box.width)}x${Math.round(box.height)}`);
  }
  return small;
}"""


@contextmanager
def signed_in(base: str, username: str, size: dict[str, int]) -> Iterator[Any]:
    """A page of Debian's chromium at `size`, signed in as `username`; the browser closes afterwards.

    Everything in the database is prepared before (Django's ORM refuses to run inside Playwright's loop)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_context(viewport=size, locale="vi-VN").new_page()
            log_in(page, base, username)
            yield page
        finally:
            browser.close()


def log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def check_page(page: Any, *, phone: bool) -> None:
    """The page fits its width, its controls are large enough on a phone, axe finds no serious issue."""
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"
    if phone:
        small = page.evaluate(SMALL_CONTROLS)
        assert small == [], f"{page.url}: controls under 24×24 px: {small}"
    # Evaluated through the DevTools protocol, so the page's Content Security Policy (no inline script)
    # does not stop it, and nothing is added to the page's own markup.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => (await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}}))
             .violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
             .map(v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)"""
    )
    assert result == [], f"{page.url}: {result}"
