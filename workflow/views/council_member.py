"""A council member's page: the sessions I sit on (voting itself is on the council pages, /hoi-dong/)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from nominations.models import CouncilSession
from workflow.views.common import person_of


@login_required
def my_sessions(request: HttpRequest) -> HttpResponse:
    sessions = (
        CouncilSession.objects.filter(members=person_of(request))
        .annotate(items=Count("agenda", distinct=True), member_count=Count("members", distinct=True))
        .order_by("-date", "-pk")
    )
    return render(
        request,
        "workflow/my_sessions.html",
        {"sessions": list(sessions), "council_url": reverse("home") + "hoi-dong/"},
    )
