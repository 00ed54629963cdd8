"""API: nominations — list, create, read, edit, attach files, run transitions, read the history (API.md).

Thin entry points: every object is looked up in `nominations_visible_to(user)` (another unit's nomination
is a 404, never a 403), and every change is one call to the same service the pages call, which checks the
per-object permission (403), the state (409) and the rules (409), and writes the audit event.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.http.response import HttpResponseBase
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from nominations.access import codenames_held, holds
from nominations.models import DossierFile, Nomination, Person
from nominations.selectors.nominations import nominations_visible_to
from workflow.api.attachments import attach
from workflow.api.filters import NominationFilter
from workflow.api.pagination import Pagination
from workflow.api.responses import errors
from workflow.api.serializers import (
    RUN_BY_COUNCIL_SESSION,
    TRANSITION_NAMES,
    AttachmentSerializer,
    DossierFileSerializer,
    HistorySerializer,
    NominationCreateSerializer,
    NominationSerializer,
    NominationUpdateSerializer,
    TransitionInputSerializer,
)
from workflow.audit import log as audit
from workflow.base.errors import NotPermitted, WrongState
from workflow.base.inputs import parse_id
from workflow.documents.downloads import FileMissing, dossier_file_response
from workflow.models import AuditEvent
from workflow.process.transitions import registry
from workflow.services import nominations as nomination_services
from workflow.services.actions import SERVICES


def caller(request: Request) -> Person:
    """The authenticated person making the request (every view here requires authentication)."""
    assert isinstance(request.user, Person)
    return request.user


@extend_schema_view(
    list=extend_schema(
        summary=_("Hồ sơ đề nghị (người gọi được xem)"),
        responses={200: NominationSerializer, **errors(400, 401, 404)},
    ),
    retrieve=extend_schema(
        summary=_("Một hồ sơ đề nghị"), responses={200: NominationSerializer, **errors(401, 404)}
    ),
)
class NominationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Nomination],
):
    lookup_value_regex = r"[0-9]+"
    serializer_class = NominationSerializer
    filterset_class = NominationFilter
    pagination_class = Pagination
    held: dict[str, set[str]] | None = None

    def get_queryset(self) -> QuerySet[Nomination]:
        visible = nominations_visible_to(user=self.request.user).select_related(
            "award", "decision_item", "certificate"
        )
        if self.action in ("list", "retrieve"):
            visible = visible.prefetch_related("initiatives", "files")
        return visible

    def get_object(self) -> Nomination:
        try:
            return super().get_object()
        except Http404:
            # The same answer whether it does not exist or the caller may not see it.
            raise NotFound() from None

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "held": self.held}

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # The page's ids first (visibility, filters and order only), then those rows with what they
        # carry: sorting every visible nomination joined to its award cost PostgreSQL 90 ms at 30k.
        visible = self.filter_queryset(self.get_queryset()).prefetch_related(None)
        ids = self.paginate_queryset(visible.values_list("pk", flat=True))
        assert ids is not None  # the view always paginates
        position = {pk: i for i, pk in enumerate(ids)}
        rows = Nomination.objects.filter(pk__in=position).select_related(
            "award", "decision_item", "certificate"
        )
        page = sorted(rows.prefetch_related("initiatives", "files"), key=lambda n: position[n.pk])
        # What the caller may do on each row, for the whole page in one query (not one per row).
        self.held = codenames_held(request.user, page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def _detail(self, nomination: Nomination, *, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = (
            nominations_visible_to(user=self.request.user)
            .select_related("award", "decision_item", "certificate")
            .prefetch_related("initiatives", "files")
            .filter(pk=nomination.pk)
            .first()
        )
        if fresh is None:
            raise NotFound()
        return Response(self.get_serializer(fresh).data, status=status_code)

    @extend_schema(
        summary=_("Lập hồ sơ đề nghị (trưởng đơn vị)"),
        description=_("Hồ sơ ở trạng thái dự thảo; đơn vị đề nghị là đơn vị của người gọi."),
        request=NominationCreateSerializer,
        responses={201: NominationSerializer, **errors(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        form = NominationCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        nomination = nomination_services.nomination_create(actor=caller(request), **form.validated_data)
        return self._detail(nomination, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Sửa hồ sơ (dự thảo hoặc bị trả lại; trưởng đơn vị)"),
        request=NominationUpdateSerializer,
        responses={200: NominationSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        nomination = self.get_object()
        form = NominationUpdateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        nomination_services.nomination_update(
            nomination=nomination, actor=caller(request), **form.validated_data
        )
        return self._detail(nomination)

    @extend_schema(
        summary=_("Thêm tài liệu vào hồ sơ"),
        description=_(
            "PDF hoặc văn bản Word, Excel, OpenDocument; nhận dạng theo nội dung tệp, có giới hạn dung lượng."
        ),
        request={"multipart/form-data": AttachmentSerializer},
        responses={201: DossierFileSerializer, **errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def attachments(self, request: Request, pk: str | None = None) -> Response:
        nomination = self.get_object()

        def add(*, upload: Any, kind: str) -> DossierFile:
            return nomination_services.dossier_file_add(
                nomination=nomination, actor=caller(request), upload=upload, kind=kind
            )

        return attach(request, form=AttachmentSerializer, add=add, shape=DossierFileSerializer)

    @extend_schema(
        summary=_("Tải một tài liệu của hồ sơ"),
        description=_(
            "Luôn là tệp tải về (Content-Disposition: attachment), đúng định dạng đã nhận dạng khi tải lên; "
            "404 nếu không có, không được xem, hoặc tệp không còn trên máy chủ."
        ),
        parameters=[
            OpenApiParameter(
                "file_id", OpenApiTypes.INT, OpenApiParameter.PATH, description=_("Mã tài liệu.")
            )
        ],
        responses={
            **{
                (200, content_type): OpenApiResponse(
                    response=OpenApiTypes.BINARY, description=_("Nội dung tệp.")
                )
                for content_type in sorted(set(nomination_services.ALLOWED_TYPES.values()))
            },
            **errors(401, 404),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"attachments/(?P<file_id>[0-9]+)",
        url_name="attachment",
        filterset_class=None,
    )
    def attachment(self, request: Request, pk: str | None = None, file_id: str = "") -> HttpResponseBase:
        nomination = self.get_object()
        file_pk = parse_id(file_id)
        dossier_file = nomination.files.filter(pk=file_pk).first() if file_pk is not None else None
        if dossier_file is None:
            raise NotFound()
        try:
            return dossier_file_response(dossier_file)
        except FileMissing as missing:
            raise NotFound(missing.message) from None

    @extend_schema(
        summary=_("Thực hiện một thao tác trên hồ sơ"),
        description=_(
            "Các trường thêm: evaluate {score, assessment}; schedule {session}; approve {decision_number, "
            "decision_date}; forward {submission_number}; record_outcome {granted, decision_number}. return, "
            "mark_ineligible, hold, decline, revoke cần comment. Kết thúc biểu quyết (close_vote) chỉ diễn ra "
            "khi đóng phiên họp Hội đồng."
        ),
        parameters=[
            OpenApiParameter(
                "name",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                enum=TRANSITION_NAMES,
                description=_("Thao tác."),
            )
        ],
        request=TransitionInputSerializer,
        responses={200: NominationSerializer, **errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<name>[^/.]+)", url_name="transition")
    def transition(self, request: Request, pk: str | None = None, name: str = "") -> Response:
        nomination = self.get_object()
        spec = registry().get(name)
        if spec is None:
            raise NotFound(_("Không có thao tác “%(name)s”.") % {"name": name[:40]})
        if name in RUN_BY_COUNCIL_SESSION:
            if not holds(request.user, spec.perm, nomination):
                raise NotPermitted(
                    str(_("Bạn không có quyền “%(action)s” đối với hồ sơ này.") % {"action": spec.label})
                )
            raise WrongState(
                str(
                    _(
                        "Kết quả biểu quyết do kiểm phiếu quyết định: thao tác này diễn ra khi Thư ký đóng phiên họp Hội đồng."
                    )
                )
            )
        form = TransitionInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        params = {field: form.validated_data.get(field) for field in spec.fields}
        SERVICES[name](
            nomination=nomination, actor=request.user, comment=form.validated_data["comment"], **params
        )
        return self._detail(nomination)

    @extend_schema(
        summary=_("Lịch sử chuyển trạng thái của hồ sơ, cũ trước"),
        responses={200: HistorySerializer(many=True), **errors(401, 404)},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def history(self, request: Request, pk: str | None = None) -> Response:
        nomination = self.get_object()
        events = AuditEvent.objects.filter(nomination=nomination, kind=AuditEvent.Kind.TRANSITION).order_by(
            *audit.CHAIN_ORDER
        )
        return Response(HistorySerializer(events, many=True).data)


def register(router: BaseRouter) -> None:
    """Register this area's viewsets on the API's one router."""
    router.register("nominations", NominationViewSet, basename="nomination")
