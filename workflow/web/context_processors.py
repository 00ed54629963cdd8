"""The navigation of base.html, by the roles the person holds (no query beyond their groups), and the
address its language switch returns to.

Each role's menu is data (`ROLE_MENUS`): the entries it holds, in order, at most seven, each one a page
that role works on. A person holding several roles gets the union, in the order of the first role that
lists an entry. The counts of waiting work are NOT read here — every page would pay for them — but by
`workflow.views.navigation.nav_counts`, which htmx calls once the page has loaded (`COUNTED` says which
entries carry a count).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse, translate_url
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from nominations import roles
from nominations.models import Role

MAX_ENTRIES = 7


@dataclass(frozen=True)
class Entry:
    url_name: str
    label: str | Promise
    # Other pages under this entry (they mark it current), by URL name prefix.
    also: tuple[str, ...] = ()
    # A group: a dropdown of these entries (one place in the menu for pages done together).
    children: tuple[str, ...] = ()


ENTRIES: dict[str, Entry] = {
    "tasks": Entry("my_tasks", _("Việc của tôi")),
    "nominations": Entry("nomination_list", pgettext_lazy("nav", "Hồ sơ"), ("nomination_",)),
    "create": Entry("nomination_create", _("Lập hồ sơ")),
    "dashboard": Entry("dashboard", _("Theo dõi")),
    "decisions": Entry(
        "decisions:home",
        pgettext_lazy("nav", "Quyết định"),
        ("decisions:issue", "decisions:decision", "decisions:decline", "decisions:revoke", "director_queue"),
    ),
    "forwarding": Entry(
        "decisions:forwarding", _("Trình cấp trên"), ("decisions:submission", "decisions:outcome")
    ),
    "reports": Entry("decisions:reports", _("Báo cáo"), ("decisions:report",)),
    "council": Entry("council:list", _("Phiên họp Hội đồng"), ("council-",)),
    "my_sessions": Entry("my_sessions", _("Hội đồng của tôi")),
    "commitments": Entry("participation:commitments", _("Đăng ký thi đua"), ("participation:commitment",)),
    "complaints": Entry("participation:complaints", _("Khiếu nại"), ("participation:complaint",)),
    "participation": Entry("participation:index", _("Tham gia, công khai"), ("participation:",)),
    "delegations": Entry("participation:delegations", _("Ủy quyền"), ("participation:delegation",)),
    "audit": Entry("audit_log", _("Nhật ký")),
    "notices": Entry("participation:notices", _("Công khai")),
    "documents": Entry(
        "decisions:home",
        _("Văn bản"),
        ("decisions:", "statistics:"),
        children=("decisions", "forwarding", "reports", "statistics"),
    ),
    "admin": Entry("admin:index", _("Quản trị")),
    "submissions": Entry("submission_list", _("Hồ sơ đơn vị"), ("submission_",)),
    "records": Entry(
        "nomination_list",
        pgettext_lazy("nav", "Hồ sơ"),
        ("nomination_", "submission_"),
        children=("nominations", "submissions"),
    ),
    "statistics": Entry("statistics:home", _("Thống kê"), ("statistics:",)),
    "targets": Entry("targets:unit_results", _("Chỉ tiêu"), ("targets:",)),
    "targets_matrix": Entry("targets:matrix", _("Chỉ tiêu"), ("targets:",)),
    "tracking": Entry("dashboard", _("Theo dõi"), ("targets:",), children=("dashboard", "targets_matrix")),
}

ROLE_MENUS: dict[str, tuple[str, ...]] = {
    Role.UNIT_HEAD: (
        "tasks",
        "records",  # the unit's nominations and its collected submissions (a "Khác" entry hid two tasks)
        "create",
        "commitments",
        "decisions",
        "targets",
        "notices",
    ),
    Role.OFFICE_STAFF: (
        "tasks",
        "records",
        "council",
        "documents",
        "tracking",
        "participation",
        "audit",
    ),
    # The Director's and Deputy's own work comes before what they do as council members (the Director
    # chairs the council): a person's menu follows the order of this table.
    Role.DIRECTOR: ("tasks", "documents", "records", "tracking", "delegations", "council"),
    Role.DEPUTY_DIRECTOR: ("tasks", "documents", "records", "tracking"),
    Role.COUNCIL_SECRETARY: ("tasks", "council", "nominations"),
    # The chair works on the sessions they sit on (a tie is broken on the session's page).
    Role.COUNCIL_CHAIR: ("tasks", "my_sessions", "nominations"),
    Role.COUNCIL_MEMBER: ("tasks", "my_sessions", "nominations", "notices"),
    Role.AUDITOR: ("records", "tracking", "audit", "documents", "complaints", "council"),
    Role.ADMINISTRATOR: ("admin",),
}
# A person with no role (a member of staff): the results on notice. Everyone's own awards and the
# participation pages (notices, complaints) are in the menu under their name, in base.html.
NO_ROLE_MENU = ("notices",)
# Entries a full menu leaves out first: the results on notice are also under the person's own menu
# ("Tham gia và công khai"), so the Director, who is also a council member, keeps their own work.
OPTIONAL = ("notices",)
# The entries whose waiting work is counted (workflow.views.navigation.nav_counts).
COUNTED = frozenset({"tasks", "decisions", "documents", "my_sessions", "complaints", "participation"})
# Pages that are no entry of a role's menu are one click below one: forwarding and reports under the
# home page's "Quyết định, trình cấp trên, báo cáo"; complaints, commitments and award histories under
# "Tham gia, công khai"; a session's agenda, attendance and minutes under "Phiên họp Hội đồng".


def menu_keys(user: Any) -> list[str]:
    """The entries of `user`'s menu, by their roles (groups are read once, cached on the user)."""
    keys: list[str] = []
    held = [role for role in ROLE_MENUS if roles.has_role(user, role)]
    for role in held:
        for key in ROLE_MENUS[role]:
            if key == "create" and user.unit_id is None:
                continue
            # An entry already in one of the menu's groups (the nominations under "Hồ sơ") is not repeated.
            if key not in keys and not any(key in ENTRIES[k].children for k in keys):
                keys.append(key)
    if not held:
        keys = list(NO_ROLE_MENU)
    for key in OPTIONAL:
        if len(keys) > MAX_ENTRIES and key in keys:
            keys.remove(key)
    return keys


