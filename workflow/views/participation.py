"""Pages of participation and transparency: commitments, the public notice, complaints, delegation,
award history. Thin: scope the object to the person, validate the form, call one service, redirect."""

from __future__ import annotations

from typing import Any, cast

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
from django.views.decorators.http import require_POST

from nominations import roles
from nominations.access import Perm, holds
from nominations.models import (
    CONTESTABLE_STATES,
    Award,
    AwardRecord,
    Campaign,
    Complaint,
    Person,
    Recipient,
    Role,
    State,
)
from nominations.selectors.commitments import (
    commitment_deadline,
    commitment_status_by_unit,
    commitments_of_unit,
)
from nominations.selectors.delegations import delegations_visible_to
from nominations.selectors.participation import (
    award_records_of,
    complaints_visible_to,
    may_edit_history,
    may_read_history,
    nominee_registered_map,
    notice_running_for,
    notices_running,
    people_with_history,
)
from workflow.base.errors import InvalidInput, TransitionRefused
from workflow.base.inputs import InputForm, IntegerField, ObjectChoiceField, query_text
from workflow.services import award_history as history_services
from workflow.services import commitments as commitment_services
from workflow.services import complaints as complaint_services
from workflow.services import delegations as delegation_services
from workflow.services.common import MAX_TEXT
from workflow.web.dates import DayMonthYearField
from workflow.web.tables import PAGE_SIZE as TABLE_PAGE_SIZE
from workflow.web.tables import ComplaintTable


def _actor(request: HttpRequest) -> Person:
    """The signed-in person (every view here is behind `login_required`)."""
    return cast(Person, request.user)


def _refused(request: HttpRequest, form: forms.Form | None, exc: TransitionRefused) -> None:
    """Show a refusal on the form field it concerns, or as a message."""
    if form is not None and isinstance(exc, InvalidInput) and exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    elif form is not None and isinstance(exc, InvalidInput):
        form.add_error(None, exc.message)
    else:
        messages.error(request, exc.message)


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


# --- the public notice and complaints ---------------------------------------------------------------------
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
                actor=_actor(request),
                text=form.cleaned_data["text"],
            )
        except TransitionRefused as exc:
            _refused(request, form, exc)
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
                    actor=_actor(request),
                    upheld=form.cleaned_data["outcome"] == Complaint.State.UPHELD,
                    resolution=form.cleaned_data["resolution"],
                )
            except TransitionRefused as exc:
                _refused(request, form, exc)
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


# --- commitments --------------------------------------------------------------------------------------
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


def _award_choices(individual: bool) -> list[tuple[str, str]]:
    recipient = Recipient.INDIVIDUAL if individual else Recipient.COLLECTIVE
    return [
        (a.code, a.name)
        for a in Award.objects.filter(recipient__in=[recipient, Recipient.BOTH]).order_by("order")
    ]


class CommitmentForm(InputForm):
    """The unit's titles, and a row of title check boxes per person of the unit."""

    def __init__(self, *args: Any, people: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = people
        self.fields["unit_awards"] = forms.MultipleChoiceField(
            label=_("Danh hiệu đơn vị đăng ký"),
            choices=_award_choices(individual=False),
            required=False,
            widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        )
        individual = _award_choices(individual=True)
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
            _refused(request, form, exc)
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


# --- delegation ---------------------------------------------------------------------------------------
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
                _refused(request, form, exc)
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
            actor=_actor(request),
            reason=request.POST.get("reason", ""),
        )
    except TransitionRefused as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã thu hồi ủy quyền."))
    return redirect("participation:delegations")


# --- award history ------------------------------------------------------------------------------------
class AwardRecordForm(InputForm):
    award = forms.ChoiceField(label=gettext_lazy("Danh hiệu, hình thức khen thưởng"))
    year = IntegerField(label=gettext_lazy("Năm"), min_value=1945, max_value=9999)
    decision_number = forms.CharField(label=gettext_lazy("Số quyết định"), max_length=60)
    decision_date = DayMonthYearField(label=gettext_lazy("Ngày quyết định"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["award"].choices = _award_choices(individual=True)  # type: ignore[attr-defined]


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
    return _history_page(request, _actor(request))


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
            history_services.award_record_add(actor=_actor(request), person=person, **form.cleaned_data)
        except TransitionRefused as exc:
            _refused(request, form, exc)
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
            history_services.award_record_update(actor=_actor(request), record=record, **form.cleaned_data)
        except TransitionRefused as exc:
            _refused(request, form, exc)
        else:
            messages.success(request, _("Đã sửa quá trình khen thưởng."))
            return redirect("participation:history_person", person_id=record.person_id)
    return render(request, "workflow/participation/history_edit.html", {"record": record, "form": form})


@login_required
@require_POST
def history_remove(request: HttpRequest, pk: int) -> HttpResponse:
    record = _manual_record(request, pk)
    try:
        history_services.award_record_remove(actor=_actor(request), record=record)
    except TransitionRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã xóa khỏi quá trình khen thưởng."))
    return redirect("participation:history_person", person_id=record.person_id)
