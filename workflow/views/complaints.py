"""Pages of the complaints against a result on public notice: lodging one, the list, resolving one.
Thin: scope the object to the person, validate the form, call one service, redirect."""

from __future__ import annotations

import django_tables2 as tables
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nominations import roles
from nominations.access import Perm, holds
from nominations.models import Complaint, State
from nominations.selectors.participation import complaints_visible_to, notice_running_for
from workflow.base.errors import TransitionRefused
from workflow.base.inputs import InputForm
from workflow.services import complaints as complaint_services
from workflow.services.common import MAX_TEXT
from workflow.views.common import person_of, show_refusal
from workflow.web.tables import PAGE_SIZE as TABLE_PAGE_SIZE
from workflow.web.tables import ComplaintTable


class ComplaintForm(InputForm):
    text = forms.CharField(
        label=gettext_lazy("Nội dung khiếu nại"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_TEXT,
    )


@login_required
def complaint_lodge(request: HttpRequest, nomination_id: int) -> HttpResponse:
    notice = notice_running_for(nomination_id=nomination_id, today=timezone.localdate())
    if notice is None:
        raise Http404
    form = ComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            complaint = complaint_services.complaint_lodge(
                nomination=notice.nomination,
                actor=person_of(request),
                text=form.cleaned_data["text"],
            )
        except TransitionRefused as exc:
            show_refusal(request, form, exc)
        else:
            messages.success(
                request,
                _(
                    "Đã ghi nhận khiếu nại #%(id)s. Hồ sơ được tạm dừng xét cho đến khi khiếu nại được giải quyết."
                )
                % {"id": complaint.pk},
            )
            return redirect("participation:complaints")
    return render(
        request,
        "workflow/participation/complaint_form.html",
        {"notice": notice, "n": notice.nomination, "outcome": State(notice.outcome).label, "form": form},
    )


@login_required
def complaint_list(request: HttpRequest) -> HttpResponse:
    complaints = complaints_visible_to(user=request.user)
    state = request.GET.get("state", "")
    if state in Complaint.State.values:
        complaints = complaints.filter(state=state)
    reads_all = roles.reads_all_records(request.user)
    table = ComplaintTable(complaints, reads_all=reads_all)
    tables.RequestConfig(request, paginate={"per_page": TABLE_PAGE_SIZE}).configure(table)
    return render(
        request,
        "workflow/participation/complaints.html",
        {
            "complaints": complaints,
            "table": table,
            "reads_all": reads_all,
            "states": Complaint.State.choices,
            "state": state,
        },
    )


class ResolveForm(InputForm):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Kết luận"),
        choices=[
            (Complaint.State.UPHELD, gettext_lazy("Khiếu nại có cơ sở: xem xét lại hồ sơ")),
            (Complaint.State.DISMISSED, gettext_lazy("Khiếu nại không có cơ sở: tiếp tục xét")),
        ],
        widget=forms.RadioSelect,
    )
    resolution = forms.CharField(
        label=gettext_lazy("Kết quả giải quyết"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_TEXT,
    )


@login_required
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = get_object_or_404(complaints_visible_to(user=request.user), pk=pk)
    may_resolve = complaint.is_open and holds(request.user, Perm.REVIEW, complaint.nomination)
    form = ResolveForm(request.POST or None) if may_resolve else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                complaint_services.complaint_resolve(
                    complaint=complaint,
                    actor=person_of(request),
                    upheld=form.cleaned_data["outcome"] == Complaint.State.UPHELD,
                    resolution=form.cleaned_data["resolution"],
                )
            except TransitionRefused as exc:
                show_refusal(request, form, exc)
            else:
                messages.success(request, _("Đã giải quyết khiếu nại #%(id)s.") % {"id": complaint.pk})
                return redirect("participation:complaint_detail", pk=complaint.pk)
    return render(
        request,
        "workflow/participation/complaint_detail.html",
        {
            "c": complaint,
            "n": complaint.nomination,
            "state": State(complaint.nomination.state).label,
            "form": form,
        },
    )
