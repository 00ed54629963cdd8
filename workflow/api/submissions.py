"""API: the units' submissions (API.md § "Unit submissions") and the award history import.

Thin: a submission is looked up among those the caller may see (404 otherwise); every change is one call
to `workflow.services.submissions` / `submission_import`, which check who may act (403), the state (409)
and the rules (409, each failing nominee named with its rules and legal basis).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from nominations.models import Campaign, Submission, SubmissionFile
from nominations.selectors.nominations import nominations_visible_to
from nominations.selectors.submissions import submissions_visible_to
from workflow.api.attachments import attach
from workflow.api.nominations import caller
from workflow.api.pagination import Pagination
from workflow.api.responses import errors
from workflow.api.serializers import (
    NominationCreateSerializer,
    NominationSerializer,
    UnitSubmissionFileSerializer,
)
from workflow.base.inputs import InputSerializer, ObjectSerializerField, parse_id
from workflow.services import history_import, submission_import, submissions
from workflow.services import nominations as nomination_services

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UnitSubmissionSerializer(serializers.ModelSerializer[Submission]):
    nominations = serializers.SerializerMethodField()
    files = UnitSubmissionFileSerializer(many=True, read_only=True)

    class Meta:
        model = Submission
        fields = ["id", "unit", "campaign", "state", "nominations", "files", "created_at", "submitted_at"]
        read_only_fields = fields

    def get_nominations(self, submission: Submission) -> list[int]:
        return sorted(n.pk for n in submission.nominations.all())


class UnitSubmissionCreateSerializer(InputSerializer):
    campaign = ObjectSerializerField(queryset=Campaign.objects.all())


class UnitSubmissionAttachmentSerializer(InputSerializer):
    file = serializers.FileField(max_length=255)
    kind = serializers.ChoiceField(choices=SubmissionFile.Kind.choices)


class SpreadsheetSerializer(InputSerializer):
    file = serializers.FileField(max_length=255, help_text=_("Bảng tính .xlsx theo mẫu."))


class ImportResultSerializer(serializers.Serializer[Any]):
    created = serializers.IntegerField()
    nominations = serializers.ListField(child=serializers.IntegerField())
    unchanged = serializers.ListField(child=serializers.IntegerField(), required=False)


class HistoryImportResultSerializer(serializers.Serializer[Any]):
    created = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class SubmissionCommentSerializer(InputSerializer):
    comment = serializers.CharField(max_length=5000, allow_blank=True, required=False, default="")


ROWS_REJECTED = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description=_(
        'Có dòng sai, không dòng nào được nhập: {"rows": [{"row", "errors": {"cột": ["lý do"]}}]}.'
    ),
)
TEMPLATE = OpenApiResponse(response=OpenApiTypes.BINARY, description=_("Mẫu bảng tính .xlsx."))


def _read_upload(request: Request) -> bytes:
    form = SpreadsheetSerializer(data=request.data)
    form.is_valid(raise_exception=True)
    upload = form.validated_data["file"]
    return bytes(upload.read())


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@extend_schema_view(
    list=extend_schema(
        summary=_("Hồ sơ đề nghị của các đơn vị (người gọi được xem)"),
        parameters=[
            OpenApiParameter("campaign", OpenApiTypes.INT, description=_("Phong trào.")),
            OpenApiParameter("unit", OpenApiTypes.INT, description=_("Đơn vị.")),
        ],
        responses={200: UnitSubmissionSerializer, **errors(400, 401)},
    ),
    retrieve=extend_schema(
        summary=_("Một hồ sơ đề nghị của đơn vị"),
        responses={200: UnitSubmissionSerializer, **errors(401, 404)},
    ),
)
class SubmissionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Submission]
):
    lookup_value_regex = r"[0-9]+"
    serializer_class = UnitSubmissionSerializer
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[Submission]:
        visible = submissions_visible_to(user=self.request.user).prefetch_related("nominations", "files")
        params = self.request.query_params
        for name in ("campaign", "unit"):
            value = params.get(name)
            if value not in (None, ""):
                pk = parse_id(value)
                if pk is None:
                    raise serializers.ValidationError({name: [_("Phải là một số.")]})
                visible = visible.filter(**{f"{name}_id": pk})
        return visible.order_by("-created_at", "-pk")

    def get_object(self) -> Submission:
        try:
            return super().get_object()
        except Http404:
            raise NotFound() from None

    def _detail(self, submission: Submission, code: int = status.HTTP_200_OK) -> Response:
        fresh = Submission.objects.prefetch_related("nominations", "files").get(pk=submission.pk)
        return Response(UnitSubmissionSerializer(fresh).data, status=code)

    @extend_schema(
        summary=_("Lập hồ sơ đề nghị của đơn vị (trưởng đơn vị)"),
        description=_("Một hồ sơ cho mỗi đơn vị và phong trào; đơn vị là đơn vị của người gọi."),
        request=UnitSubmissionCreateSerializer,
        responses={201: UnitSubmissionSerializer, **errors(400, 401, 403, 409)},
    )
    def create(self, request: Request) -> Response:
        form = UnitSubmissionCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        submission = submissions.submission_create(
            actor=caller(request), campaign=form.validated_data["campaign"]
        )
        return self._detail(submission, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Thêm một đối tượng vào danh sách của đơn vị"),
        description=_(
            "Như POST /api/nominations/, hồ sơ thuộc danh sách này; trùng đối tượng, danh hiệu, phong trào → 409."
        ),
        request=NominationCreateSerializer,
        responses={201: NominationSerializer, **errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path="nominations")
    def add_nomination(self, request: Request, pk: str | None = None) -> Response:
        submission = self.get_object()
        form = NominationCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        if data["campaign"].pk != submission.campaign_id:
            raise serializers.ValidationError({"campaign": [_("Phải là phong trào của hồ sơ đơn vị.")]})
        submissions._head_of(caller(request), submission)
        nomination = nomination_services.nomination_create(
            actor=caller(request), submission=submission, **data
        )
        fresh = nominations_visible_to(user=request.user).filter(pk=nomination.pk).first() or nomination
        return Response(
            NominationSerializer(fresh, context={"request": request}).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary=_("Thêm tài liệu chung của đơn vị (tờ trình, biên bản bình xét, khác)"),
        request={"multipart/form-data": UnitSubmissionAttachmentSerializer},
        responses={201: UnitSubmissionFileSerializer, **errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def attachments(self, request: Request, pk: str | None = None) -> Response:
        submission = self.get_object()

        def add(*, upload: Any, kind: str) -> SubmissionFile:
            return submissions.submission_file_add(
                submission=submission, actor=caller(request), upload=upload, kind=kind
            )

        return attach(
            request, form=UnitSubmissionAttachmentSerializer, add=add, shape=UnitSubmissionFileSerializer
        )

    @extend_schema(
        summary=_("Mẫu bảng tính danh sách đề nghị (.xlsx)"),
        responses={(200, XLSX): TEMPLATE, **errors(401)},
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def template(self, request: Request) -> HttpResponse:
        return _xlsx(submission_import.list_template(), "mau-danh-sach-de-nghi.xlsx")

    @extend_schema(
        summary=_("Nhập danh sách đề nghị từ Excel: tất cả các dòng, hoặc không dòng nào"),
        description=_(
            "Dòng đã có trong hồ sơ này (cùng đối tượng, danh hiệu) được giữ nguyên: nhập lại cùng tệp không tạo "
            "thêm hồ sơ. ?dry_run=1: chỉ xem trước, không ghi gì."
        ),
        parameters=[OpenApiParameter("dry_run", OpenApiTypes.BOOL, description=_("Chỉ xem trước."))],
        request={"multipart/form-data": SpreadsheetSerializer},
        responses={
            201: ImportResultSerializer,
            200: ImportResultSerializer,
            400: ROWS_REJECTED,
            **errors(401, 403, 404, 409),
        },
    )
    @action(detail=True, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_list(self, request: Request, pk: str | None = None) -> Response:
        submission = self.get_object()
        data = _read_upload(request)
        actor = caller(request)
        if str(request.query_params.get("dry_run", "")).lower() in ("1", "true", "yes"):
            plan = submission_import.submission_import_preview(submission=submission, actor=actor, data=data)
            if plan.errors:
                return Response({"rows": plan.errors.as_list()}, status=status.HTTP_400_BAD_REQUEST)
            return Response(
                {
                    "created": len(plan.to_create),
                    "nominations": [],
                    "unchanged": [r.existing for r in plan.unchanged],
                }
            )
        created, unchanged = submission_import.submission_import(
            submission=submission, actor=actor, data=data
        )
        return Response(
            {"created": len(created), "nominations": created, "unchanged": unchanged},
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary=_("Gửi cả danh sách: mọi hồ sơ dự thảo trong một giao dịch, hoặc không hồ sơ nào"),
        description=_(
            'Bị từ chối → 409 {"detail", "nominations": [{"id", "rules": [...]}]}: mọi đối tượng chưa đạt, '
            "mỗi quy định kèm căn cứ pháp lý."
        ),
        request=SubmissionCommentSerializer,
        responses={200: UnitSubmissionSerializer, **errors(401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        submission = self.get_object()
        form = SubmissionCommentSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        submissions.submission_submit(
            submission=submission, actor=caller(request), comment=form.validated_data["comment"]
        )
        return self._detail(submission)

    @extend_schema(
        summary=_("Trả lại cả danh sách với một lý do (Phòng TC-HC)"),
        description=_(
            "Mọi hồ sơ đang chờ thẩm định của danh sách được trả lại; mỗi hồ sơ một sự kiện nhật ký."
        ),
        request=SubmissionCommentSerializer,
        responses={200: UnitSubmissionSerializer, **errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_all(self, request: Request, pk: str | None = None) -> Response:
        submission = self.get_object()
        form = SubmissionCommentSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        submissions.submission_return(
            submission=submission, actor=caller(request), comment=form.validated_data["comment"]
        )
        return self._detail(submission)


class AwardHistoryImportMixin:
    """`POST /api/award-history/import/` and its template, mixed into the award history's viewset."""

    @extend_schema(
        summary=_("Nhập quá trình khen thưởng các năm trước từ Excel (Phòng TC-HC)"),
        description=_(
            "Tất cả các dòng, hoặc không dòng nào; bản ghi đã có được giữ nguyên. ?dry_run=1: chỉ xem trước."
        ),
        parameters=[OpenApiParameter("dry_run", OpenApiTypes.BOOL, description=_("Chỉ xem trước."))],
        request={"multipart/form-data": SpreadsheetSerializer},
        responses={
            201: HistoryImportResultSerializer,
            200: HistoryImportResultSerializer,
            400: ROWS_REJECTED,
            **errors(401, 403),
        },
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_history(self, request: Request) -> Response:
        data = _read_upload(request)
        actor = caller(request)
        if str(request.query_params.get("dry_run", "")).lower() in ("1", "true", "yes"):
            plan = history_import.award_history_preview(actor=actor, data=data)
            if plan.errors:
                return Response({"rows": plan.errors.as_list()}, status=status.HTTP_400_BAD_REQUEST)
            return Response({"created": len(plan.records), "unchanged": plan.unchanged})
        created, unchanged = history_import.award_history_import(actor=actor, data=data)
        return Response({"created": created, "unchanged": unchanged}, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Mẫu bảng tính quá trình khen thưởng (.xlsx)"),
        responses={(200, XLSX): TEMPLATE, **errors(401)},
    )
    @action(detail=False, methods=["get"], url_path="template", pagination_class=None)
    def history_template(self, request: Request) -> HttpResponse:
        return _xlsx(history_import.history_template(), "mau-qua-trinh-khen-thuong.xlsx")


def register(router: BaseRouter) -> None:
    router.register("submissions", SubmissionViewSet, basename="submission")
