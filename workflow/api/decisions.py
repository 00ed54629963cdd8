"""API: decisions, upward submissions and reports (documented in docs/api-extensions.md).

The same selectors scope what each caller sees (404 otherwise) and the same services do the work as on
the pages; refusals map to 400 / 403 / 409 through `workflow.api.errors`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from nominations.documents.data import nominee_name, report_counts, report_lines
from nominations.models import (
    Addressee,
    Campaign,
    Decision,
    DecisionItem,
    Report,
    UpwardSubmission,
    UpwardSubmissionItem,
)
from nominations.selectors.decisions import (
    decisions_visible_to,
    reports_visible_to,
    upward_submissions_visible_to,
)
from nominations.selectors.nominations import nominations_visible_to
from workflow.base.inputs import IdSerializerField, InputSerializer, ObjectSerializerField
from workflow.documents.downloads import render_document
from workflow.services import decisions as services
from workflow.services import reports as report_services
from workflow.services import upward_submissions as upward_services

DOWNLOAD = OpenApiResponse(
    description=_("Tệp văn bản (.docx / .xlsx / .pdf); 503 nếu máy chủ không tạo được PDF.")
)


# --- serializers --------------------------------------------------------------------------------------
class _DocumentSerializer(serializers.ModelSerializer):
    campaign: serializers.PrimaryKeyRelatedField[Campaign] = serializers.PrimaryKeyRelatedField(
        read_only=True
    )
    signer: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(read_only=True)
    signer_name = serializers.SerializerMethodField()

    def get_signer_name(self, obj: Any) -> str:
        return str(obj.signer.get_full_name())


class DecisionItemSerializer(serializers.ModelSerializer):
    nominee = serializers.SerializerMethodField()
    award = serializers.CharField(source="nomination.award.code")
    state = serializers.CharField(source="nomination.state")
    amount = serializers.SerializerMethodField()
    revoked = serializers.BooleanField(source="is_revoked")

    class Meta:
        model = DecisionItem
        fields = [
            "position",
            "nomination",
            "nominee",
            "award",
            "reward_multiple",
            "amount",
            "state",
            "revoked",
        ]

    def get_nominee(self, obj: DecisionItem) -> str:
        return nominee_name(obj.nomination)

    def get_amount(self, obj: DecisionItem) -> int:
        return int(obj.amount)


class DecisionSerializer(_DocumentSerializer):
    base_salary = serializers.SerializerMethodField()
    total = serializers.SerializerMethodField()
    total_in_force = serializers.SerializerMethodField()
    items = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = [
            "id",
            "number",
            "date",
            "campaign",
            "signer",
            "signer_name",
            "signer_title",
            "base_salary",
            "base_salary_basis",
            "total",
            "total_in_force",
            "items",
            "created_at",
        ]

    def get_base_salary(self, obj: Decision) -> int:
        return int(obj.base_salary)

    def get_total(self, obj: Decision) -> int:
        return int(obj.total)

    def get_total_in_force(self, obj: Decision) -> int:
        return int(obj.total_in_force)

    def get_items(self, obj: Decision) -> list[dict[str, Any]]:
        items = obj.items.select_related(
            "nomination__award", "nomination__nominee_person", "nomination__nominee_unit"
        ).order_by("position")
        return list(DecisionItemSerializer(items, many=True).data)


class DecisionCreateSerializer(InputSerializer):
    nominations = serializers.ListField(child=IdSerializerField(), allow_empty=False)
    number = serializers.CharField(max_length=60)
    date = serializers.DateField()
    signer = IdSerializerField()
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class NominationReasonSerializer(InputSerializer):
    nomination = IdSerializerField()
    comment = serializers.CharField(allow_blank=True, max_length=2000)


class SubmissionItemSerializer(serializers.ModelSerializer):
    nominee = serializers.SerializerMethodField()
    award = serializers.CharField(source="nomination.award.code")
    state = serializers.CharField(source="nomination.state")
    outcome_decision_number = serializers.CharField(source="nomination.outcome_decision_number")

    class Meta:
        model = UpwardSubmissionItem
        fields = [
            "position",
            "nomination",
            "nominee",
            "award",
            "state",
            "outcome_decision_number",
            "outcome_date",
        ]

    def get_nominee(self, obj: UpwardSubmissionItem) -> str:
        return nominee_name(obj.nomination)


class SubmissionSerializer(_DocumentSerializer):
    items = serializers.SerializerMethodField()

    class Meta:
        model = UpwardSubmission
        fields = [
            "id",
            "number",
            "date",
            "campaign",
            "addressee",
            "addressee_name",
            "signer",
            "signer_name",
            "signer_title",
            "items",
            "created_at",
        ]

    def get_items(self, obj: UpwardSubmission) -> list[dict[str, Any]]:
        items = obj.items.select_related(
            "nomination__award", "nomination__nominee_person", "nomination__nominee_unit"
        ).order_by("position")
        return list(SubmissionItemSerializer(items, many=True).data)


class SubmissionCreateSerializer(InputSerializer):
    nominations = serializers.ListField(child=IdSerializerField(), allow_empty=False)
    number = serializers.CharField(max_length=60)
    date = serializers.DateField()
    addressee = serializers.ChoiceField(choices=Addressee.choices)
    addressee_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    signer = IdSerializerField()
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class OutcomeSerializer(InputSerializer):
    nomination = IdSerializerField()
    granted = serializers.BooleanField()
    decision_number = serializers.CharField(max_length=60)
    decision_date = serializers.DateField(required=False, allow_null=True, default=None)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ReportSerializer(_DocumentSerializer):
    recipients = serializers.ListField(source="recipient_list", child=serializers.CharField())
    issued_by: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(read_only=True)
    nominations = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id",
            "number",
            "date",
            "campaign",
            "state",
            "recipients",
            "signer",
            "signer_name",
            "signer_title",
            "issued_by",
            "issued_at",
            "nominations",
            "created_at",
        ]

    def get_nominations(self, obj: Report) -> list[int]:
        return list(obj.items.order_by("position").values_list("nomination_id", flat=True))


class ReportDetailSerializer(ReportSerializer):
    counts = serializers.SerializerMethodField()
    lines = serializers.SerializerMethodField()

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "counts", "lines"]

    def get_counts(self, obj: Report) -> dict[str, Any]:
        return report_counts(obj)

    def get_lines(self, obj: Report) -> list[dict[str, Any]]:
        return [
            {
                "position": line.position,
                "nomination": line.nomination_id,
                "nominee": line.name,
                "unit": line.unit,
                "award": line.award,
                "level": line.level,
                "decision_number": line.decision_number,
                "decision_date": line.decision_date,
            }
            for line in report_lines(obj)
        ]


class ReportCreateSerializer(InputSerializer):
    campaign = ObjectSerializerField(queryset=Campaign.objects.all())
    number = serializers.CharField(max_length=60)
    date = serializers.DateField()
    signer = IdSerializerField()
    recipients = serializers.ListField(
        child=serializers.CharField(max_length=300), required=False, default=list, max_length=20
    )


def _valid(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _all_visible(request: Request, ids: list[int]) -> None:
    """A batch naming a nomination the caller may not see is a 404, like one naming no nomination at all:
    a 403 for the one and a 400 for the other told a unit head which ids exist elsewhere (issue #15)."""
    wanted = set(ids)
    seen = set(nominations_visible_to(user=request.user).filter(pk__in=wanted).values_list("pk", flat=True))
    if seen != wanted:
        raise NotFound()


# --- viewsets -------------------------------------------------------------------------------------------
class DecisionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = DecisionSerializer

    def get_queryset(self) -> QuerySet[Decision]:
        return decisions_visible_to(user=self.request.user).order_by("-date", "-id")

    @extend_schema(request=DecisionCreateSerializer, responses={201: DecisionSerializer})
    def create(self, request: Request) -> Response:
        data = _valid(DecisionCreateSerializer, request)
        _all_visible(request, data["nominations"])
        decision = services.decision_issue(actor=request.user, **data)
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=NominationReasonSerializer, responses={200: DecisionSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        decision = self.get_object()
        data = _valid(NominationReasonSerializer, request)
        item = get_object_or_404(
            decision.items.select_related("nomination"), nomination_id=data["nomination"]
        )
        services.decision_revoke(nomination=item.nomination, actor=request.user, reason=data["comment"])
        return Response(DecisionSerializer(decision).data)

    @extend_schema(
        request=NominationReasonSerializer, responses={200: OpenApiResponse(description="{id, state}")}
    )
    @action(detail=False, methods=["post"])
    def decline(self, request: Request) -> Response:
        data = _valid(NominationReasonSerializer, request)
        nomination = get_object_or_404(nominations_visible_to(user=request.user), pk=data["nomination"])
        declined = services.decision_decline(
            nomination=nomination, actor=request.user, reason=data["comment"]
        )
        return Response({"id": declined.pk, "state": declined.state})

    @extend_schema(responses={200: DOWNLOAD})
    @action(detail=True, methods=["get"], url_path=r"download/(?P<fmt>docx|pdf)")
    def download(self, request: Request, pk: str | None = None, fmt: str = "docx") -> Any:
        return render_document("decision", self.get_object(), fmt)


class UpwardSubmissionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = SubmissionSerializer

    def get_queryset(self) -> QuerySet[UpwardSubmission]:
        return upward_submissions_visible_to(user=self.request.user).order_by("-date", "-id")

    @extend_schema(request=SubmissionCreateSerializer, responses={201: SubmissionSerializer})
    def create(self, request: Request) -> Response:
        data = _valid(SubmissionCreateSerializer, request)
        _all_visible(request, data["nominations"])
        submission = upward_services.upward_submission_create(actor=request.user, **data)
        return Response(SubmissionSerializer(submission).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=OutcomeSerializer, responses={200: SubmissionSerializer})
    @action(detail=True, methods=["post"])
    def outcomes(self, request: Request, pk: str | None = None) -> Response:
        submission = self.get_object()
        data = _valid(OutcomeSerializer, request)
        item = get_object_or_404(
            submission.items.select_related("nomination"), nomination_id=data.pop("nomination")
        )
        upward_services.upward_outcome_record(nomination=item.nomination, actor=request.user, **data)
        return Response(SubmissionSerializer(submission).data)

    @extend_schema(responses={200: DOWNLOAD})
    @action(detail=True, methods=["get"], url_path=r"download/(?P<fmt>docx|pdf)")
    def download(self, request: Request, pk: str | None = None, fmt: str = "docx") -> Any:
        return render_document("submission", self.get_object(), fmt)


class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    def get_queryset(self) -> QuerySet[Report]:
        return reports_visible_to(user=self.request.user).order_by("-date", "-id")

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return ReportDetailSerializer if self.action == "retrieve" else ReportSerializer

    @extend_schema(request=ReportCreateSerializer, responses={201: ReportSerializer})
    def create(self, request: Request) -> Response:
        data = _valid(ReportCreateSerializer, request)
        report = report_services.report_create(actor=request.user, **data)
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: ReportDetailSerializer})
    @action(detail=True, methods=["post"])
    def issue(self, request: Request, pk: str | None = None) -> Response:
        report = report_services.report_issue(report=self.get_object(), actor=request.user)
        return Response(ReportDetailSerializer(report).data)

    @extend_schema(responses={200: DOWNLOAD})
    @action(detail=True, methods=["get"], url_path=r"download/(?P<fmt>docx|xlsx|pdf)")
    def download(self, request: Request, pk: str | None = None, fmt: str = "docx") -> Any:
        return render_document("report", self.get_object(), fmt)


def register(router: BaseRouter) -> None:
    """Register this area's viewsets on the API's one router."""
    router.register("decisions", DecisionViewSet, basename="decision")
    router.register("upward-submissions", UpwardSubmissionViewSet, basename="upward-submission")
    router.register("reports", ReportViewSet, basename="report")
