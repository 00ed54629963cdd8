from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest

from nominations.admin_audit import AuditedAdmin
from workflow.models import AuditEvent, Deadline, Holiday, Notification


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
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

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


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
