"""The front page of participation and transparency, and the public notice every member of staff reads.
The area's other pages are by what they serve: `commitments`, `complaints`, `delegations`, `award_history`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from nominations import roles
from nominations.models import CONTESTABLE_STATES, State
from nominations.selectors.participation import nominee_registered_map, notices_running


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    return render(
        request,
        "workflow/participation/index.html",
        {
            "is_office": roles.is_office(user),
            "reads_all": roles.reads_all_records(user),
            "sees_delegations": roles.is_decider(user) or roles.reads_all_records(user),
        },
    )


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    """Every signed-in member of staff reads the results on notice — outcomes only, never ballots."""
    today = timezone.localdate()
    notices = list(notices_running(today=today))
    registered = nominee_registered_map(notices)
    rows = [
        {
            "notice": notice,
            "n": notice.nomination,
            "outcome": State(notice.outcome).label,
            "state": State(notice.nomination.state).label,
            "registered": registered.get(notice.nomination_id, False),
            "contestable": notice.nomination.state in CONTESTABLE_STATES,
        }
        for notice in notices
    ]
    return render(request, "workflow/participation/notices.html", {"rows": rows, "today": today})
