"""API: the statistics of TT 02/2023/TT-BNV (API.md § "Statistics"; extensions in docs/api-extensions.md).

`GET /api/statistics/` lists the forms; `GET /api/statistics/{code}/?year=YYYY` fills one for a year, as
JSON or — `?format=xlsx|docx|pdf` — as the file the page offers. Read by the Director and Deputies, the
office and the auditor (403 for anyone else); a year that is not a number in 2000…2100 → 400.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from nominations.selectors.decisions import reads_all_documents
from nominations.statistics import FORMS, statistics_table
from workflow.api.responses import errors
from workflow.base.errors import InvalidInput
from workflow.base.inputs import parse_int
from workflow.views.statistics import FIRST_YEAR, FORMATS, LAST_YEAR, default_year, statistics_file


class ReadsStatistics(BasePermission):
    message = _("Chỉ Lãnh đạo Cục, Phòng TC-HC và kiểm tra viên xem được số liệu thống kê.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return reads_all_documents(request.user)


class JsonOnly(BaseContentNegotiation):
    """`?format=` names the file wanted (xlsx, docx, pdf), not a DRF renderer: errors and data are JSON."""

    def select_parser(self, request: Request, parsers: Any) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(self, request: Request, renderers: Any, format_suffix: Any = None) -> Any:
        renderer: BaseRenderer = JSONRenderer()
        return renderer, renderer.media_type


class StatisticsFormSerializer(serializers.Serializer):
    code = serializers.CharField()
    form = serializers.CharField()
    title = serializers.CharField()


class StatisticsColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # the JSON key of API.md
    number = serializers.IntegerField(help_text=_("Số thứ tự cột trên biểu (1, 2, 3…)."))


class StatisticsRowSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("Mã số của dòng (01, 02…)."))
    label = serializers.CharField()  # type: ignore[assignment]  # the JSON key of API.md
    unit_of_measure = serializers.CharField()
    section = serializers.CharField(help_text=_("Tiêu đề nhóm chỉ tiêu mở đầu từ dòng này (có thể trống)."))
    values = serializers.DictField(child=serializers.IntegerField())


class StatisticsTableSerializer(serializers.Serializer):
    code = serializers.CharField()
    form = serializers.CharField()
    title = serializers.CharField()
    year = serializers.IntegerField()
    reporting_unit = serializers.CharField()
    receiving_unit = serializers.CharField()
    received_on = serializers.CharField(help_text=_("Ngày nhận báo cáo hằng năm (dd/mm)."))
    columns = StatisticsColumnSerializer(many=True)
    rows = StatisticsRowSerializer(many=True)


def _year(request: Request) -> int:
    raw = request.query_params.get("year")
    if raw in (None, ""):
        return default_year()
    year = parse_int(raw, minimum=0, maximum=9999)
    if year is None:
        raise InvalidInput(gettext("Năm báo cáo phải là một số, ví dụ 2023."), field="year")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput(gettext("Năm báo cáo phải từ 2000 đến 2100."), field="year")
    return year


class StatisticsViewSet(viewsets.ViewSet):
    permission_classes = [IsAuthenticated, ReadsStatistics]
    content_negotiation_class = JsonOnly
    lookup_field = "code"
    lookup_value_regex = r"[0-9]{4}"

    @extend_schema(
        summary=_("Các biểu thống kê của Thông tư 02/2023/TT-BNV"),
        responses={200: StatisticsFormSerializer(many=True), **errors(401, 403)},
    )
    def list(self, request: Request) -> Response:
        return Response(
            [{"code": spec.code, "form": spec.form, "title": str(spec.title)} for spec in FORMS.values()]
        )

    @extend_schema(
        summary=_("Một biểu thống kê của một năm"),
        description=_(
            "Số liệu của biểu cho năm `year` (mặc định: năm của kỳ báo cáo gần nhất); năm chưa có số liệu → "
            "các ô bằng 0. `format=xlsx` (hoặc `docx`, `pdf`) trả về tệp biểu mẫu như Thông tư quy định."
        ),
        parameters=[
            OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH, enum=[*FORMS]),
            OpenApiParameter("year", OpenApiTypes.INT, OpenApiParameter.QUERY, description=_("Năm báo cáo.")),
            OpenApiParameter(
                "format", OpenApiTypes.STR, OpenApiParameter.QUERY, enum=["json", *sorted(FORMATS)]
            ),
        ],
        responses={
            200: StatisticsTableSerializer,
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiResponse(
                response=OpenApiTypes.BINARY, description=_("Biểu mẫu Excel (format=xlsx).")
            ),
            **errors(400, 401, 403, 404),
        },
    )
    def retrieve(self, request: Request, code: str | None = None) -> Any:
        if code not in FORMS:
            raise Http404
        year = _year(request)
        wanted = request.query_params.get("format") or "json"
        if wanted != "json" and wanted not in FORMATS:
            raise InvalidInput(gettext("Định dạng phải là json, xlsx, docx hoặc pdf."), field="format")
        table = statistics_table(code=code, year=year)
        if wanted in FORMATS:
            return statistics_file(table, wanted)
        return Response(table.as_data())


def register(router: BaseRouter) -> None:
    """Register this area's viewsets on the API's one router."""
    router.register("statistics", StatisticsViewSet, basename="statistics")
