"""The admin of targets, scoring rules and reviews (audited saves), and a read-only view of results.

Results and unit ratings change only through the workflow's services (rights, deadlines and the audit
apply there); the admin shows the results through the same selector as the pages and the API.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from nominations.models import Review, ScoringRule, Target, TargetResult, UnitRating
from nominations.selectors.targets import ratings_visible_to, results_visible_to


class _AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        from workflow.services.targets import reference_save  # the admin is an entry point of the workflow

        reference_save(
            obj=obj, actor=request.user, changed_fields=list(form.changed_data), created=not change
        )


@admin.register(Target)
class TargetAdmin(_AuditedAdmin):
    list_display = [
        "code",
        "name",
        "campaign",
        "unit",
        "kind",
        "threshold",
        "due_on",
        "weight",
        "alternative_group",
    ]
    list_filter = ["campaign", "kind", "unit"]
    search_fields = ["code", "name"]
    list_select_related = ["campaign", "unit"]


@admin.register(ScoringRule)
class ScoringRuleAdmin(_AuditedAdmin):
    list_display = ["campaign", "late_credit", "htxs_from", "htt_from", "ht_from"]


@admin.register(Review)
class ReviewAdmin(_AuditedAdmin):
    list_display = ["campaign", "kind", "covers_until", "held_on"]


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TargetResult)
class TargetResultAdmin(_ReadOnly):
    list_display = ["unit", "target", "period", "value", "delivered_on", "met", "late", "state"]
    list_filter = ["state", "late", "met"]

    def get_queryset(self, request: HttpRequest) -> Any:
        return results_visible_to(user=request.user)


@admin.register(UnitRating)
class UnitRatingAdmin(_ReadOnly):
    list_display = ["unit", "review", "percent", "proposed", "rating", "state"]

    def get_queryset(self, request: HttpRequest) -> Any:
        return ratings_visible_to(user=request.user)
