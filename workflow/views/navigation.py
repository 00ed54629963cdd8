"""The counts of waiting work in the menu, read after the page has loaded (htmx), so no page pays for them.

One small fragment of out-of-band swaps: each counted entry of the person's menu gets its badge. Every
count is one indexed COUNT query (pinned in tests/ui/test_navigation.py); without JavaScript the menu
simply has no numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from viewflow.workflow import STATUS

from nominations.models import Complaint, CouncilSession, State
from nominations.selectors.nominations import nominations_visible_to
from nominations.selectors.participation import complaints_visible_to
from workflow.process import sync as process_api
from workflow.web.context_processors import COUNTED, menu_keys


def _tasks(user: Any) -> int:
    """What "Việc của tôi" lists: the tasks I took and those waiting for someone with my rights."""
    mine_or_waiting = Q(owner=user, status=STATUS.ASSIGNED) | Q(status=STATUS.NEW)
    return process_api.tasks_offered_to(user).filter(mine_or_waiting).count()


def _to_decide(user: Any) -> int:
    return nominations_visible_to(user=user).filter(state=State.PROPOSED).count()


def _open_sessions(user: Any) -> int:
    return CouncilSession.objects.filter(members=user, state=CouncilSession.State.OPEN).count()


def _open_complaints(user: Any) -> int:
    return complaints_visible_to(user=user).filter(state=Complaint.State.OPEN).count()


COUNTERS: dict[str, Callable[[Any], int]] = {
    "tasks": _tasks,
    "decisions": _to_decide,
    "documents": _to_decide,
    "my_sessions": _open_sessions,
    "complaints": _open_complaints,
    "participation": _open_complaints,
}
assert set(COUNTERS) == COUNTED


@never_cache
@require_GET
@login_required
def nav_counts(request: HttpRequest) -> HttpResponse:
    counts: dict[str, int] = {}
    for key in menu_keys(request.user):
        if key in COUNTERS:
            counts[key] = COUNTERS[key](request.user)
    return render(request, "workflow/includes/nav_counts.html", {"counts": sorted(counts.items())})
