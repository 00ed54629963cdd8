"""API: the audit log, read by the office and the auditors (see API.md)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.routers import BaseRouter

from nominations import roles
from workflow.api.filters import AuditFilter
from workflow.api.pagination import Pagination
from workflow.api.responses import errors
from workflow.api.serializers import AuditEventSerializer
from workflow.audit import log as audit
from workflow.models import AuditEvent


class ReadsAuditLog(BasePermission):
    message = _("Chỉ Phòng Tổ chức - Hành chính và kiểm tra viên được xem nhật ký.")

    def has_permission(self, request: Request, view: Any) -> bool:
        user: Any = request.user
        return roles.reads_all_records(user)


class AuditPagination(Pagination):
    """The API's pages of the log, which know the whole log's size without counting it."""

    django_paginator_class = audit.LogPaginator


@extend_schema_view(
    list=extend_schema(
        summary=_("Nhật ký kiểm tra, cũ trước"),
        description=_("Phòng TC-HC và kiểm tra viên. Lọc theo hồ sơ, người thực hiện, thời điểm."),
        responses={200: AuditEventSerializer, **errors(400, 401, 403, 404)},
    )
)
class AuditEventViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[AuditEvent]):
    # The chained log, then the events still waiting for their place (`seq` null, a few ms after commit).
    queryset = AuditEvent.objects.order_by(*audit.CHAIN_ORDER)
    serializer_class = AuditEventSerializer
    filterset_class = AuditFilter
    pagination_class = AuditPagination
    permission_classes = [IsAuthenticated, ReadsAuditLog]


def register(router: BaseRouter) -> None:
    """Register this area's viewsets on the API's one router."""
    router.register("audit", AuditEventViewSet, basename="audit")
