"""Pages of the award history (quá trình khen thưởng): my own, the list of people, a person's, and the
office's manual records (add, edit, remove). Thin: scope the person, validate the form, call one service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from nominations import roles
from nominations.models import AwardRecord, Person
from nominations.selectors.participation import (
    award_records_of,
    may_edit_history,
    may_read_history,
    people_with_history,
)
from workflow.base.errors import TransitionRefused
from workflow.base.inputs import InputForm, IntegerField, query_text
from workflow.services import award_history as history_services
from workflow.views.common import award_choices, person_of, show_refusal
from workflow.web.dates import DayMonthYearField


class AwardRecordForm(InputForm):
    award = forms.ChoiceField(label=gettext_lazy("Danh hiệu, hình thức khen thưởng"))
    year = IntegerField(label=gettext_lazy("Năm"), min_value=1945, max_value=9999)
    decision_number = forms.CharField(label=gettext_lazy("Số quyết định"), max_length=60)
    decision_date = DayMonthYearField(label=gettext_lazy("Ngày quyết định"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["award"].choices = award_choices(individual=True)  # type: ignore[attr-defined]


def _history_person(request: HttpRequest, person_id: int) -> Person:
    person = get_object_or_404(Person.objects.select_related("unit"), pk=person_id)
    if not may_read_history(request.user, person):
        raise Http404  # never a hint about whose history exists
    return person


def _history_page(request: HttpRequest, person: Person, form: AwardRecordForm | None = None) -> HttpResponse:
    editable = may_edit_history(request.user)
    if editable and form is None:
        form = AwardRecordForm(initial={"year": timezone.localdate().year - 1})
    records = list(award_records_of(person=person))
    years: dict[int, list[AwardRecord]] = {}
    for record in records:
        years.setdefault(record.year, []).append(record)
    return render(
        request,
        "workflow/participation/history.html",
        {
            "person": person,
            "years": sorted(years.items(), reverse=True),
            "form": form if editable else None,
            "editable": editable,
            "own": request.user.pk == person.pk,
        },
    )


@login_required
def history_mine(request: HttpRequest) -> HttpResponse:
    return _history_page(request, person_of(request))


@login_required
def history_index(request: HttpRequest) -> HttpResponse:
    if not roles.reads_all_records(request.user):
        raise PermissionDenied
    query = query_text(request.GET.get("q"), limit=100)
    return render(
        request,
        "workflow/participation/history_index.html",
        {"people": people_with_history(query=query), "q": query},
    )


@login_required
def history_person(request: HttpRequest, person_id: int) -> HttpResponse:
    return _history_page(request, _history_person(request, person_id))


@login_required
@require_POST
def history_add(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _history_person(request, person_id)
    if not may_edit_history(request.user):
        raise PermissionDenied
    form = AwardRecordForm(request.POST)
    if form.is_valid():
        try:
            history_services.award_record_add(actor=person_of(request), person=person, **form.cleaned_data)
        except TransitionRefused as exc:
            show_refusal(request, form, exc)
        else:
            messages.success(request, _("Đã thêm vào quá trình khen thưởng."))
            return redirect("participation:history_person", person_id=person.pk)
    return _history_page(request, person, form)


def _manual_record(request: HttpRequest, pk: int) -> AwardRecord:
    if not may_edit_history(request.user):
        raise PermissionDenied
    return get_object_or_404(
        AwardRecord.objects.select_related("person", "award"), pk=pk, person__isnull=False
    )


@login_required
def history_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = _manual_record(request, pk)
    initial = {
        "award": record.award.code,
        "year": record.year,
        "decision_number": record.decision_number,
        "decision_date": record.decision_date,
    }
    form = AwardRecordForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            history_services.award_record_update(actor=person_of(request), record=record, **form.cleaned_data)
        except TransitionRefused as exc:
            show_refusal(request, form, exc)
        else:
            messages.success(request, _("Đã sửa quá trình khen thưởng."))
            return redirect("participation:history_person", person_id=record.person_id)
    return render(request, "workflow/participation/history_edit.html", {"record": record, "form": form})


@login_required
@require_POST
def history_remove(request: HttpRequest, pk: int) -> HttpResponse:
    record = _manual_record(request, pk)
    try:
        history_services.award_record_remove(actor=person_of(request), record=record)
    except TransitionRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã xóa khỏi quá trình khen thưởng."))
    return redirect("participation:history_person", person_id=record.person_id)
