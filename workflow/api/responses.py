"""The error answers of API.md, for the schema: 400 per field, 401, 403, 404, 409."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse

from workflow.api.serializers import ErrorSerializer

BAD_INPUT = OpenApiResponse(
    response=OpenApiTypes.OBJECT, description=_('Dữ liệu không hợp lệ: {"trường": ["lý do"]}.')
)
UNAUTHENTICATED = OpenApiResponse(response=ErrorSerializer, description=_("Chưa đăng nhập."))
FORBIDDEN = OpenApiResponse(response=ErrorSerializer, description=_("Không có quyền."))
NOT_FOUND = OpenApiResponse(
    response=ErrorSerializer, description=_("Không tìm thấy, hoặc người gọi không được xem.")
)
CONFLICT = OpenApiResponse(
    response=ErrorSerializer,
    description=_(
        "Không thực hiện được ở trạng thái hiện tại, chưa đạt quy định, hoặc vừa có thay đổi khác."
    ),
)


def errors(*statuses: int) -> dict[int, Any]:
    table = {400: BAD_INPUT, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT}
    return {status: table[status] for status in statuses}
