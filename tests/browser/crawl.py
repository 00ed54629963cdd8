"""Walk every page a person reaches from their menu, at a phone's and a desktop's size, and check each.

    found = crawl(browser, base, "office1")   # {page: [problems]}, every page of the menu and one level below

The pages are read from the site, not listed by hand: the entries of the menu (dropdowns and the
account menu included), then, on each of those, the links of the page's content one level down. Links
that differ only in a number (`/ho-so/12/`, `/ho-so/13/`) or in their query are one page: the first
found stands for the others. Each page is loaded once and checked at both sizes by resizing the same tab
(the layout follows the viewport; nothing is fetched again), so a role costs one sign-in and one load
per page. The checks are those of `support.Visitor.audit`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import Browser
from playwright.sync_api import Error as PlaywrightError

from tests.browser.support import DESKTOP, PHONE, Visitor, axe_violations, sideways_overflow, small_targets

# Addresses that are no page to look at: files, exports, the way out, the admin's forms for one object
# (Django's own pages, one of each kind is enough: they share their templates).
_NOT_A_PAGE = re.compile(
    r"(\.(pdf|docx|xlsx|csv|json|png|svg|zip)$)|/tai-xuong|/tai-ve|/xuat|/export|/download|/dang-xuat|/logout"
    r"|/static/|/api/|/i18n/"
)
_ID = re.compile(r"/\d+(?=/|$)")
# The admin's pages below its index, one of each kind: a list of objects, an object, a history.
_ADMIN = re.compile(r"^/admin/[\w-]+/[\w-]+/")

_LINKS_JS = """(scope) => Array.from(document.querySelectorAll(scope + ' a[href]'))
  .filter(a => !a.hasAttribute('download') && a.target !== '_blank')
  .map(a => a.href)"""


def page_key(path: str) -> str:
    """One key for the pages that share a template: numbers and the query left out."""
    key = _ID.sub("/{n}", urlsplit(path).path)
    admin = _ADMIN.match(key)
    if admin and key != admin.group(0):
        key = "/admin/{model}/" + key[len(admin.group(0)) :]
    elif admin:
        key = "/admin/{model}/"
    return key


@dataclass
class Walk:
    """What a walk saw: each page's problems, at both sizes, in the order the pages were reached."""

    username: str
    pages: dict[str, list[str]] = field(default_factory=dict)
    menu: list[str] = field(default_factory=list)
    # The page each page below the menu was found on.
    found_on: dict[str, str] = field(default_factory=dict)

    def problems(self) -> list[str]:
        return [
            f"{self.username} {page}{f' (from {self.found_on[page]})' if page in self.found_on else ''}: {p}"
            for page, found in self.pages.items()
            for p in found
        ]


# A date the browser would show in its own language's order (mm/dd/yyyy in an English browser), and
# words with an underscore in what a person reads (a role, a state, an event's code: `in_vote`), except
# in <code> (a command named for the auditor).
_FOREIGN_JS = """() => ({
  dates: Array.from(document.querySelectorAll('input[type=date], input[type=datetime-local], input[type=month]'))
    .map(i => i.name || i.id),
  codes: Array.from(new Set(((document.querySelector('main') || document.body).innerText
    .match(/\\b[a-z]+(?:_[a-z]+)+\\b/g)) || []))
    .filter(c => !Array.from(document.querySelectorAll('main code, main kbd')).some(e => e.textContent.includes(c)))
    .slice(0, 8),
})"""


_SETTLED_JS = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def _check(visitor: Visitor) -> list[str]:
    problems: list[str] = []
    foreign = visitor.page.evaluate(_FOREIGN_JS)
    problems += [f"a date field follows the browser's language: {name}" for name in foreign["dates"]]
    if not urlsplit(visitor.page.url).path.startswith("/admin/"):  # the admin manages the codes themselves
        problems += [f"a code shown instead of its name: {code}" for code in foreign["codes"]]
    for size in (PHONE, DESKTOP):
        visitor.page.set_viewport_size(size)
        # Let what follows the viewport (Chart.js redraws its canvas on a resize) lay itself out.
        visitor.page.evaluate(_SETTLED_JS)
        name = "phone" if size is PHONE else "desktop"
        overflow = sideways_overflow(visitor.page)
        if overflow:
            problems.append(f"{name}: scrolls sideways by {overflow}px")
        if size is PHONE:
            problems += [f"phone: small target {t}" for t in small_targets(visitor.page)]
        problems += [f"{name}: axe {v}" for v in axe_violations(visitor.page)]
    return problems


