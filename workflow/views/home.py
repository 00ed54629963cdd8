from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from nominations.models import Campaign, State
from nominations.selectors.nominations import nominations_visible_to
from workflow.process import sync as process_api


def home(request: HttpRequest) -> HttpResponse:
    context: dict[str, object] = {
        "campaigns": Campaign.objects.filter(parent__isnull=True, kind="annual")[:3]
    }
    if request.user.is_authenticated:
        counts = dict(
            nominations_visible_to(user=request.user).values_list("state").annotate(n=Count("id")).order_by()
        )
        context["state_counts"] = [(State(s).label, counts.get(s, 0)) for s in State.values if counts.get(s)]
        context["inbox_count"] = process_api.tasks_inbox(request.user).count()
        context["queue_count"] = process_api.tasks_queue(request.user).count()
    return render(request, "workflow/home.html", context)
