"""Pages of the decisions area: the Director's decisions, forwarding upward, outcomes, reports, downloads.

Thin views: the object is fetched through a selector scoped to the user (404 when not visible), the form
checks the shape of the input, one service does the work; refusals come back as the form's errors with
the status of the refusal (400, 403, 409). State changes are POST only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from nominations import documents, roles
from nominations.amounts import NoBaseSalary, base_salary_on
from nominations.documents.data import report_counts, report_lines, report_ratings
from nominations.models import Decision, Report, UpwardSubmission
from nominations.selectors.decisions import (
    decisions_visible_to,
    nominations_approved_by_user,
    nominations_awaiting_decision,
    nominations_awaiting_outcome,
    reads_all_documents,
    reports_visible_to,
    upward_submissions_visible_to,
)
from nominations.selectors.nominations import nominations_visible_to
from workflow.audit import log as audit
from workflow.base.errors import TransitionRefused
from workflow.documents.downloads import render_document
from workflow.models import AuditEvent
from workflow.services import decisions as services
from workflow.services import reports as report_services
from workflow.services import upward_submissions as upward_services
from workflow.views.common import show_refusal
from workflow.views.decision_forms import (
    DecisionIssueForm,
    OutcomeForm,
    ReasonForm,
    ReportForm,
    SubmissionForm,
)


# --- helpers ------------------------------------------------------------------------------------------
def _selected_ids(request: HttpRequest) -> list[str]:
    return [value for value in request.POST.getlist("nominations") if value.strip()]


def _revocations(nomination_ids: list[int]) -> dict[int, AuditEvent]:
    events = AuditEvent.objects.filter(nomination_id__in=nomination_ids, transition="revoke").order_by(
        *audit.CHAIN_ORDER
    )
    return {event.nomination_id: event for event in events if event.nomination_id is not None}


def _may_decide(user: Any) -> bool:
    return roles.is_decider(user)


# --- the Director's decisions ----------------------------------------------------------------------------
def _decisions_page(
    request: HttpRequest, form: DecisionIssueForm | None = None, status: int = 200
) -> HttpResponse:
    awaiting = nominations_awaiting_decision(user=request.user, authority="director")
    selected = set(_selected_ids(request)) if request.method == "POST" else set()
    try:
        salary = base_salary_on(timezone.localdate())
    except NoBaseSalary:
        salary = None
    context = {
        "awaiting": awaiting,
        "selected": selected,
        "form": form or DecisionIssueForm(user=request.user),
        "reason_form": ReasonForm(),
        "decisions": decisions_visible_to(user=request.user)[:100],
        "salary": salary,
        "may_decide": _may_decide(request.user),
    }
    return render(request, "workflow/decisions/decisions.html", context, status=status)


@login_required
@require_GET
def decisions_home(request: HttpRequest) -> HttpResponse:
    return _decisions_page(request)


@login_required
@require_POST
def decision_issue(request: HttpRequest) -> HttpResponse:
    form = DecisionIssueForm(request.POST, user=request.user)
    if not form.is_valid():
        return _decisions_page(request, form, status=400)
    try:
        decision = services.decision_issue(
            nominations=_selected_ids(request),
            actor=request.user,
            number=form.cleaned_data["number"],
            date=form.cleaned_data["date"],
            signer=form.cleaned_data["signer"],
            comment=form.cleaned_data["comment"],
            method=form.cleaned_data["method"],
        )
    except TransitionRefused as exc:
        return _decisions_page(
            request, form, status=show_refusal(request, form, exc, every_refusal_on_form=True)
        )
    messages.success(
        request,
        _("Đã ban hành Quyết định số %(number)s: %(n)s hồ sơ được khen thưởng.")
        % {"number": decision.number, "n": decision.items.count()},
    )
    return redirect("decisions:decision", pk=decision.pk)


@login_required
@require_POST
def nomination_decline(request: HttpRequest, nomination_pk: int) -> HttpResponse:
    nomination = get_object_or_404(nominations_visible_to(user=request.user), pk=nomination_pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Cần nêu lý do không khen thưởng."))
        return _decisions_page(request, status=400)
    try:
        services.decision_decline(
            nomination=nomination, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except TransitionRefused as exc:
        return _decisions_page(request, status=show_refusal(request, None, exc))
    messages.success(request, _("Đã quyết định không khen thưởng: %(n)s.") % {"n": nomination})
    return redirect("decisions:home")


@login_required
@require_GET
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(decisions_visible_to(user=request.user), pk=pk)
    return _decision_page(request, decision)


def _decision_page(request: HttpRequest, decision: Decision, status: int = 200) -> HttpResponse:
    items = list(
        decision.items.select_related(
            "nomination__award",
            "nomination__nominating_unit",
            "nomination__nominee_person__unit",
            "nomination__nominee_unit",
        ).order_by("position")
    )
    ids = [item.nomination_id for item in items]
    revocations = _revocations(ids)
    revocable = set(
        nominations_approved_by_user(user=request.user).filter(pk__in=ids).values_list("pk", flat=True)
    )
    context = {
        "decision": decision,
        "rows": [(item, revocations.get(item.nomination_id)) for item in items],
        "revocable": revocable,
        "reason_form": ReasonForm(),
        "pdf": documents.pdf_available(),
    }
    return render(request, "workflow/decisions/decision_detail.html", context, status=status)


@login_required
@require_POST
def decision_revoke(request: HttpRequest, pk: int, nomination_pk: int) -> HttpResponse:
    decision = get_object_or_404(decisions_visible_to(user=request.user), pk=pk)
    item = get_object_or_404(decision.items.select_related("nomination"), nomination_id=nomination_pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Cần nêu lý do hủy bỏ quyết định khen thưởng."))
        return _decision_page(request, decision, status=400)
    try:
        services.decision_revoke(
            nomination=item.nomination, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except TransitionRefused as exc:
        return _decision_page(request, decision, status=show_refusal(request, None, exc))
    messages.success(request, _("Đã hủy bỏ khen thưởng đối với %(n)s.") % {"n": item.nomination.nominee})
    return redirect("decisions:decision", pk=decision.pk)


@login_required
@require_GET
def decision_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    decision = get_object_or_404(decisions_visible_to(user=request.user), pk=pk)
    if fmt not in {"docx", "pdf"}:
        raise Http404
    return render_document("decision", decision, fmt)


# --- forwarding upward -------------------------------------------------------------------------------------
def _forwarding_page(
    request: HttpRequest, form: SubmissionForm | None = None, status: int = 200
) -> HttpResponse:
    context = {
        "awaiting": nominations_awaiting_decision(user=request.user, authority="forwarded"),
        "selected": set(_selected_ids(request)) if request.method == "POST" else set(),
        "form": form or SubmissionForm(user=request.user),
        "submissions": upward_submissions_visible_to(user=request.user)[:100],
        "awaiting_outcome": nominations_awaiting_outcome(user=request.user).select_related(
            "submission_item__submission"
        ),
        "may_decide": _may_decide(request.user),
    }
    return render(request, "workflow/decisions/forwarding.html", context, status=status)


@login_required
@require_GET
def forwarding_home(request: HttpRequest) -> HttpResponse:
    return _forwarding_page(request)


@login_required
@require_POST
def submission_create(request: HttpRequest) -> HttpResponse:
    form = SubmissionForm(request.POST, user=request.user)
    if not form.is_valid():
        return _forwarding_page(request, form, status=400)
    try:
        submission = upward_services.upward_submission_create(
            nominations=_selected_ids(request),
            actor=request.user,
            number=form.cleaned_data["number"],
            date=form.cleaned_data["date"],
            addressee=form.cleaned_data["addressee"],
            addressee_name=form.cleaned_data["addressee_name"],
            signer=form.cleaned_data["signer"],
        )
    except TransitionRefused as exc:
        return _forwarding_page(
            request, form, status=show_refusal(request, form, exc, every_refusal_on_form=True)
        )
    messages.success(request, _("Đã trình cấp trên: Tờ trình số %(number)s.") % {"number": submission.number})
    return redirect("decisions:submission", pk=submission.pk)


def _submission_page(
    request: HttpRequest,
    submission: UpwardSubmission,
    *,
    bound: tuple[int, OutcomeForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    items = list(
        submission.items.select_related(
            "nomination__award",
            "nomination__nominating_unit",
            "nomination__nominee_person__unit",
            "nomination__nominee_unit",
        ).order_by("position")
    )
    ids = [item.nomination_id for item in items]
    recordable = set(
        nominations_awaiting_outcome(user=request.user).filter(pk__in=ids).values_list("pk", flat=True)
    )
    forms_by_item = {
        pk: (bound[1] if bound and bound[0] == pk else OutcomeForm(prefix=f"n{pk}")) for pk in recordable
    }
    rows = [(item, forms_by_item.get(item.nomination_id)) for item in items]
    context = {"submission": submission, "rows": rows, "pdf": documents.pdf_available()}
    return render(request, "workflow/decisions/submission_detail.html", context, status=status)


@login_required
@require_GET
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_object_or_404(upward_submissions_visible_to(user=request.user), pk=pk)
    return _submission_page(request, submission)


@login_required
@require_POST
def submission_outcome(request: HttpRequest, pk: int, nomination_pk: int) -> HttpResponse:
    submission = get_object_or_404(upward_submissions_visible_to(user=request.user), pk=pk)
    item = get_object_or_404(submission.items.select_related("nomination"), nomination_id=nomination_pk)
    form = OutcomeForm(request.POST, prefix=f"n{nomination_pk}")
    if not form.is_valid():
        return _submission_page(request, submission, bound=(nomination_pk, form), status=400)
    try:
        upward_services.upward_outcome_record(
            nomination=item.nomination,
            actor=request.user,
            granted=form.cleaned_data["granted"],
            decision_number=form.cleaned_data["decision_number"],
            decision_date=form.cleaned_data["decision_date"],
        )
    except TransitionRefused as exc:
        status = show_refusal(request, form, exc, every_refusal_on_form=True)
        return _submission_page(request, submission, bound=(nomination_pk, form), status=status)
    messages.success(
        request, _("Đã ghi nhận kết quả của cấp trên cho %(n)s.") % {"n": item.nomination.nominee}
    )
    return redirect("decisions:submission", pk=submission.pk)


@login_required
@require_GET
def submission_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    submission = get_object_or_404(upward_submissions_visible_to(user=request.user), pk=pk)
    if fmt not in {"docx", "pdf"}:
        raise Http404
    return render_document("submission", submission, fmt)


# --- reports -----------------------------------------------------------------------------------------------
def _require_reader(request: HttpRequest) -> None:
    if not reads_all_documents(request.user):
        raise PermissionDenied(_("Chỉ Lãnh đạo Cục, Phòng TC-HC và kiểm tra viên xem được báo cáo."))


def _reports_page(request: HttpRequest, form: ReportForm | None = None, status: int = 200) -> HttpResponse:
    context = {
        "reports": reports_visible_to(user=request.user)[:100],
        "form": form or ReportForm(user=request.user),
        "may_prepare": roles.is_office(request.user),
    }
    return render(request, "workflow/decisions/reports.html", context, status=status)


@login_required
@require_GET
def reports_home(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    return _reports_page(request)


@login_required
@require_POST
def report_create(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    form = ReportForm(request.POST, user=request.user)
    if not form.is_valid():
        return _reports_page(request, form, status=400)
    try:
        report = report_services.report_create(
            campaign=form.cleaned_data["campaign"],
            actor=request.user,
            number=form.cleaned_data["number"],
            date=form.cleaned_data["date"],
            signer=form.cleaned_data["signer"],
            recipients=form.cleaned_data["recipients"],
        )
    except TransitionRefused as exc:
        return _reports_page(
            request, form, status=show_refusal(request, form, exc, every_refusal_on_form=True)
        )
    messages.success(request, _("Đã lập dự thảo Báo cáo số %(number)s.") % {"number": report.number})
    return redirect("decisions:report", pk=report.pk)


def _report_page(request: HttpRequest, report: Report, status: int = 200) -> HttpResponse:
    context = {
        "report": report,
        "counts": report_counts(report),
        "lines": report_lines(report),
        "ratings": report_ratings(report),
        "may_issue": not report.is_issued and roles.is_office(request.user),
        "pdf": documents.pdf_available(),
    }
    return render(request, "workflow/decisions/report_detail.html", context, status=status)


@login_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reader(request)
    report = get_object_or_404(reports_visible_to(user=request.user), pk=pk)
    return _report_page(request, report)


@login_required
@require_POST
def report_issue(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reader(request)
    report = get_object_or_404(reports_visible_to(user=request.user), pk=pk)
    try:
        report = report_services.report_issue(report=report, actor=request.user)
    except TransitionRefused as exc:
        return _report_page(request, report, status=show_refusal(request, None, exc))
    messages.success(
        request,
        _("Đã ban hành Báo cáo số %(number)s: %(n)s hồ sơ chuyển sang “Đã báo cáo”.")
        % {"number": report.number, "n": report.items.count()},
    )
    return redirect("decisions:report", pk=report.pk)


@login_required
@require_GET
def report_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    _require_reader(request)
    report = get_object_or_404(reports_visible_to(user=request.user), pk=pk)
    if fmt not in {"docx", "xlsx", "pdf"}:
        raise Http404
    return render_document("report", report, fmt)
