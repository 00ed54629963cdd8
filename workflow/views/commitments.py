"""Pages of the commitments (đăng ký thi đua): the campaigns, who has registered by unit, a unit head's
registration. Thin: scope the object to the person, validate the form, call one service, redirect."""

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

from nominations import roles
from nominations.models import Campaign, Person
from nominations.selectors.commitments import (
    commitment_deadline,
    commitment_status_by_unit,
    commitments_of_unit,
)
from workflow.base.errors import TransitionRefused
from workflow.base.inputs import InputForm
from workflow.services import commitments as commitment_services
from workflow.views.common import award_choices, show_refusal


@login_required
def commitment_campaigns(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    today = timezone.localdate()
    campaigns = [
        {"campaign": c, "deadline": commitment_deadline(c), "open": today <= commitment_deadline(c)}
        for c in Campaign.objects.order_by("-ends_on", "kind", "name")
    ]
    return render(
        request,
        "workflow/participation/commitment_campaigns.html",
        {
            "campaigns": campaigns,
            "tracks": roles.reads_the_agency(user),
            "is_head": roles.heads_a_unit(user),
        },
    )


@login_required
def commitment_status(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """The office sees, per unit, who has registered and who has not, with the deadline."""
    if not roles.reads_the_agency(request.user):
        raise PermissionDenied
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    rows = commitment_status_by_unit(campaign=campaign)
    return render(
        request,
        "workflow/participation/commitment_status.html",
        {
            "campaign": campaign,
            "deadline": commitment_deadline(campaign),
            "rows": rows,
            "missing": sum(1 for r in rows if not r.registered),
        },
    )


class CommitmentForm(InputForm):
    """The unit's titles, and a row of title check boxes per person of the unit."""

    def __init__(self, *args: Any, people: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = people
        self.fields["unit_awards"] = forms.MultipleChoiceField(
            label=_("Danh hiệu đơn vị đăng ký"),
            choices=award_choices(individual=False),
            required=False,
            widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        )
        individual = award_choices(individual=True)
        for person in people:
            self.fields[f"person_{person.pk}"] = forms.MultipleChoiceField(
                label=str(person),
                choices=individual,
                required=False,
                widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
            )

    def person_rows(self) -> list[tuple[Person, Any]]:
        return [(p, self[f"person_{p.pk}"]) for p in self.people]


@login_required
def commitment_register(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """A unit head registers what the unit and each of its people aim for (before the deadline)."""
    user: Any = request.user
    if not roles.heads_a_unit(user):
        raise PermissionDenied
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    unit = user.unit
    people = list(Person.objects.filter(unit=unit, is_active=True).order_by("username"))
    current = list(commitments_of_unit(campaign=campaign, unit=unit))
    initial: dict[str, list[str]] = {"unit_awards": [c.award.code for c in current if c.person_id is None]}
    for c in current:
        if c.person_id is not None:
            initial.setdefault(f"person_{c.person_id}", []).append(c.award.code)
    form = CommitmentForm(request.POST or None, people=people, initial=initial)
    deadline = commitment_deadline(campaign)
    if request.method == "POST" and form.is_valid():
        try:
            commitment_services.commitments_register(
                actor=user,
                campaign=campaign,
                unit_awards=form.cleaned_data["unit_awards"],
                people_awards={p.pk: form.cleaned_data[f"person_{p.pk}"] for p in people},
            )
        except TransitionRefused as exc:
            show_refusal(request, form, exc)
        else:
            messages.success(request, _("Đã lưu đăng ký thi đua của %(unit)s.") % {"unit": unit.name})
            return redirect("participation:commitment_register", campaign_id=campaign.pk)
    return render(
        request,
        "workflow/participation/commitment_form.html",
        {
            "campaign": campaign,
            "unit": unit,
            "form": form,
            "deadline": deadline,
            "open": timezone.localdate() <= deadline,
            "current": current,
        },
    )
