"""API: reference data, read-only — units, people, campaigns, awards (see API.md)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.routers import BaseRouter

from nominations.models import Award, AwardRule, Campaign, OrgUnit, Person
from workflow.api.filters import PersonFilter
from workflow.api.responses import errors
from workflow.api.serializers import AwardSerializer, CampaignSerializer, PersonSerializer, UnitSerializer


class ReferenceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Any]):
    lookup_value_regex = r"[0-9]+"
    # Reference lists are short: a plain JSON array, not paginated (API.md).
    pagination_class = None


@extend_schema_view(
    list=extend_schema(summary=_("Đơn vị"), responses={200: UnitSerializer(many=True), **errors(401)}),
    retrieve=extend_schema(summary=_("Một đơn vị"), responses={200: UnitSerializer, **errors(401, 404)}),
)
class UnitViewSet(ReferenceViewSet):
    queryset = OrgUnit.objects.all()
    serializer_class = UnitSerializer


@extend_schema_view(
    list=extend_schema(summary=_("Cán bộ"), responses={200: PersonSerializer(many=True), **errors(400, 401)}),
    retrieve=extend_schema(summary=_("Một cán bộ"), responses={200: PersonSerializer, **errors(401, 404)}),
)
class PersonViewSet(ReferenceViewSet):
    queryset = Person.objects.filter(is_active=True).prefetch_related("groups")
    serializer_class = PersonSerializer
    filterset_class = PersonFilter


@extend_schema_view(
    list=extend_schema(
        summary=_("Phong trào thi đua"), responses={200: CampaignSerializer(many=True), **errors(401)}
    ),
    retrieve=extend_schema(
        summary=_("Một phong trào"), responses={200: CampaignSerializer, **errors(401, 404)}
    ),
)
class CampaignViewSet(ReferenceViewSet):
    queryset = Campaign.objects.all()
    serializer_class = CampaignSerializer


@extend_schema_view(
    list=extend_schema(
        summary=_("Danh mục khen thưởng"),
        description=_("Thẩm quyền, biểu quyết và ngưỡng theo phiên bản quy định có hiệu lực hôm nay."),
        responses={200: AwardSerializer(many=True), **errors(401)},
    ),
    retrieve=extend_schema(summary=_("Một danh hiệu"), responses={200: AwardSerializer, **errors(401, 404)}),
)
class AwardViewSet(ReferenceViewSet):
    serializer_class = AwardSerializer

    def get_queryset(self) -> QuerySet[Award]:
        # What `rule_for(award, today)` picks, for every award in one query.
        in_force = AwardRule.objects.in_force_on(timezone.localdate()).order_by("-effective_from")
        return Award.objects.prefetch_related(Prefetch("rules", queryset=in_force, to_attr="rules_in_force"))


def register(router: BaseRouter) -> None:
    """Register this area's viewsets on the API's one router."""
    router.register("units", UnitViewSet, basename="unit")
    router.register("people", PersonViewSet, basename="person")
    router.register("campaigns", CampaignViewSet, basename="campaign")
    router.register("awards", AwardViewSet, basename="award")
