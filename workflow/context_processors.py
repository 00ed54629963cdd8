"""The navigation of base.html, by the roles the person holds (no query beyond their groups), and the
address its language switch returns to."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse, translate_url
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from nominations.models import Role
from workflow.views.common import AUDIT_ROLES, TRACKING_ROLES

COUNCIL_ROLES = (Role.COUNCIL_MEMBER, Role.COUNCIL_SECRETARY, Role.COUNCIL_CHAIR)
DECIDING_ROLES = (Role.DIRECTOR, Role.DEPUTY_DIRECTOR)


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}

    def has(roles: tuple[str, ...]) -> bool:
        return any(user.has_role(r) for r in roles)

    items: list[tuple[str, Any]] = [
        ("my_tasks", _("Việc của tôi")),
        ("nomination_list", pgettext_lazy("nav", "Hồ sơ")),
    ]
    if has((Role.UNIT_HEAD,)) and user.unit_id is not None:
        items.append(("nomination_create", _("Lập hồ sơ")))
    if has((Role.UNIT_HEAD, *TRACKING_ROLES)):
        items.append(("submission_list", _("Hồ sơ đơn vị")))
    if has(TRACKING_ROLES):
        items.append(("dashboard", _("Theo dõi")))
    if has((*DECIDING_ROLES, Role.OFFICE_STAFF)):
        items.append(("decisions:home", pgettext_lazy("nav", "Quyết định")))
    if has((Role.OFFICE_STAFF, Role.AUDITOR, *DECIDING_ROLES)):
        items.append(("decisions:reports", _("Báo cáo")))
        items.append(("statistics:home", _("Thống kê")))
    if has((Role.UNIT_HEAD, Role.OFFICE_STAFF)):
        items.append(("participation:commitments", _("Đăng ký thi đua")))
    if has((Role.UNIT_HEAD,)) and user.unit_id is not None:
        items.append(("targets:unit_results", _("Chỉ tiêu")))
    elif has(TRACKING_ROLES):
        items.append(("targets:matrix", _("Chỉ tiêu")))
    if has(COUNCIL_ROLES):
        items.append(("my_sessions", _("Hội đồng")))
    if has(AUDIT_ROLES):
        items.append(("audit_log", _("Nhật ký")))
    items.append(("participation:notices", _("Công khai")))
    items.append(("participation:history_mine", _("Khen thưởng của tôi")))
    current = request.resolver_match.view_name if request.resolver_match else None
    return {
        "nav_items": [
            {"url": reverse(name), "label": label, "current": name == current} for name, label in items
        ]
    }


def language_switch(request: HttpRequest) -> dict[str, str]:
    """The page's address without its language prefix, for the language switch to return to.

    With prefix_default_language=False, Django's set_language view can add the /en/ prefix to an address
    but cannot take it off: while the switch's request is handled the active language is Vietnamese, so an
    /en/ address does not resolve and is returned unchanged — switching back to Vietnamese would land on
    the English page again. The switch therefore always posts the Vietnamese (unprefixed) address, and
    set_language translates it into the chosen language.
    """
    return {"language_switch_next": translate_url(request.get_full_path(), settings.LANGUAGE_CODE)}
