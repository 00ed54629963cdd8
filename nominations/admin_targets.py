"""A read-only view of target results and unit ratings in the admin.

Results and unit ratings change only through the workflow's services (rights, deadlines and the audit
apply there); the admin shows the results through the same selector as the pages and the API. Targets,
scoring rules, reviews and the base salary are kept in `workflow/admin.py`, whose saves go through the
workflow's services (the domain never imports the workflow).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from nominations.admin_base import ReadOnlyAdmin
from nominations.models import TargetResult, UnitRating
from nominations.selectors.targets import ratings_visible_to, results_visible_to


@admin.register(TargetResult)
class TargetResultAdmin(ReadOnlyAdmin):
    list_display = ["unit", "target", "period", "value", "delivered_on", "met", "late", "state"]
    list_filter = ["state", "late", "met"]

    def get_queryset(self, request: HttpRequest) -> Any:
        return results_visible_to(user=request.user)


@admin.register(UnitRating)
class UnitRatingAdmin(ReadOnlyAdmin):
    list_display = ["unit", "review", "percent", "proposed", "rating", "state"]

    def get_queryset(self, request: HttpRequest) -> Any:
        return ratings_visible_to(user=request.user)
