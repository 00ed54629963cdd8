"""The Director's page: proposed nominations waiting for a decision, decided one by one or together."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from nominations.access import Perm, filter_holding
from nominations.models import State
from workflow.errors import TransitionRefused
from workflow.forms import BatchDecisionForm
from workflow.services.batch import nominations_decide
from workflow.views.common import person_of, posted, visible_nominations

LIMIT = 500


@login_required
def director_queue(request: HttpRequest) -> HttpResponse:
    waiting = list(
        filter_holding(
            visible_nominations(request).filter(state=State.PROPOSED), request.user, Perm.DECIDE
        ).order_by("campaign__ends_on", "award__order", "nominating_unit__order", "pk")[:LIMIT]
    )
    form = BatchDecisionForm(posted(request), choices=[(n.pk, str(n)) for n in waiting])
    status = 200
    if request.method == "POST":
        if form.is_valid():
            chosen = [n for n in waiting if n.pk in set(form.cleaned_data["ids"])]
            data = form.cleaned_data
            try:
                done = nominations_decide(
                    nominations=chosen,
                    actor=person_of(request),
                    action=data["action"],
                    comment=data.get("comment") or "",
                    decision_number=data.get("decision_number") or "",
                    decision_date=data.get("decision_date"),
                    submission_number=data.get("submission_number") or "",
                )
            except TransitionRefused as refusal:
                form.add_error(None, refusal.message)
                status = refusal.status
            else:
                messages.success(request, _("Đã quyết định %(n)s hồ sơ.") % {"n": len(done)})
                return redirect("director_queue")
        else:
            status = 400
    return render(
        request,
        "workflow/director_queue.html",
        {"waiting": waiting, "form": form, "checked": request.POST.getlist("ids")},
        status=status,
    )
