"""Pages of the council: the sessions I sit on, a session (agenda, my ballots, receipts, results,
minutes), and the secretary's and the chair's actions. Thin: scope the session to the user, call one
service, redirect with a message that says what happened or why not.

The secretary's attendance form and the agenda form save in place with htmx (django-htmx's
`request.htmx`): the same view and service answer an htmx request with the form's own part of the page
(`_attendance.html` with the draft minutes out of band, `_agenda.html`) — the error on the form at
fault, 400/403/409 as the API would — and a plain POST with the redirect it always had, so the page
works without JavaScript.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from nominations import roles
from nominations.documents.layout import agency
from nominations.documents.minutes import build_minutes
from nominations.documents.vietnamese import day_text
from nominations.models import (
    Attendance,
    Choice,
    CouncilItemResult,
    CouncilSession,
    Nomination,
    Person,
    Role,
    State,
)
from nominations.selectors.council import (
    agenda_of,
    council_members_eligible,
    council_sessions_visible_to,
    items_voted_by,
    nominations_schedulable,
    participation_counts,
    receipt_counted,
)
from nominations.selectors.nominations import nominations_visible_to
from workflow.api.council import minutes_response
from workflow.base.errors import InvalidInput, NotPermitted, TransitionRefused
from workflow.base.inputs import InputForm, ObjectChoiceField, ObjectMultipleChoiceField, parse_id, query_text
from workflow.services import council_ballots, council_count, council_sessions
from workflow.web.dates import DayMonthYearField


class MemberChoiceField(ObjectMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_full_name()} — {obj.position}" if obj.position else obj.get_full_name()


class SessionForm(InputForm):
    name = forms.CharField(label=gettext_lazy("Tên phiên họp"), max_length=200)
    date = DayMonthYearField(label=gettext_lazy("Ngày họp"))
    members = MemberChoiceField(
        label=gettext_lazy("Thành viên"), queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    chair = ObjectChoiceField(label=gettext_lazy("Chủ tịch Hội đồng chủ trì"), queryset=Person.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        eligible = council_members_eligible()
        self.fields["members"].queryset = eligible  # type: ignore[attr-defined]
        self.fields["chair"].queryset = eligible  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("members", list(eligible))
            chair = eligible.filter(groups__name=Role.COUNCIL_CHAIR).first()
            if chair is not None:
                self.initial.setdefault("chair", chair)


def _may_create(user: Any) -> bool:
    return roles.is_council_secretary(user) or roles.is_office(user)


def _session_for(request: HttpRequest, pk: int) -> CouncilSession:
    session = council_sessions_visible_to(user=request.user).filter(pk=pk).select_related("chair").first()
    if session is None:
        raise Http404
    return session


def _to_session(pk: int, anchor: str = "") -> HttpResponse:
    return redirect(reverse("council:detail", args=[pk]) + (f"#{anchor}" if anchor else ""))


def _run(request: HttpRequest, pk: int, action: Callable[[], str], anchor: str = "") -> HttpResponse:
    """Run a service; its refusal becomes an error message (the page says why, never a 500)."""
    try:
        message = action()
    except TransitionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, message)
    return _to_session(pk, anchor)


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    sessions = (
        council_sessions_visible_to(user=request.user)
        .select_related("chair")
        .annotate(
            n_members=Count("members", distinct=True),
            n_items=Count("agenda", distinct=True),
            is_member=Count("members", filter=Q(members=request.user), distinct=True),
        )
    )
    return render(
        request,
        "workflow/council/list.html",
        {"sessions": sessions, "may_create": _may_create(request.user)},
    )


@login_required
def session_create(request: HttpRequest) -> HttpResponse:
    if not _may_create(request.user):
        messages.error(request, _("Chỉ Thư ký Hội đồng hoặc Phòng TC-HC được lập phiên họp."))
        return redirect("council:list")
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = council_sessions.council_session_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                date=form.cleaned_data["date"],
                members=list(form.cleaned_data["members"]),
                chair=form.cleaned_data["chair"],
            )
        except InvalidInput as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        except TransitionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Đã lập phiên họp “%(name)s”.") % {"name": session.name})
            return _to_session(session.pk)
    return render(request, "workflow/council/create.html", {"form": form})


def _agenda_part(session: CouncilSession, user: Any, *, is_member: bool, member_count: int) -> dict[str, Any]:
    """What the agenda section shows (the session page, and its htmx answer after an item is added)."""
    agenda = list(agenda_of(session))
    voted = items_voted_by(session=session, user=user) if is_member else set()
    counts = participation_counts(session=session)
    results = {r.nomination_id: r for r in CouncilItemResult.objects.filter(session=session)}
    rows = [
        {
            "nomination": n,
            "voted": n.pk in voted,
            "may_vote": is_member and session.is_open and n.state == State.IN_VOTE and n.pk not in voted,
            "participants": counts.get(n.pk, 0),
            "result": results.get(n.pk),
        }
        for n in agenda
    ]
    may_schedule = (roles.is_council_secretary(user) or roles.is_office(user)) and not session.is_closed
    return {
        "session": session,
        "is_member": is_member,
        "member_count": member_count,
        "rows": rows,
        "results": results,
        "agenda": agenda,
        "in_vote": [n for n in agenda if n.state == State.IN_VOTE],
        "may_schedule": may_schedule,
        "schedulable": list(nominations_schedulable()[:200]) if may_schedule else [],
        "my_progress": {"done": len(voted), "total": len(agenda)},
    }


def _attendance_rows(
    session: CouncilSession, members: list[Person], posted: dict[int, str] | None = None
) -> list[tuple[Person, str]]:
    """Each member with their mode: as posted when the form is shown again with an error, else as recorded."""
    if posted is not None:
        return [(m, posted.get(m.pk, "")) for m in members]
    recorded = dict(Attendance.objects.filter(session=session).values_list("member_id", "mode"))
    return [(m, recorded.get(m.pk, "")) for m in members]


def _minutes_part(session: CouncilSession) -> dict[str, Any]:
    """The draft minutes (`_minutes.html`): on the session page, and out of band in the htmx answer of the
    attendance form, so the draft's list of those present follows each change without a reload (the
    draft lists no agenda item: the items appear with their results once the session is closed)."""
    return {"minutes": build_minutes(session), "agency": agency(), "minutes_day": day_text(session.date)}


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_for(request, pk)
    user: Any = request.user
    members = list(session.members.select_related("unit").order_by("username"))
    is_member = any(m.pk == user.pk for m in members)
    part = _agenda_part(session, user, is_member=is_member, member_count=len(members))
    results = part["results"]
    receipt = query_text(request.GET.get("receipt"))
    receipt_check = None
    if receipt:
        receipt_check = {"receipt": receipt, "counted": receipt_counted(session=session, receipt=receipt)}
    is_secretary = roles.is_council_secretary(user)
    ties = [r for r in results.values() if r.outcome == CouncilItemResult.Outcome.TIE]
    in_vote = part["in_vote"]
    attendance_rows: list[tuple[Person, str]] = []
    if is_secretary and not session.is_closed:  # the secretary's one attendance form, as recorded so far
        attendance_rows = _attendance_rows(session, members)
    context = {
        **part,
        "members": members,
        "choices": Choice.choices,
        "receipt_check": receipt_check,
        "is_secretary": is_secretary,
        "is_chair": user.pk == session.chair_id,
        "attendance_modes": Attendance.Mode.choices,
        "attendance_rows": attendance_rows,
        "ties": ties,
        "waiting_apply": session.is_closed and bool(in_vote) and not ties,
        **_minutes_part(session),
    }
    return render(request, "workflow/council/detail.html", context)


@login_required
@require_POST
def session_open(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_for(request, pk)

    def act() -> str:
        council_sessions.council_session_open(session=session, actor=request.user)
        return _("Đã khai mạc phiên họp: thành viên có thể bỏ phiếu.")

    return _run(request, pk, act)


@login_required
@require_POST
def session_close(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_for(request, pk)

    def act() -> str:
        was_open = session.is_open
        results = council_count.council_session_close(
            session=session, actor=request.user, comment=request.POST.get("comment", "")
        )
        if any(r.outcome == CouncilItemResult.Outcome.TIE for r in results):
            return _(
                "Đã kiểm phiếu. Có hồ sơ bằng phiếu ở giới hạn chỉ tiêu: chờ Chủ tịch Hội đồng quyết định."
            )
        if was_open:
            return _("Đã kết thúc biểu quyết và kiểm phiếu %(n)s nội dung.") % {"n": len(results)}
        return _("Đã ghi nhận kết quả theo quyết định của Chủ tịch Hội đồng.")

    return _run(request, pk, act, "results")


def _chosen_for_agenda(request: HttpRequest) -> list[Nomination]:
    raw = request.POST.getlist("nominations") or [request.POST.get("nomination", "")]
    parsed = [parse_id(value) for value in raw]
    ids = {pk for pk in parsed if pk is not None}
    # Scoped like the API's agenda: an id the secretary may not see reads as one that does not exist.
    visible = nominations_visible_to(user=request.user)
    chosen = list(visible.filter(pk__in=ids).order_by("pk")) if None not in parsed else []
    if not chosen or len(chosen) != len(ids):
        raise InvalidInput(_("Chọn hồ sơ đã thẩm định."), field="nomination")
    return chosen


def _agenda_added(session: CouncilSession, request: HttpRequest) -> str:
    if not _may_create(request.user):  # the roles that hold `schedule`; the service checks each item too
        raise NotPermitted(_("Chỉ Thư ký Hội đồng hoặc Phòng TC-HC được đưa hồ sơ vào phiên họp."))
    chosen = _chosen_for_agenda(request)
    council_sessions.council_agenda_add_many(session=session, nominations=chosen, actor=request.user)
    if len(chosen) == 1:
        return _("Đã đưa “%(item)s” vào nội dung phiên họp.") % {"item": chosen[0]}
    return _("Đã đưa %(n)s hồ sơ vào nội dung phiên họp.") % {"n": len(chosen)}


@login_required
@require_POST
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Put one or many evaluated nominations on the agenda (`nominations`, or one `nomination`)."""
    session = _session_for(request, pk)
    if not request.htmx:  # type: ignore[attr-defined]
        return _run(request, pk, lambda: _agenda_added(session, request), "agenda")
    status, saved, error = 200, "", ""
    try:
        saved = _agenda_added(session, request)
    except NotPermitted as refusal:
        return HttpResponse(refusal.message, status=refusal.status)
    except TransitionRefused as refusal:
        status, error = refusal.status, refusal.message
    user: Any = request.user
    session = _session_for(request, pk)  # the state as it is now, after the change
    member_count = session.members.count()
    is_member = session.members.filter(pk=user.pk).exists()
    part = _agenda_part(session, user, is_member=is_member, member_count=member_count)
    posted = {parse_id(v) for v in request.POST.getlist("nominations")} if error else set()
    context = {
        **part,
        "saved": saved,
        "error": error,
        "posted": posted,
        "is_secretary": roles.is_council_secretary(user),
        "members": list(session.members.order_by("username")) if session.is_open else [],
        "choices": Choice.choices,
        "oob": True,
    }
    return render(request, "workflow/council/_agenda_answer.html", context, status=status)


