"""API: targets, the units' periodic results, the review's unit ratings, the bulk import of yearly ratings.

Thin entry points over `workflow.services.targets` / `ratings_import` and the selectors the pages use:
a unit head reads and reports their own unit's results only (404 for another unit's), the office
returns, confirms, reopens and scores; every refusal is a 400/403/404/409 with a message.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from nominations.models import (
    Campaign,
    OrgUnit,
    Review,
    Target,
    TargetEvidence,
    TargetResult,
    UnitRating,
)
from nominations.selectors.targets import (
    follows_all_units,
    ratings_visible_to,
    results_visible_to,
    targets_visible_to,
)
from workflow.api.filters import IntegerFilter
from workflow.api.nominations import caller
from workflow.api.responses import errors
from workflow.base.inputs import FilterSet, IdSerializerField, InputSerializer
from workflow.services import ratings_import
from workflow.services import target_reviews as reviews
from workflow.services import targets as services


# --- filters (the lists' query strings, parsed like every other list's: a bad id is a JSON 400) ---------------
class TargetFilter(FilterSet):
    campaign = IntegerFilter(field_name="campaign_id", help_text=gettext_lazy("Mã số phong trào."))

    class Meta:
        model = Target
        fields = ["campaign"]


class ResultFilter(FilterSet):
    campaign = IntegerFilter(field_name="target__campaign_id", help_text=gettext_lazy("Mã số phong trào."))
    target = IntegerFilter(field_name="target_id", help_text=gettext_lazy("Mã số chỉ tiêu."))
    unit = django_filters.CharFilter(field_name="unit__code", help_text=gettext_lazy("Mã đơn vị (vd. tkth)."))
    period = django_filters.CharFilter(help_text=gettext_lazy("Kỳ báo cáo (vd. 2023-Q1)."))

    class Meta:
        model = TargetResult
        fields = ["campaign", "target", "unit", "period"]


class UnitRatingFilter(FilterSet):
    review = IntegerFilter(field_name="review_id", help_text=gettext_lazy("Mã số kỳ sơ kết, tổng kết."))

    class Meta:
        model = UnitRating
        fields = ["review"]


# --- serializers ---------------------------------------------------------------------------------------------
class TargetSerializer(serializers.ModelSerializer[Target]):
    unit: serializers.SlugRelatedField[OrgUnit] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    periods = serializers.ListField(child=serializers.CharField(), read_only=True)
    report_days = serializers.IntegerField(read_only=True)
    order = serializers.IntegerField(read_only=True)

    class Meta:
        model = Target
        fields = [
            "id",
            "campaign",
            "unit",
            "code",
            "name",
            "kind",
            "threshold",
            "due_on",
            "periods",
            "weight",
            "alternative_group",
            "report_days",
            "basis_number",
            "basis_article",
            "order",
        ]


class EvidenceSerializer(serializers.ModelSerializer[TargetEvidence]):
    size = serializers.IntegerField(read_only=True)

    class Meta:
        model = TargetEvidence
        fields = ["id", "original_name", "content_type", "size", "uploaded_at"]


class TargetResultSerializer(serializers.ModelSerializer[TargetResult]):
    target_code = serializers.CharField(source="target.code", read_only=True)
    unit: serializers.SlugRelatedField[OrgUnit] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = TargetResult
        fields = [
            "id",
            "target",
            "target_code",
            "unit",
            "period",
            "period_ends_on",
            "value",
            "delivered_on",
            "comment",
            "met",
            "due_on",
            "late",
            "state",
            "return_reason",
            "reported_at",
            "confirmed_at",
            "evidence",
        ]


class ResultReportSerializer(InputSerializer):
    target = IdSerializerField()
    period = serializers.CharField(
        max_length=16, help_text="2023-M01 … 2023-M12, 2023-Q1 … Q4, 2023-H1, 2023-9M, 2023-Y"
    )
    value = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    delivered_on = serializers.CharField(
        max_length=16, required=False, allow_blank=True, default="", help_text="YYYY-MM-DD or dd/mm/yyyy"
    )
    comment = serializers.CharField(
        max_length=services.MAX_TEXT, required=False, allow_blank=True, default=""
    )
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class TargetReasonSerializer(InputSerializer):
    reason = serializers.CharField(max_length=services.MAX_TEXT)


class ReviewSerializer(serializers.ModelSerializer[Review]):
    class Meta:
        model = Review
        fields = ["id", "campaign", "kind", "covers_until", "held_on"]


class ReviewCreateSerializer(InputSerializer):
    campaign = IdSerializerField()
    kind = serializers.ChoiceField(choices=Review.Kind.choices)


class UnitRatingSerializer(serializers.ModelSerializer[UnitRating]):
    unit: serializers.SlugRelatedField[OrgUnit] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    computation = serializers.JSONField(read_only=True)

    class Meta:
        model = UnitRating
        fields = [
            "id",
            "review",
            "unit",
            "percent",
            "proposed",
            "rating",
            "state",
            "reason",
            "confirmed_at",
            "computation",
        ]


class UnitRatingConfirmSerializer(InputSerializer):
    rating = serializers.CharField(max_length=8, required=False, allow_blank=True, default="")
    reason = serializers.CharField(max_length=services.MAX_TEXT, required=False, allow_blank=True, default="")


class RatingImportSerializer(InputSerializer):
    file = serializers.FileField()
    unit = serializers.CharField(
        max_length=32, required=False, allow_blank=True, default="", help_text="unit code (office)"
    )


class RowErrorSerializer(serializers.Serializer[Any]):
    """A spreadsheet row's errors by column, the shape of API.md's imports."""

    row = serializers.IntegerField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))  # type: ignore[assignment]


class ImportRowSerializer(serializers.Serializer[Any]):
    row = serializers.IntegerField()
    username = serializers.CharField(source="person.username")
    year = serializers.IntegerField()
    rating = serializers.CharField()
    current = serializers.CharField()
    changes = serializers.BooleanField()


class RatingImportResultSerializer(serializers.Serializer[Any]):
    unit = serializers.CharField()
    ok = serializers.BooleanField()
    committed = serializers.BooleanField()
    changed = serializers.IntegerField()
    ratings = ImportRowSerializer(many=True)
    rows = RowErrorSerializer(many=True, help_text="row errors: [{row, errors: {column: [messages]}}]")


# --- viewsets -------------------------------------------------------------------------------------------------
class TargetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Target]):
    """Chỉ tiêu thi đua: `GET ?campaign=` — those of the caller's unit for a unit head, all for the office."""

    lookup_value_regex = r"[0-9]+"  # ASCII digits only: int("١٢") is 12, "²" fails int()
    serializer_class = TargetSerializer

    filterset_class = TargetFilter

    def get_queryset(self) -> QuerySet[Target]:
        return targets_visible_to(user=self.request.user)


class ResultViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[TargetResult]):
    """Kết quả thực hiện chỉ tiêu: `GET ?campaign=&unit=&period=&target=`, `POST` (report), return/confirm/reopen."""

    lookup_value_regex = r"[0-9]+"  # ASCII digits only: int("١٢") is 12, "²" fails int()
    filterset_class = ResultFilter
    serializer_class = TargetResultSerializer

    def get_queryset(self) -> QuerySet[TargetResult]:
        return (
            results_visible_to(user=self.request.user)
            .prefetch_related("evidence")
            .order_by("unit__order", "target__order", "period_ends_on", "pk")
        )

    @extend_schema(
        request={"multipart/form-data": ResultReportSerializer, "application/json": ResultReportSerializer},
        responses={201: TargetResultSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The caller's unit's result for a target and period (a second report corrects it until confirmed)."""
        form = ResultReportSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        target = targets_visible_to(user=request.user).filter(pk=data["target"]).first()
        if target is None:
            raise ValidationError(
                {"target": [_("Không có chỉ tiêu này (hoặc không áp dụng cho đơn vị của bạn).")]}
            )
        result = services.result_report(
            actor=caller(request),
            target=target,
            period=data["period"],
            value=data["value"],
            delivered_on=data["delivered_on"],
            comment=data["comment"],
            files=data["files"],
        )
        return Response(TargetResultSerializer(result).data, status=status.HTTP_201_CREATED)

    def get_parsers(self) -> list[Any]:
        return [JSONParser(), MultiPartParser(), FormParser()]

    @extend_schema(
        request=TargetReasonSerializer,
        responses={200: TargetResultSerializer, **errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: str | None = None) -> Response:
        """The office returns a report to its unit, with a reason."""
        result = self.get_object()
        data = TargetReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = services.result_return(
            actor=caller(request), result=result, reason=data.validated_data["reason"]
        )
        return Response(TargetResultSerializer(row).data)

    @extend_schema(request=None, responses={200: TargetResultSerializer, **errors(401, 403, 404, 409)})
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        """The office confirms a report: no edit after it unless reopened."""
        row = services.result_confirm(actor=caller(request), result=self.get_object())
        return Response(TargetResultSerializer(row).data)

    @extend_schema(
        request=TargetReasonSerializer,
        responses={200: TargetResultSerializer, **errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        """The office reopens a confirmed report for correction, with a reason."""
        result = self.get_object()
        data = TargetReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = services.result_reopen(
            actor=caller(request), result=result, reason=data.validated_data["reason"]
        )
        return Response(TargetResultSerializer(row).data)


class ReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Review]):
    """Sơ kết, tổng kết: `POST` opens one (office), `POST {id}/propose/` scores every unit."""

    lookup_value_regex = r"[0-9]+"  # ASCII digits only: int("١٢") is 12, "²" fails int()
    serializer_class = ReviewSerializer

    def get_queryset(self) -> QuerySet[Review]:
        user = self.request.user
        qs = Review.objects.order_by("campaign", "covers_until", "pk")
        return qs if follows_all_units(user) else qs.none()

    @extend_schema(request=ReviewCreateSerializer, responses={201: ReviewSerializer, **errors(400, 401, 403)})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        form = ReviewCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        campaign = Campaign.objects.filter(pk=form.validated_data["campaign"]).first()
        if campaign is None:
            raise ValidationError({"campaign": [_("Không có phong trào này.")]})
        review = reviews.review_get_or_create(
            actor=caller(request), campaign=campaign, kind=form.validated_data["kind"]
        )
        return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: UnitRatingSerializer(many=True), **errors(401, 403, 404)})
    @action(detail=True, methods=["post"])
    def propose(self, request: Request, pk: str | None = None) -> Response:
        """Score each unit's results by the campaign's scoring rule and propose its rating."""
        ratings = reviews.review_propose(actor=caller(request), review=self.get_object())
        return Response(UnitRatingSerializer(ratings, many=True).data)


class UnitRatingViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[UnitRating]
):
    """Xếp loại đơn vị: `GET ?review=`, `POST {id}/confirm/` (with `rating` and `reason` to correct it)."""

    lookup_value_regex = r"[0-9]+"  # ASCII digits only: int("١٢") is 12, "²" fails int()
    serializer_class = UnitRatingSerializer

    filterset_class = UnitRatingFilter

    def get_queryset(self) -> QuerySet[UnitRating]:
        return ratings_visible_to(user=self.request.user).order_by("review", "unit__order", "pk")

    @extend_schema(
        request=UnitRatingConfirmSerializer,
        responses={200: UnitRatingSerializer, **errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        rating = self.get_object()
        form = UnitRatingConfirmSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        row = reviews.unit_rating_confirm(
            actor=caller(request),
            unit_rating=rating,
            rating=form.validated_data["rating"],
            reason=form.validated_data["reason"],
        )
        return Response(UnitRatingSerializer(row).data)


class RatingImportViewSet(viewsets.GenericViewSet[Any]):
    """Nhập xếp loại hằng năm của cá nhân từ Excel: `POST preview/` (nothing written), `POST commit/`."""

    serializer_class = RatingImportSerializer
    parser_classes = [MultiPartParser, FormParser]

    def _run(self, request: Request, *, write: bool) -> Response:
        form = RatingImportSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        code = form.validated_data["unit"].strip()
        unit = None
        if code:
            unit = OrgUnit.objects.filter(code=code).first()
            if unit is None:
                raise ValidationError({"unit": [_("Không có đơn vị mã %(code)s.") % {"code": code}]})
        actor = caller(request)
        if write:
            checked, changed = ratings_import.commit(
                actor=actor, upload=form.validated_data["file"], unit=unit
            )
        else:
            checked, changed = (
                ratings_import.preview(actor=actor, upload=form.validated_data["file"], unit=unit),
                0,
            )
        body = RatingImportResultSerializer(
            {
                "unit": checked.unit.code,
                "ok": checked.ok,
                "committed": write and checked.ok,
                "changed": changed,
                "ratings": checked.rows,
                "rows": checked.errors.as_list(),
            }
        ).data
        return Response(
            body, status=status.HTTP_400_BAD_REQUEST if write and not checked.ok else status.HTTP_200_OK
        )

    @extend_schema(
        request={"multipart/form-data": RatingImportSerializer},
        responses={200: RatingImportResultSerializer, **errors(400, 401, 403)},
    )
    @action(detail=False, methods=["post"])
    def preview(self, request: Request) -> Response:
        return self._run(request, write=False)

    @extend_schema(
        request={"multipart/form-data": RatingImportSerializer},
        responses={
            200: RatingImportResultSerializer,
            400: RatingImportResultSerializer,
            401: errors(401)[401],
            403: errors(403)[403],
        },
    )
    @action(detail=False, methods=["post"])
    def commit(self, request: Request) -> Response:
        """All rows or none; a second commit of the same sheet changes nothing."""
        return self._run(request, write=True)


def register(router: BaseRouter) -> None:
    router.register("targets", TargetViewSet, basename="target")
    router.register("target-results", ResultViewSet, basename="target-result")
    router.register("reviews", ReviewViewSet, basename="review")
    router.register("unit-ratings", UnitRatingViewSet, basename="unit-rating")
    router.register("rating-imports", RatingImportViewSet, basename="rating-import")