def _visit(visitor: Visitor, base: str, path: str, *, audit: bool = True) -> list[str] | None:
    """Open `path` and check it (`audit=False`: only its status and the console's errors); None when it
    is no HTML page (a file the link downloads)."""
    visitor.errors.clear()
    visitor.page.set_viewport_size(PHONE)  # loaded at the phone's size, the stricter of the two
    try:
        response = visitor.page.goto(base + path)
    except PlaywrightError as error:
        if "Download is starting" in str(error):
            return None
        raise
    if response is None:
        return None
    if "text/html" not in response.headers.get("content-type", ""):
        return None
    problems = [] if response.status < 400 else [f"HTTP {response.status}"]
    visitor.settle()
    if audit:
        problems += _check(visitor)
    problems += visitor.errors
    return problems


def _same_site(base: str, hrefs: list[str]) -> list[str]:
    origin = urlsplit(base).netloc
    paths = []
    for href in hrefs:
        parts = urlsplit(href)
        if parts.netloc != origin or _NOT_A_PAGE.search(parts.path):
            continue
        paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return list(dict.fromkeys(paths))


def crawl(browser: Browser, base: str, username: str | None, *, limit: int = 120, audit: bool = True) -> Walk:
    """Sign in as `username` (None: nobody) and check the menu's pages and the pages one link below, up to
    `limit` pages. `audit=False` is the smoke: each page's status and console errors only (5xx, CSP,
    JavaScript), none of the layout and axe checks, which read the browser, not the database."""
    visitor = Visitor(browser, base, username, viewport=PHONE)
    walk = Walk(username or "anonymous")
    seen: set[str] = set()
    try:
        visitor.go("/")
        walk.pages["/"] = _check(visitor) if audit else []
        seen.add(page_key("/"))
        walk.menu = _same_site(base, visitor.page.evaluate(_LINKS_JS, "header"))
        level: list[tuple[str, str]] = []
        for path in walk.menu:
            key = page_key(path)
            if key in seen:
                continue
            seen.add(key)
            found = _visit(visitor, base, path, audit=audit)
            if found is None:
                continue
            walk.pages[path] = found
            level += [(link, path) for link in _same_site(base, visitor.page.evaluate(_LINKS_JS, "main"))]
        for path, parent in level:
            key = page_key(path)
            if key in seen or len(walk.pages) >= limit:
                continue
            seen.add(key)
            found = _visit(visitor, base, path, audit=audit)
            if found is not None:
                walk.pages[path] = found
                walk.found_on[path] = parent
    finally:
        visitor.errors.clear()
        visitor.close()
    return walk


_ADMIN_MODEL = re.compile(r"^/admin/[\w-]+/[\w-]+/$")
_FIRST_OBJECT_JS = """() => Array.from(document.querySelectorAll('#result_list tbody tr a[href]'))
  .map(a => a.href).filter(h => /\\/change\\/$/.test(h)).slice(0, 1)"""


def crawl_admin(browser: Browser, base: str, username: str = "admin") -> Walk:
    """Every model of Django's admin index: its list, its first object's form and its blank form.

    The crawl above sees one admin list for all (they share a template); the forms differ by their
    widgets (a date, a permission picker, an autocomplete), so each model's are opened here."""
    visitor = Visitor(browser, base, username, viewport=PHONE)
    walk = Walk(f"{username} (admin)")
    try:
        visitor.go("/admin/")
        walk.pages["/admin/"] = _check(visitor)
        models = [
            p for p in _same_site(base, visitor.page.evaluate(_LINKS_JS, "#content")) if _ADMIN_MODEL.match(p)
        ]
        walk.menu = models
        for model in models:
            found = _visit(visitor, base, model)
            if found is None:
                continue
            walk.pages[model] = found
            pages = _same_site(base, visitor.page.evaluate(_FIRST_OBJECT_JS))
            add = f"{model}add/"
            if visitor.page.locator(f"#content a[href='{add}']").count():
                pages.append(add)
            for path in pages:
                result = _visit(visitor, base, path)
                if result is not None:
                    walk.pages[path] = result
                    walk.found_on[path] = model
    finally:
        visitor.errors.clear()
        visitor.close()
    return walk
