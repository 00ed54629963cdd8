from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from nominations.models import (
    AnnualRating,
    Award,
    AwardRecord,
    AwardRule,
    BaseSalary,
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

admin.site.site_header = _("ThiĐua — Quản trị hệ thống")
admin.site.site_title = _("ThiĐua")
admin.site.index_title = _("Quản trị danh mục và người dùng")


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "order"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


@admin.register(Person)
class PersonAdmin(UserAdmin):
    list_display = ["username", "full_name", "unit", "position", "role_list", "is_active"]
    list_filter = ["unit", "groups", "is_active"]
    search_fields = ["username", "full_name", "email"]
    list_select_related = ["unit"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Thông tin cán bộ"), {"fields": ("full_name", "email", "unit", "position")}),
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

    @admin.display(description=_("vai trò"))
    def role_list(self, obj: Person) -> str:
        return ", ".join(g.name for g in obj.groups.all() if not g.name.startswith("unit:"))


class AwardRuleInline(admin.StackedInline):
    model = AwardRule
    fk_name = "award"
    extra = 0


@admin.register(Award)
class AwardAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "recipient", "order"]
    list_filter = ["kind", "recipient"]
    inlines = [AwardRuleInline]


@admin.register(AwardRule)
class AwardRuleAdmin(admin.ModelAdmin):
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

    def save_model(self, request: HttpRequest, obj: AwardRule, form: Any, change: bool) -> None:
        from workflow.services.catalogue import award_rule_save  # the admin is an entry point of the workflow

        award_rule_save(
            rule=obj, actor=request.user, changed_fields=list(form.changed_data), created=not change
        )


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "starts_on", "ends_on", "plan_number", "notice_days"]
    list_filter = ["kind"]
    search_fields = ["name", "theme"]
    filter_horizontal = ["units"]


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ["campaign", "unit", "person", "award", "registered_at"]
    list_filter = ["campaign", "unit", "award"]
    list_select_related = ["campaign", "unit", "person", "award"]


@admin.register(AwardRecord)
class AwardRecordAdmin(admin.ModelAdmin):
    list_display = ["year", "award", "person", "unit", "decision_number"]
    list_filter = ["year", "award"]
    search_fields = ["person__full_name", "decision_number"]
    list_select_related = ["award", "person", "unit"]


@admin.register(AnnualRating)
class AnnualRatingAdmin(admin.ModelAdmin):
    list_display = ["year", "person", "rating"]
    list_filter = ["year", "rating", "person__unit"]
    search_fields = ["person__full_name", "person__username"]
    list_select_related = ["person"]
    autocomplete_fields = ["person"]


admin.site.register(Initiative)
admin.site.register(Case)


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin):
    """Read-only: a nomination changes only through the workflow, where rights and the audit apply."""

    list_display = ["id", "award", "nominee_person", "nominee_unit", "nominating_unit", "campaign", "state"]
    list_filter = ["state", "award", "campaign", "nominating_unit"]
    list_select_related = ["award", "nominee_person", "nominee_unit", "nominating_unit", "campaign"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_active and getattr(request.user, "has_role", lambda r: False)("auditor"))


@admin.register(CouncilSession)
class CouncilSessionAdmin(admin.ModelAdmin):
    list_display = ["name", "date", "state"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(BaseSalary)
class BaseSalaryAdmin(admin.ModelAdmin):
    """Lương cơ sở by effective date, kept by the administrator. Issued decisions keep the amount they used."""

    list_display = ["effective_from", "amount", "legal_basis"]
    ordering = ["-effective_from"]

    def save_model(self, request: HttpRequest, obj: BaseSalary, form: Any, change: bool) -> None:
        from workflow.services.decisions import (
            base_salary_save,
        )  # the admin is an entry point of the workflow

        base_salary_save(
            salary=obj, actor=request.user, changed_fields=list(form.changed_data), created=not change
        )

    def delete_model(self, request: HttpRequest, obj: BaseSalary) -> None:
        from workflow.services.decisions import base_salary_delete

        base_salary_delete(salary=obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Documents are issued through the workflow (rights and audit apply); the admin only shows them."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DecisionItemInline(admin.TabularInline):
    model = DecisionItem
    fields = readonly_fields = ("position", "nomination", "reward_multiple", "amount")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Decision)
class DecisionAdmin(_ReadOnlyAdmin):
    list_display = ["number", "date", "campaign", "signer", "base_salary"]
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
class UpwardSubmissionAdmin(_ReadOnlyAdmin):
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
class ReportAdmin(_ReadOnlyAdmin):
    list_display = ["number", "date", "campaign", "state", "issued_at"]
    list_select_related = ["campaign"]
    search_fields = ["number"]
    inlines = [ReportItemInline]


# --- (certsign) certificates -----------------------------------------------------------------------------
@admin.register(CertificateLayout)
class CertificateLayoutAdmin(admin.ModelAdmin):
    """The layout of an award's certificate: lines placed in mm. Each change is written to the audit log."""

    list_display = ["award", "title", "page_size", "updated_at"]

    def save_model(self, request: HttpRequest, obj: CertificateLayout, form: Any, change: bool) -> None:
        from workflow.services.certificates import certificate_layout_save

        certificate_layout_save(layout=obj, actor=request.user, changed_fields=list(form.changed_data))


@admin.register(CertificatePrintSettings)
class CertificatePrintSettingsAdmin(admin.ModelAdmin):
    """The printer's offsets for pre-printed paper (also on the page /giay-khen/can-chinh/)."""

    list_display = ["offset_x_mm", "offset_y_mm", "updated_by", "updated_at"]
    fields = ["offset_x_mm", "offset_y_mm"]

    def save_model(
        self, request: HttpRequest, obj: CertificatePrintSettings, form: Any, change: bool
    ) -> None:
        from workflow.services.certificates import print_settings_save

        print_settings_save(actor=request.user, offset_x_mm=obj.offset_x_mm, offset_y_mm=obj.offset_y_mm)
