"""Query filters of the API's lists (django-filter)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from nominations.models import Nomination, Person, Role, State
from workflow.base.inputs import FilterSet, IdField, parse_id
from workflow.models import AuditEvent


class IdOrCodeFilter(django_filters.CharFilter):
    """A related object named by its id (digits) or by its code (`tkth`, `CSTDCS`)."""

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value in (None, ""):
            return qs
        value = str(value).strip()
        if (pk := parse_id(value)) is not None:
            return qs.filter(**{f"{self.field_name}__pk": pk})
        if value.isascii() and value.isdigit():
            return qs.none()  # an id beyond 64 bits names nothing
        return qs.filter(**{f"{self.field_name}__code": value})


@extend_schema_field(OpenApiTypes.INT)
class IntegerFilter(django_filters.NumberFilter):
    """A whole number (an id): `1.5` or `1e9` is a 400, not a silent match."""

    field_class = IdField


class PersonFilter(FilterSet):
    unit = IdOrCodeFilter(field_name="unit", help_text=_("Đơn vị: mã số hoặc mã đơn vị (vd. tkth)."))
    role = django_filters.ChoiceFilter(
        field_name="groups__name", choices=Role.choices, label=_("Vai trò"), help_text=_("Vai trò.")
    )

    class Meta:
        model = Person
        fields = ["unit", "role"]


class NominationFilter(FilterSet):
    state = django_filters.ChoiceFilter(choices=State.choices, help_text=_("Trạng thái hồ sơ."))
    campaign = IntegerFilter(field_name="campaign_id", help_text=_("Mã số phong trào."))
    unit = IdOrCodeFilter(
        field_name="nominating_unit", help_text=_("Đơn vị đề nghị: mã số hoặc mã đơn vị (vd. tkth).")
    )
    award = IdOrCodeFilter(field_name="award", help_text=_("Danh hiệu: mã số hoặc mã (vd. CSTDCS)."))

    class Meta:
        model = Nomination
        fields = ["state", "campaign", "unit", "award"]


class AuditFilter(FilterSet):
    nomination = IntegerFilter(field_name="nomination_id", help_text=_("Mã số hồ sơ."))
    actor = IntegerFilter(field_name="actor_id", help_text=_("Mã số người thực hiện."))
    since = django_filters.IsoDateTimeFilter(
        field_name="at", lookup_expr="gte", help_text=_("Từ thời điểm (ISO 8601), kể cả thời điểm đó.")
    )

    class Meta:
        model = AuditEvent
        fields = ["nomination", "actor", "since"]
