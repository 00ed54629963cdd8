from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.db import router, transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from nominations import roles
from nominations.access import Perm, holds
from nominations.admin_audit import AuditedAdmin, announce, announce_password_change
from nominations.admin_base import ReadOnlyAdmin, guarded
from nominations.models import (
    AnnualRating,
    Award,
    AwardRecord,
    AwardRule,
    Campaign,
    Case,
    CertificateLayout,
    CertificatePrintSettings,
    Commitment,
    CouncilSession,
    Decision,
    DecisionItem,
    Initiative,
    Nomination,
    OrgUnit,
    Person,
    Report,
    ReportItem,
    UpwardSubmission,
    UpwardSubmissionItem,
)
from nominations.selectors.nominations import nominations_visible_to

admin.site.site_header = _("ThiĐua — Quản trị hệ thống")
admin.site.site_title = _("ThiĐua")
admin.site.index_title = _("Quản trị danh mục và người dùng")

_site_password_change = admin.site.password_change


def _audited_password_change(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """One's own password change in the admin reaches the chained log, in its transaction."""
    with transaction.atomic():
        response = _site_password_change(request, extra_context)
        if request.method == "POST" and response.status_code == 302:
            announce_password_change(actor=request.user, person=request.user)  # type: ignore[arg-type]
    return response


admin.site.password_change = _audited_password_change  # type: ignore[method-assign,assignment]


@admin.register(OrgUnit)
class OrgUnitAdmin(AuditedAdmin):
    list_display = ["code", "name", "kind", "parent", "order"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


@admin.register(Person)
class PersonAdmin(AuditedAdmin, UserAdmin):
    list_display = ["username", "full_name", "unit", "position", "role_list", "is_active"]
    list_filter = ["unit", "groups", "is_active"]
    search_fields = ["username", "full_name", "email"]
    list_select_related = ["unit"]
    change_password_form = guarded(AdminPasswordChangeForm)  # the login refuses what it would accept
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Thông tin cán bộ"),
            {"fields": ("full_name", "email", "unit", "position", "statistics_category")},
        ),
        (_("Vai trò"), {"fields": ("is_active", "is_staff", "groups")}),
        (_("Thời điểm"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "full_name", "unit", "position", "password1", "password2"),
            },
        ),
    )

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).prefetch_related("groups")

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        # Django's password view saves outside a transaction; the audit event must share the change's.
        with transaction.atomic(using=router.db_for_write(self.model)):
            request._admin_password_change = True  # type: ignore[attr-defined]
            return super().user_change_password(request, id, form_url)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        entry = super().log_change(request, obj, message)
        if getattr(request, "_admin_password_change", False):
            # What changed, never the password nor its hash.
            usable = {"before": None, "after": obj.has_usable_password()}
            announce(request, obj, "password_changed", {"usable_password": usable})
        return entry

    @admin.display(description=_("vai trò"))
    def role_list(self, obj: Person) -> str:
        return ", ".join(g.name for g in obj.groups.all() if not g.name.startswith("unit:"))


class AwardRuleInline(admin.StackedInline):
    model = AwardRule
    fk_name = "award"
    extra = 0


@admin.register(Award)
class AwardAdmin(AuditedAdmin):
    list_display = ["code", "name", "kind", "recipient", "statistics_category", "order"]
    list_filter = ["kind", "recipient", "statistics_category"]
    inlines = [AwardRuleInline]


@admin.register(AwardRule)
class AwardRuleAdmin(AuditedAdmin):
    list_display = [
        "award",
        "effective_from",
        "effective_to",
        "authority",
        "requires_vote",
        "secret_ballot",
        "threshold",
        "threshold_base",
        "legal_basis",
    ]
    list_filter = ["award", "authority"]
    list_select_related = ["award"]
    # Logged through AuditedAdmin (before → after), like the rules edited inline in AwardAdmin.


@admin.register(Campaign)
class CampaignAdmin(AuditedAdmin):
    list_display = [
        "name",
        "kind",
        "launched_level",
        "scope",
        "starts_on",
        "ends_on",
        "plan_number",
        "notice_days",
    ]
    list_filter = ["kind", "launched_level", "scope"]
    search_fields = ["name", "theme"]
    filter_horizontal = ["units"]


