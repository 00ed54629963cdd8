"""Template filters that say whether the person may open a page, so that no page links to one that
would answer 403 (the views check the same functions)."""

from __future__ import annotations

from typing import Any

from django import template

from nominations import roles
from nominations.selectors.decisions import reads_all_documents

register = template.Library()


@register.filter
def reads_documents(user: Any) -> bool:
    """May open the reports to the emulation bloc and Sở Nội vụ (decisions.views `_require_reader`)."""
    return reads_all_documents(user)


@register.filter
def sees_delegations(user: Any) -> bool:
    """May open the delegations of the power to decide (participation.views `delegation_list`)."""
    return roles.is_decider(user) or roles.reads_all_records(user)
