"""Template filters of the decisions pages."""

from __future__ import annotations

from decimal import Decimal

from django import template

from nominations.documents.vietnamese import money, multiple_text

register = template.Library()


@register.filter
def vnd(amount: Decimal | int | None) -> str:
    """2520000 → "2.520.000", as the documents write it."""
    return "" if amount is None else money(amount)


@register.filter
def multiple(value: Decimal | None) -> str:
    return "" if value is None else multiple_text(value)