def _attendance_modes(request: HttpRequest) -> dict[Any, str]:
    if request.POST.get("member"):
        return {request.POST["member"]: request.POST.get("mode", "")}
    return {
        member: str(value)
        for key, value in request.POST.items()
        if key.startswith("mode-") and value and (member := parse_id(key[5:])) is not None
    }


def _attendance_saved(session: CouncilSession, request: HttpRequest, modes: dict[Any, str]) -> str:
    if not modes:
        raise InvalidInput(_("Chọn hình thức tham dự của thành viên."), field="mode")
    council_sessions.council_attendance_record_all(session=session, actor=request.user, modes=modes)
    return _("Đã ghi nhận điểm danh %(n)s thành viên.") % {"n": len(modes)}


@login_required
@require_POST
def attendance_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Attendance of one `member` (`mode`), or of every member at once (`mode-<member id>`)."""
    session = _session_for(request, pk)
    modes = _attendance_modes(request)
    if not request.htmx:  # type: ignore[attr-defined]
        return _run(request, pk, lambda: _attendance_saved(session, request, modes), "attendance")
    status, saved, error = 200, "", ""
    try:
        saved = _attendance_saved(session, request, modes)
    except NotPermitted as refusal:
        return HttpResponse(refusal.message, status=refusal.status)
    except TransitionRefused as refusal:
        status, error = refusal.status, refusal.message
    members = list(session.members.order_by("username"))
    posted = {int(k): v for k, v in modes.items() if parse_id(k) is not None} if error else None
    valid = set(Attendance.Mode.values)
    context = {
        "session": session,
        "attendance_rows": _attendance_rows(session, members, posted),
        "attendance_modes": Attendance.Mode.choices,
        "invalid": {m for m, mode in (posted or {}).items() if mode not in valid},
        "saved": saved,
        "error": error,
        **_minutes_part(session),
    }
    return render(request, "workflow/council/_attendance_answer.html", context, status=status)


@login_required
@require_POST
def written_ballot(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_for(request, pk)

    def act() -> str:
        receipt = council_ballots.ballot_enter_written(
            session=session,
            nomination=request.POST.get("nomination", ""),
            member=request.POST.get("member", ""),
            choice=request.POST.get("choice", ""),
            actor=request.user,
        )
        return _("Đã nhập phiếu bằng văn bản. Mã biên nhận (trao lại cho thành viên): %(receipt)s") % {
            "receipt": receipt
        }

    return _run(request, pk, act, "written")


@login_required
@require_POST
def tie_break(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_for(request, pk)

    def act() -> str:
        council_count.council_tie_break(
            session=session,
            actor=request.user,
            chosen=request.POST.getlist("nominations"),
            comment=request.POST.get("comment", ""),
        )
        return _("Đã ghi nhận quyết định của Chủ tịch Hội đồng; Thư ký ghi nhận kết quả để hoàn tất.")

    return _run(request, pk, act, "results")


@login_required
def minutes_download(request: HttpRequest, pk: int) -> HttpResponse:
    return minutes_response(_session_for(request, pk))
