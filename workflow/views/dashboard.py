"""The office's tracking dashboard: every nomination by campaign, unit, award and state, with counts,
overdue markers and charts. A fixed number of queries whatever the number of nominations."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from nominations.models import Award, Campaign, Nomination, OrgUnit, State
from workflow.notify.workdays import Calendar
from workflow.process import sync as process_api
from workflow.views.common import TRACKING_ROLES, role_required, visible_nominations
from workflow.views.nominations import nomination_rows, paged
from workflow.web.filters import NominationFilter

BREAKDOWNS = ("state", "unit", "award", "campaign")


def _breakdowns(queryset: QuerySet[Nomination]) -> dict[str, list[dict[str, Any]]]:
    """The visible nominations counted by state, unit, award and campaign, with the names: one query,
    which returns only the counts shown.

    The nominations are grouped once on their integer keys (a hash aggregate over the nominations alone,
    kept as a materialised CTE), and each breakdown sums those groups, joined to its names. Grouped on the
    joined names, PostgreSQL sorted 100k wide rows on disk, and returning the ~15k groups to sum them here
    cost as much again: 0.6 s, then 0.13 s of the Director's dashboard at 100k nominations
    (bench/NOTES.md). One query, not one per breakdown: each would pay for the visibility filter. The
    inner statement is the ORM's, with every filter of the page.
    """
    counted = (
        queryset.order_by()
        .values("state", "nominating_unit_id", "award_id", "campaign_id")
        .annotate(n=Count("pk"))
    )
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in BREAKDOWNS}
    try:
        inner, params = counted.query.get_compiler(using=counted.db).as_sql()
    except EmptyResultSet:  # a filter that no nomination can meet: nothing to count
        return rows
    database = connections[counted.db]
    unit, award, campaign = (database.ops.quote_name(m._meta.db_table) for m in (OrgUnit, Award, Campaign))
    total = "CAST(SUM(g.n) AS BIGINT)"
    sql = (
        f"WITH g AS MATERIALIZED ({inner}) "
        f"SELECT 'state', g.state, NULL, {total} FROM g GROUP BY g.state UNION ALL "
        f"SELECT 'unit', u.code, u.name, {total} FROM g JOIN {unit} u ON u.id = g.nominating_unit_id "
        "GROUP BY u.code, u.name UNION ALL "
        f"SELECT 'award', a.code, a.name, {total} FROM g JOIN {award} a ON a.id = g.award_id "
        "GROUP BY a.code, a.name UNION ALL "
        f"SELECT 'campaign', CAST(g.campaign_id AS TEXT), c.name, {total} FROM g "
        f"JOIN {campaign} c ON c.id = g.campaign_id GROUP BY g.campaign_id, c.name"
    )
    with database.cursor() as cursor:
        cursor.execute(sql, params)
        for name, key, label, n in cursor.fetchall():
            key = int(key) if name == "campaign" else key
            rows[name].append({"key": key, "label": key if label is None else label, "n": int(n)})
    return {
        name: sorted(found, key=lambda row: (-row["n"], row["key"], row["label"]))
        for name, found in rows.items()
    }


@login_required
@role_required(*TRACKING_ROLES)
def dashboard(request: HttpRequest) -> HttpResponse:
    calendar = Calendar()
    base = process_api.with_step(visible_nominations(request))
    filterset = NominationFilter(request.GET or None, queryset=base, calendar=calendar)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    if not filterset.is_bound:
        filterset = NominationFilter(queryset=base, calendar=calendar)
    breakdowns = _breakdowns(queryset)
    states = {row["key"]: row["n"] for row in breakdowns["state"]}
    by_state = [{"key": s, "label": str(State(s).label), "n": states[s]} for s in State.values if s in states]
    by_unit, by_award, by_campaign = breakdowns["unit"], breakdowns["award"], breakdowns["campaign"]
    overdue = queryset.filter(process_api.overdue_condition(calendar)).count()
    page, nominations = paged(request, queryset, "-state_changed_at", "-pk", count=sum(states.values()))
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
            "rows": nomination_rows(request, nominations, calendar),
            "query": query.urlencode(),
        },
    )
