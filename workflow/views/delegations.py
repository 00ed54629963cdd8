"""Pages of the delegation of the Director's decisions to a Deputy Director: the list (the Director grants
one there) and revoking one. Thin: scope the object to the person, validate the form, call one service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from nominations import roles
from nominations.models import Person, Role
from nominations.selectors.delegations import delegations_visible_to
from workflow.base.errors import InvalidInput, TransitionRefused
from workflow.base.inputs import InputForm, ObjectChoiceField
from workflow.services import delegations as delegation_services
from workflow.views.common import person_of, show_refusal
from workflow.web.dates import DayMonthYearField


class DelegationForm(InputForm):
    delegate = ObjectChoiceField(
        label=gettext_lazy("Phó Cục trưởng được ủy quyền"), queryset=Person.objects.none()
    )
    starts_on = DayMonthYearField(label=gettext_lazy("Từ ngày"))
    ends_on = DayMonthYearField(label=gettext_lazy("Đến hết ngày"))
    note = forms.CharField(label=gettext_lazy("Văn bản, lý do ủy quyền"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = Person.objects.filter(  # type: ignore[attr-defined]
            is_active=True, groups__name=Role.DEPUTY_DIRECTOR
        ).order_by("full_name")


@login_required
def delegation_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not (roles.is_decider(user) or roles.reads_all_records(user)):
        raise PermissionDenied
    is_director = roles.is_director(user)
    form = DelegationForm(request.POST or None) if is_director else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                delegation_services.delegation_create(
                    actor=user,
                    delegate=form.cleaned_data["delegate"],
                    starts=form.cleaned_data["starts_on"],
                    ends=form.cleaned_data["ends_on"],
                    note=form.cleaned_data["note"],
                )
            except TransitionRefused as exc:
                field_map = {"starts_at": "starts_on", "ends_at": "ends_on"}
                if isinstance(exc, InvalidInput):
                    exc.field = field_map.get(exc.field, exc.field)
                show_refusal(request, form, exc)
            else:
                messages.success(request, _("Đã ủy quyền quyết định khen thưởng."))
                return redirect("participation:delegations")
    now = timezone.now()
    delegations = [
        {"d": d, "live": d.is_live(now), "ended": d.ends_at < now} for d in delegations_visible_to(user=user)
    ]
    return render(
        request,
        "workflow/participation/delegations.html",
        {"delegations": delegations, "form": form, "is_director": is_director},
    )


@login_required
@require_POST
def delegation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    delegation = get_object_or_404(delegations_visible_to(user=request.user), pk=pk)
    try:
        delegation_services.delegation_revoke(
            delegation=delegation,
            actor=person_of(request),
            reason=request.POST.get("reason", ""),
        )
    except TransitionRefused as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã thu hồi ủy quyền."))
    return redirect("participation:delegations")