def _current(view_name: str | None, entry: Entry) -> bool:
    if view_name is None:
        return False
    return view_name == entry.url_name or any(view_name.startswith(prefix) for prefix in entry.also)


def nav_items(user: Any, view_name: str | None) -> list[dict[str, Any]]:
    """The menu's entries; past `MAX_ENTRIES` (a person holding several roles) the rest go under "Khác"."""
    items = []
    keys = menu_keys(user)
    current_keys = [k for k in keys if view_name == ENTRIES[k].url_name]
    for key in keys:
        entry = ENTRIES[key]
        # An exact match wins over a prefix (the list, not "Lập hồ sơ", when creating is its own entry).
        current = key in current_keys if current_keys else _current(view_name, entry)
        item = _item(key, current)
        item["children"] = [
            _item(child, view_name is not None and _current(view_name, ENTRIES[child]))
            for child in entry.children
        ]
        items.append(item)
    if len(items) > MAX_ENTRIES:
        rest = items[MAX_ENTRIES - 1 :]
        items = items[: MAX_ENTRIES - 1]
        items.append(
            {
                "key": "more",
                "url": rest[0]["url"],
                "label": _("Khác"),
                "current": any(i["current"] for i in rest),
                "counted": False,
                "children": [c for i in rest for c in (i["children"] or [i])],
            }
        )
    return items


def _item(key: str, current: bool) -> dict[str, Any]:
    entry = ENTRIES[key]
    return {
        "key": key,
        "url": reverse(entry.url_name),
        "label": entry.label,
        "current": current,
        "counted": key in COUNTED,
    }


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    current = request.resolver_match.view_name if request.resolver_match else None
    return {"nav_items": nav_items(user, current)}


def language_switch(request: HttpRequest) -> dict[str, str]:
    """The page's address without its language prefix, for the language switch to return to.

    With prefix_default_language=False, Django's set_language view can add the /en/ prefix to an address
    but cannot take it off: while the switch's request is handled the active language is Vietnamese, so an
    /en/ address does not resolve and is returned unchanged — switching back to Vietnamese would land on
    the English page again. The switch therefore always posts the Vietnamese (unprefixed) address, and
    set_language translates it into the chosen language.
    """
    return {"language_switch_next": translate_url(request.get_full_path(), settings.LANGUAGE_CODE)}
