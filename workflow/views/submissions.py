"""The unit's submission pages: the unit head's list (add, import with preview, remove rows, shared
papers, submit all) and the office's view of every unit's submissions with their counts.

Thin: scope the submission to the person, validate the form, call one service, redirect.
"""

from __future__ import annotations

import base64
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from nominations import roles
from nominations.models import (
    Award,
    AwardRule,
    Campaign,
    DossierFile,
    Nomination,
    NoRuleInForce,
    Person,
    Rating,
    State,
    Submission,
    SubmissionFile,
)
from nominations.rules.eligibility import missing_file_kinds, rule_of
from nominations.selectors.submissions import submissions_visible_to, submissions_with_counts
from workflow.base.errors import InvalidInput, TransitionRefused
from workflow.base.inputs import InputForm, ObjectChoiceField, parse_id
from workflow.documents.downloads import FileMissing, dossier_file_response
from workflow.process import transitions
from workflow.services import nominations as nomination_services
from workflow.services import submission_import, submissions
from workflow.services.imports import ImportRejected
from workflow.views.common import person_of, posted
from workflow.views.dossier_files import FilePanel, file_panel_of, file_remove, files_add
from workflow.views.nomination_actions import held_on, row_actions

IMPORT_SESSION_KEY = "submission-import:%s"


