"""The office's tracking dashboard: every nomination by campaign, unit, award and state, with counts,
overdue markers and charts. A fixed number of queries whatever the number of nominations."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from nominations.models import Nomination, State
from workflow import process as process_api
from workflow.filters import NominationFilter
from workflow.views.common import TRACKING_ROLES, role_required, visible_nominations
from workflow.views.nominations import PAGE_SIZE, nomination_rows
from workflow.workdays import Calendar


def _counts(
    queryset: QuerySet[Nomination], field: str, label_field: str | None = None
) -> list[dict[str, Any]]:
    fields = [field] + ([label_field] if label_field else [])
    return [
        {"key": row[field], "label": row[label_field] if label_field else row[field], "n": row["n"]}
        for row in queryset.order_by().values(*fields).annotate(n=Count("pk")).order_by("-n", *fields)
    ]


@login_required
@role_required(*TRACKING_ROLES)
def dashboard(request: HttpRequest) -> HttpResponse:
    calendar = Calendar()
    base = process_api.with_step(visible_nominations(request))
    filterset = NominationFilter(request.GET or None, queryset=base, calendar=calendar)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    if not filterset.is_bound:
        filterset = NominationFilter(queryset=base, calendar=calendar)
    states = {row["key"]: row["n"] for row in _counts(queryset, "state")}
    by_state = [{"key": s, "label": str(State(s).label), "n": states[s]} for s in State.values if s in states]
    by_unit = _counts(queryset, "nominating_unit__code", "nominating_unit__name")
    by_award = _counts(queryset, "award__code", "award__name")
    by_campaign = _counts(queryset, "campaign_id", "campaign__name")
    overdue = queryset.filter(process_api.overdue_condition(calendar)).count()
    page = Paginator(queryset.order_by("-state_changed_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "workflow/dashboard.html",
        {
            "filter": filterset,
            "total": sum(states.values()),
            "overdue": overdue,
            "by_state": by_state,
            "by_unit": by_unit,
            "by_award": by_award,
            "by_campaign": by_campaign,
            "chart_data": {
                "state": {"labels": [r["label"] for r in by_state], "values": [r["n"] for r in by_state]},
                "unit": {"labels": [r["label"] for r in by_unit], "values": [r["n"] for r in by_unit]},
                "award": {"labels": [r["label"] for r in by_award], "values": [r["n"] for r in by_award]},
            },
            "page": page,
            "rows": nomination_rows(request, page.object_list, calendar),
            "query": query.urlencode(),
        },
    )
