from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest

from nominations.admin_audit import AuditedAdmin
from nominations.admin_base import GuardedInputAdmin, ReadOnlyAdmin
from nominations.models import BaseSalary, Review, ScoringRule, Target
from workflow.models import AuditEvent, Deadline, Holiday, Notification
from workflow.services.base_salary import base_salary_delete, base_salary_save
from workflow.services.targets import reference_save


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit log in the admin: readable by those allowed, editable by nobody."""

    list_display = [
        "seq",
        "at",
        "kind",
        "transition",
        "from_state",
        "to_state",
        "actor_name",
        "actor_role",
        "object_type",
        "object_id",
    ]
    list_filter = ["kind", "transition", "actor_role"]
    search_fields = ["actor_name", "object_id", "comment"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "email", "subject", "sent_at", "attempts"]
    list_filter = ["sent_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Deadline)
class DeadlineAdmin(AuditedAdmin):
    """Deadlines in working days (DOMAIN.md): configurable by the administrator."""

    list_display = ["code", "node", "label", "working_days", "active"]
    list_editable = ["working_days", "active"]
    list_filter = ["node", "active"]


@admin.register(Holiday)
class HolidayAdmin(AuditedAdmin):
    """Public holidays: not working days when deadlines are counted."""

    list_display = ["day", "name"]
    date_hierarchy = "day"


# Roles are groups: a change of a group's permissions in the admin reaches the audit log too.
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(AuditedAdmin, DjangoGroupAdmin):
    pass


# Reference data whose saves are services of the workflow (the audit applies there). They are registered
# here, not in nominations/admin.py, because the domain never imports the workflow.
@admin.register(BaseSalary)
class BaseSalaryAdmin(GuardedInputAdmin):
    """Lương cơ sở by effective date, kept by the administrator. Issued decisions keep the amount they used."""

    list_display = ["effective_from", "amount", "legal_basis"]
    ordering = ["-effective_from"]

    def save_model(self, request: HttpRequest, obj: BaseSalary, form: Any, change: bool) -> None:
        base_salary_save(
            salary=obj, actor=request.user, changed_fields=list(form.changed_data), created=not change
        )

    def delete_model(self, request: HttpRequest, obj: BaseSalary) -> None:
        base_salary_delete(salary=obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


class _ReferenceAdmin(GuardedInputAdmin):
    """Targets, scoring rules and reviews: saved through `reference_save` (audited)."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        reference_save(
            obj=obj, actor=request.user, changed_fields=list(form.changed_data), created=not change
        )


@admin.register(Target)
class TargetAdmin(_ReferenceAdmin):
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
class ScoringRuleAdmin(_ReferenceAdmin):
    list_display = ["campaign", "late_credit", "htxs_from", "htt_from", "ht_from"]


@admin.register(Review)
class ReviewAdmin(_ReferenceAdmin):
    list_display = ["campaign", "kind", "covers_until", "held_on"]
