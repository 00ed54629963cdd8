"""The old Director's page (/cuc-truong/) is retired: every approval is a decision (API.md), issued on the
decisions page (/quyet-dinh/), so the old address leads there, where its batch of approvals, "không khen
thưởng" and forwarding upward each have their form."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.shortcuts import redirect


@login_required
def director_queue(request: HttpRequest) -> HttpResponsePermanentRedirect:
    # Permanent: bookmarks and links in old notices move to the one page where approvals are decided.
    return redirect("decisions:home", permanent=True)
