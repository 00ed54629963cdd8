"""Small helpers the services share: who may act, required text, absolute links for mail and QR codes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from workflow.base.errors import InvalidInput, NotPermitted

MAX_TEXT = 4000


def site_url(name: str, *args: Any) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def required_text(value: Any, field: str, message: str) -> str:
    text = str(value or "").strip()
    if not text:
        raise InvalidInput(message, field=field)
    if len(text) > MAX_TEXT:
        raise InvalidInput(_("Nội dung quá dài (tối đa %(n)s ký tự).") % {"n": MAX_TEXT}, field=field)
    return text


def require_active(actor: Any) -> None:
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise NotPermitted(_("Cần đăng nhập."))