@admin.register(Commitment)
class CommitmentAdmin(AuditedAdmin):
    list_display = ["campaign", "unit", "person", "award", "registered_at"]
    list_filter = ["campaign", "unit", "award"]
    list_select_related = ["campaign", "unit", "person", "award"]


@admin.register(AwardRecord)
class AwardRecordAdmin(AuditedAdmin):
    list_display = ["year", "award", "person", "unit", "decision_number", "method"]
    list_filter = ["year", "award", "method"]
    search_fields = ["person__full_name", "decision_number"]
    list_select_related = ["award", "person", "unit"]


@admin.register(AnnualRating)
class AnnualRatingAdmin(AuditedAdmin):
    list_display = ["year", "person", "rating"]
    list_filter = ["year", "rating", "person__unit"]
    search_fields = ["person__full_name", "person__username"]
    list_select_related = ["person"]
    autocomplete_fields = ["person"]


admin.site.register(Initiative, AuditedAdmin)
admin.site.register(Case, AuditedAdmin)


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdmin):
    """Read-only: a nomination changes only through the workflow, where rights and the audit apply."""

    list_display = ["id", "award", "nominee_person", "nominee_unit", "nominating_unit", "campaign", "state"]
    list_filter = ["state", "award", "campaign", "nominating_unit"]
    list_select_related = ["award", "nominee_person", "nominee_unit", "nominating_unit", "campaign"]

    def get_queryset(self, request: HttpRequest) -> Any:
        # The same per-object rights as every page and the API (`nominations.access`), never Django's own.
        return nominations_visible_to(user=request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not (request.user.is_active and roles.is_auditor(request.user)):
            return False
        return obj is None or holds(request.user, Perm.VIEW, obj)


@admin.register(CouncilSession)
class CouncilSessionAdmin(ReadOnlyAdmin):
    list_display = ["name", "date", "state"]


# Documents (decisions, upward submissions, reports) are issued through the workflow, where rights and the
# audit apply; the admin only shows them.


class DecisionItemInline(admin.TabularInline):
    model = DecisionItem
    fields = readonly_fields = ("position", "nomination", "reward_multiple", "amount")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["number", "date", "campaign", "signer", "base_salary", "method"]
    list_select_related = ["campaign", "signer"]
    search_fields = ["number"]
    inlines = [DecisionItemInline]


class UpwardSubmissionItemInline(admin.TabularInline):
    model = UpwardSubmissionItem
    fields = readonly_fields = ("position", "nomination", "outcome_date")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(UpwardSubmission)
class UpwardSubmissionAdmin(ReadOnlyAdmin):
    list_display = ["number", "date", "addressee_name", "campaign", "signer"]
    list_select_related = ["campaign", "signer"]
    search_fields = ["number"]
    inlines = [UpwardSubmissionItemInline]


class ReportItemInline(admin.TabularInline):
    model = ReportItem
    fields = readonly_fields = ("position", "nomination")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["number", "date", "campaign", "state", "issued_at"]
    list_select_related = ["campaign"]
    search_fields = ["number"]
    inlines = [ReportItemInline]


# --- certificates -------------------------------------------------------------------------------------------
@admin.register(CertificateLayout)
class CertificateLayoutAdmin(AuditedAdmin):
    """The layout of an award's certificate: lines placed in mm. Each change reaches the audit log."""

    list_display = ["award", "title", "page_size", "updated_at"]


@admin.register(CertificatePrintSettings)
class CertificatePrintSettingsAdmin(AuditedAdmin):
    """The printer's offsets for pre-printed paper (also on the page /giay-khen/can-chinh/)."""

    list_display = ["offset_x_mm", "offset_y_mm", "updated_by", "updated_at"]
    fields = ["offset_x_mm", "offset_y_mm"]

    def save_model(
        self, request: HttpRequest, obj: CertificatePrintSettings, form: Any, change: bool
    ) -> None:
        obj.updated_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)


from nominations import admin_targets  # noqa: E402, F401 -- the targets' admin, in its own module