class OpenSubmissionForm(InputForm):
    campaign = ObjectChoiceField(
        queryset=Campaign.objects.none(),
        label=gettext_lazy("Phong trào thi đua"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, user: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        campaigns = Campaign.objects.all()
        if user.unit_id is not None:
            campaigns = campaigns.filter(Q(units=user.unit_id) | Q(units__isnull=True)).distinct()
        field = self.fields["campaign"]
        assert isinstance(field, ObjectChoiceField)
        field.queryset = campaigns.exclude(submissions__unit=user.unit_id).order_by(
            "-ends_on", "kind", "name"
        )


class AddRowForm(InputForm):
    nominee = forms.ChoiceField(
        label=gettext_lazy("Đối tượng"), widget=forms.Select(attrs={"class": "form-select"})
    )
    award = ObjectChoiceField(
        queryset=Award.objects.all(),
        label=gettext_lazy("Danh hiệu"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    rating = forms.ChoiceField(
        label=gettext_lazy("Xếp loại"),
        choices=[("", "—"), *Rating.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    summary = forms.CharField(
        label=gettext_lazy("Tóm tắt thành tích"),
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )

    def __init__(self, *args: Any, submission: Submission, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = submission.unit
        field = self.fields["nominee"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(f"unit:{unit.pk}", _("Tập thể: %(unit)s") % {"unit": unit.name})] + [
            (f"person:{p.pk}", p.get_full_name())
            for p in Person.objects.filter(unit=unit, is_active=True).order_by("full_name")
        ]
        self.submission = submission

    def nominee_kwargs(self) -> dict[str, Any]:
        kind, _sep, pk = self.cleaned_data["nominee"].partition(":")
        if kind == "unit":
            return {"nominee_unit": self.submission.unit, "nominee_person": None}
        return {
            "nominee_person": Person.objects.get(pk=int(pk), unit=self.submission.unit),
            "nominee_unit": None,
        }


class ImportForm(InputForm):
    file = forms.FileField(label=gettext_lazy("Tệp Excel (.xlsx) theo mẫu"))


class ReasonForm(InputForm):
    comment = forms.CharField(
        label=gettext_lazy("Lý do (bắt buộc)"),
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        max_length=4000,
    )


def _visible(request: HttpRequest, pk: int) -> Submission:
    return get_object_or_404(
        submissions_visible_to(user=request.user).select_related("unit", "campaign"), pk=pk
    )


def _is_head(user: Person, submission: Submission) -> bool:
    return roles.is_unit_head(user) and user.unit_id == submission.unit_id


@login_required
def submission_list(request: HttpRequest) -> HttpResponse:
    user = person_of(request)
    visible = submissions_visible_to(user=user)
    office = roles.is_office(user) or not roles.is_unit_head(user)
    campaign = parse_id(request.GET.get("campaign"))
    unit = parse_id(request.GET.get("unit"))
    if campaign is not None:
        visible = visible.filter(campaign_id=campaign)
    if unit is not None:
        visible = visible.filter(unit_id=unit)
    rows = list(submissions_with_counts(visible).order_by("campaign__ends_on", "unit__code", "pk"))
    form = None
    if roles.heads_a_unit(user):
        form = OpenSubmissionForm(posted(request), user=user)
        if request.method == "POST" and form.is_valid():
            try:
                created = submissions.submission_create(actor=user, campaign=form.cleaned_data["campaign"])
            except TransitionRefused as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, _("Đã lập hồ sơ đề nghị của đơn vị."))
                return redirect("submission_detail", pk=created.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "workflow/submissions/list.html",
        {
            "rows": rows,
            "form": form,
            "office": office,
            "campaigns": Campaign.objects.order_by("-ends_on", "name"),
            "campaign": campaign,
            "unit": unit,
            "units": sorted({(r.unit_id, r.unit.name) for r in rows}, key=lambda u: u[1]),
        },
        status=400 if form is not None and form.errors else 200,
    )


def _rows(submission: Submission, user: Person) -> list[dict[str, Any]]:
    """Each nominee of the list with its state, the papers still missing (shared ones counted once), and
    what this person may do to it, as the nomination's own page offers it (one grants query for the list).
    A draft's withdrawal is offered as "Bỏ" (taken off the list), not as the nomination's own action."""
    shared = set(submission.files.values_list("kind", flat=True))
    rules: dict[int, AwardRule | None] = {}
    rows = []
    nominations = list(
        submission.nominations.select_related("award", "nominee_person", "nominee_unit", "campaign")
        .prefetch_related("files")
        .order_by("pk")
    )
    held = held_on(user, nominations)
    for n in nominations:
        if n.award_id not in rules:
            try:
                rules[n.award_id] = rule_of(n)
            except NoRuleInForce:
                rules[n.award_id] = None
        rule = rules[n.award_id]
        present = {f.kind for f in n.files.all()} | shared
        missing = missing_file_kinds(rule, present) if rule is not None else []
        draft = n.state == State.DRAFT
        actions = row_actions(n, held[n.pk], skip={"withdraw"} if draft else ())
        rows.append(
            {
                "n": n,
                "missing": [DossierFile.Kind(k).label for k in missing],
                "actions": actions,
                "removable": draft and transitions.spec("withdraw").perm in held[n.pk],
            }
        )
    return rows


SUBMISSION_FILE_URLS = ("submission_files_add", "submission_file_download", "submission_file_remove")


def _file_panel(submission: Submission, *, head: bool) -> FilePanel:
    return file_panel_of(
        submission,
        kinds=SubmissionFile.Kind.choices,
        urls=SUBMISSION_FILE_URLS,
        can_change=head,
        back=reverse("submission_detail", args=[submission.pk]),
        preselect=True,
        empty=_("Chưa có tờ trình, biên bản bình xét.") if head else _("Chưa có tài liệu chung."),
    )


def _nominees_oob(request: HttpRequest, submission: Submission) -> str:
    """The list's rows, out of band: a shared paper added or removed changes what each still misses."""
    context = {"s": submission, "rows": _rows(submission, person_of(request)), "oob": True}
    return render_to_string("workflow/submissions/nominees.html", context, request=request)


def _detail_context(request: HttpRequest, submission: Submission, **extra: Any) -> dict[str, Any]:
    user = person_of(request)
    head = _is_head(user, submission)
    return {
        "s": submission,
        "rows": _rows(submission, user),
        "panel": _file_panel(submission, head=head),
        "is_head": head,
        "is_office": roles.is_office(user),
        "add_form": extra.pop("add_form", None) or (AddRowForm(submission=submission) if head else None),
        "import_form": extra.pop("import_form", None) or ImportForm(),
        "return_form": extra.pop("return_form", None) or ReasonForm(),
        "submittable": submission.nominations.filter(state__in=(State.DRAFT, State.RETURNED)).count(),
        "returnable": submission.nominations.filter(state=State.SUBMITTED).count(),
        **extra,
    }


@login_required
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _visible(request, pk)
    return render(request, "workflow/submissions/detail.html", _detail_context(request, submission))


@login_required
@require_POST
def submission_add_row(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _visible(request, pk)
    user = person_of(request)
    if not _is_head(user, submission):
        raise PermissionDenied
    form = AddRowForm(request.POST, submission=submission)
    if form.is_valid():
        try:
            nomination_services.nomination_create(
                actor=user,
                campaign=submission.campaign,
                award=form.cleaned_data["award"],
                summary=form.cleaned_data["summary"],
                rating=form.cleaned_data["rating"],
                submission=submission,
                **form.nominee_kwargs(),
            )
        except InvalidInput as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        except TransitionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Đã thêm vào danh sách."))
            return redirect("submission_detail", pk=pk)
    return render(
        request,
        "workflow/submissions/detail.html",
        _detail_context(request, submission, add_form=form),
        status=400,
    )


@login_required
@require_POST
def submission_remove_row(request: HttpRequest, pk: int, nomination_pk: int) -> HttpResponse:
    submission = _visible(request, pk)
    nomination = get_object_or_404(Nomination, pk=nomination_pk, submission=submission)
    try:
        submissions.submission_nomination_remove(
            submission=submission, nomination=nomination, actor=person_of(request)
        )
    except TransitionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Đã bỏ %(nominee)s khỏi danh sách.") % {"nominee": nomination.nominee})
    return redirect("submission_detail", pk=pk)


@login_required
@require_POST
def submission_files_add(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _visible(request, pk)
    user = person_of(request)

    def add(*, upload: Any, kind: str) -> None:
        submissions.submission_file_add(submission=submission, actor=user, upload=upload, kind=kind)

    return files_add(
        request,
        add=add,
        panel=lambda: _file_panel(submission, head=_is_head(user, submission)),
        back=reverse("submission_detail", args=[pk]),
        also=lambda: _nominees_oob(request, submission),
    )


@login_required
@require_POST
def submission_file_remove(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    submission = _visible(request, pk)
    row = get_object_or_404(SubmissionFile, pk=file_pk, submission=submission)
    user = person_of(request)
    return file_remove(
        request,
        row=row,
        remove=lambda: submissions.submission_file_remove(submission_file=row, actor=user),
        panel=lambda: _file_panel(submission, head=_is_head(user, submission)),
        back=reverse("submission_detail", args=[pk]),
        also=lambda: _nominees_oob(request, submission),
    )


@login_required
def submission_file_download(request: HttpRequest, pk: int, file_pk: int) -> Any:
    submission = _visible(request, pk)
    row = get_object_or_404(SubmissionFile, pk=file_pk, submission=submission)
    try:
        return dossier_file_response(row)  # type: ignore[arg-type]
    except FileMissing as missing:
        messages.error(request, missing.message)
        return redirect("submission_detail", pk=pk)


@login_required
def submission_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        submission_import.list_template(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-de-nghi.xlsx"'
    return response


@login_required
@require_POST
def submission_import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload → preview: what would be created and every wrong row; the file waits in the session."""
    submission = _visible(request, pk)
    user = person_of(request)
    form = ImportForm(request.POST, request.FILES)
    plan = None
    if form.is_valid():
        data = form.cleaned_data["file"].read()
        try:
            plan = submission_import.submission_import_preview(submission=submission, actor=user, data=data)
        except InvalidInput as error:
            form.add_error("file", error.message)
        except TransitionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            if not plan.errors:
                request.session[IMPORT_SESSION_KEY % pk] = base64.b64encode(data).decode("ascii")
    context = _detail_context(request, submission, import_form=form, plan=plan)
    return render(request, "workflow/submissions/detail.html", context, status=200 if plan else 400)


@login_required
@require_POST
def submission_import_commit(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _visible(request, pk)
    stored = request.session.pop(IMPORT_SESSION_KEY % pk, None)
    if stored is None:
        messages.error(request, _("Chưa có tệp đã xem trước: hãy tải tệp lên và xem trước lại."))
        return redirect("submission_detail", pk=pk)
    try:
        created, unchanged = submission_import.submission_import(
            submission=submission, actor=person_of(request), data=base64.b64decode(stored)
        )
    except ImportRejected as rejected:
        messages.error(request, rejected.message)
    except TransitionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("Đã nhập %(created)s đối tượng; %(unchanged)s dòng đã có trong danh sách, giữ nguyên.")
            % {"created": len(created), "unchanged": len(unchanged)},
        )
    return redirect("submission_detail", pk=pk)


@login_required
def submission_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirmation (what will be sent); POST: submit the whole list, or nothing."""
    submission = _visible(request, pk)
    user = person_of(request)
    if not _is_head(user, submission):
        raise PermissionDenied
    refused = None
    if request.method == "POST":
        try:
            submissions.submission_submit(submission=submission, actor=user)
        except submissions.ListRefused as refusal:
            refused = refusal
        except TransitionRefused as refusal:
            messages.error(request, refusal.message)
            return redirect("submission_detail", pk=pk)
        else:
            messages.success(request, _("Đã gửi cả danh sách của đơn vị."))
            return redirect("submission_detail", pk=pk)
    return render(
        request,
        "workflow/submissions/confirm_submit.html",
        {**_detail_context(request, submission), "refused": refused},
        status=409 if refused else 200,
    )


@login_required
@require_POST
def submission_return(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _visible(request, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            submissions.submission_return(
                submission=submission, actor=person_of(request), comment=form.cleaned_data["comment"]
            )
        except InvalidInput as error:
            form.add_error("comment", error.message)
        except TransitionRefused as refusal:
            messages.error(request, refusal.message)
            return redirect("submission_detail", pk=pk)
        else:
            messages.success(request, _("Đã trả lại cả danh sách cho đơn vị."))
            return redirect("submission_detail", pk=pk)
    return render(
        request,
        "workflow/submissions/detail.html",
        _detail_context(request, submission, return_form=form),
        status=400,
    )
