"""The filters of the lists (django-filter): by campaign, unit, award, state, overdue, and a search."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from nominations.models import Award, Campaign, Nomination, OrgUnit, State
from workflow.base.inputs import FilterSet, IdFilter, ObjectFilter, parse_id
from workflow.models import AuditEvent
from workflow.notify.workdays import Calendar
from workflow.process.sync import overdue_condition
from workflow.process.transitions import registry
from workflow.web.dates import DayMonthYearFilter


def bootstrap_widgets(form: Any) -> Any:
    """Bootstrap's classes on a filter form's widgets, so the list pages render it without crispy-forms
    (its template rendering cost a few ms per list page, measured in bench/ pages)."""
    for field in form.fields.values():
        widget = field.widget
        css = (
            "form-select"
            if getattr(widget, "input_type", None) == "select"
            or widget.__class__.__name__.endswith("Select")
            or widget.__class__.__name__ == "SelectMultiple"
            else "form-control"
        )
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
    return form


class NominationFilter(FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Tìm (tên, đơn vị, thành tích)"))
    campaign = ObjectFilter(
        queryset=Campaign.objects.order_by("-ends_on", "kind", "name"),
        method="in_campaign",
        label=_("Phong trào / đợt"),
    )
    nominating_unit = ObjectFilter(queryset=OrgUnit.objects.all(), label=_("Đơn vị đề nghị"))
    award = ObjectFilter(queryset=Award.objects.all(), label=_("Danh hiệu"))
    state = django_filters.MultipleChoiceFilter(choices=State.choices, label=_("Trạng thái"))
    overdue = django_filters.ChoiceFilter(
        method="only_overdue",
        label=_("Hạn xử lý"),
        choices=[("yes", _("Chỉ hồ sơ quá hạn")), ("no", _("Chưa quá hạn"))],
        empty_label=_("Tất cả"),
    )

    class Meta:
        model = Nomination
        fields = ["q", "campaign", "nominating_unit", "award", "state", "overdue"]

    def __init__(self, *args: Any, calendar: Calendar | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.calendar = calendar
        bootstrap_widgets(self.form)

    def search(self, queryset: QuerySet[Nomination], name: str, value: str) -> QuerySet[Nomination]:
        value = value.strip()
        if not value:
            return queryset
        condition = (
            Q(nominee_person__full_name__icontains=value)
            | Q(nominee_unit__name__icontains=value)
            | Q(nominating_unit__name__icontains=value)
            | Q(summary__icontains=value)
        )
        if (pk := parse_id(value)) is not None:
            condition |= Q(pk=pk)
        return queryset.filter(condition)

    def in_campaign(self, queryset: QuerySet[Nomination], name: str, value: Campaign) -> QuerySet[Nomination]:
        # An annual plan includes its phases and thematic movements.
        return queryset.filter(Q(campaign=value) | Q(campaign__parent=value))

    def only_overdue(self, queryset: QuerySet[Nomination], name: str, value: str) -> QuerySet[Nomination]:
        if value not in {"yes", "no"}:
            return queryset
        condition = overdue_condition(self.calendar or Calendar())
        return queryset.filter(condition) if value == "yes" else queryset.exclude(condition)


def transition_choices() -> list[tuple[str, str]]:
    return sorted(((name, str(spec.label)) for name, spec in registry().items()), key=lambda c: c[1])


class AuditEventFilter(FilterSet):
    nomination = IdFilter(field_name="nomination_id", label=_("Mã hồ sơ"))
    actor = django_filters.CharFilter(
        field_name="actor_name", lookup_expr="icontains", label=_("Người thực hiện")
    )
    kind = django_filters.ChoiceFilter(choices=AuditEvent.Kind.choices, label=_("Loại sự kiện"))
    transition = django_filters.ChoiceFilter(
        field_name="transition",
        label=_("Thao tác"),
        choices=lambda: transition_choices(),
        empty_label=_("Tất cả"),
    )
    since = DayMonthYearFilter(field_name="at", lookup_expr="date__gte", label=_("Từ ngày"))
    until = DayMonthYearFilter(field_name="at", lookup_expr="date__lte", label=_("Đến ngày"))

    class Meta:
        model = AuditEvent
        fields = ["nomination", "actor", "kind", "transition", "since", "until"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap_widgets(self.form)
