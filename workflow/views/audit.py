"""The audit log, read-only and filterable (auditor and office staff)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from workflow.filters import AuditEventFilter
from workflow.labels import AUDIT_RELATED, event_rows
from workflow.models import AuditEvent
from workflow.views.common import AUDIT_ROLES, role_required

PAGE_SIZE = 100


@login_required
@role_required(*AUDIT_ROLES)
def audit_log(request: HttpRequest) -> HttpResponse:
    base = AuditEvent.objects.all()
    filterset = AuditEventFilter(request.GET or None, queryset=base)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    if not filterset.is_bound:
        filterset = AuditEventFilter(queryset=base)
    page = Paginator(queryset.select_related(*AUDIT_RELATED).order_by("-seq"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "workflow/audit_log.html",
        {
            "filter": filterset,
            "page": page,
            "events": event_rows(list(page.object_list)),
            "query": query.urlencode(),
        },
    )
