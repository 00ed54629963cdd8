"""Pages of a unit's results against its targets: the unit head's results per period and their report, one
result's detail and evidence, the office's actions on it. Thin: they read through
`nominations.selectors.targets` and write through `workflow.services.targets`, so the rules are the API's."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from nominations import roles
from nominations.models import TargetEvidence
from nominations.rules import targets as rules
from nominations.selectors.targets import follows_all_units, reporting_unit, results_visible_to, targets_of
from workflow.base.errors import InvalidInput, TransitionRefused
from workflow.base.inputs import InputForm, parse_id
from workflow.documents.downloads import stored_file_response
from workflow.services import targets as services
from workflow.views.common import person_of
from workflow.views.target_common import campaign_periods, chosen_campaign, chosen_period


class ResultForm(InputForm):
    value = forms.CharField(label=gettext_lazy("Kết quả"), required=False, max_length=32)
    delivered_on = forms.CharField(
        label=gettext_lazy("Ngày hoàn thành (dd/mm/yyyy)"),
        required=False,
        max_length=16,
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
    )
    comment = forms.CharField(
        label=gettext_lazy("Giải trình"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


@login_required
def unit_results(request: HttpRequest) -> HttpResponse:
    user = person_of(request)
    unit = reporting_unit(user)
    if unit is None:
        if follows_all_units(user):
            return redirect("targets:matrix")
        raise PermissionDenied
    campaign = chosen_campaign(request)
    if campaign is None:
        return render(request, "workflow/targets/unit_results.html", {"campaign": None})
    periods = campaign_periods(campaign, unit)
    period = chosen_period(request, periods)
    rows = []
    errors: dict[str, Any] = request.session.pop("target_form_errors", {}) if request.method == "GET" else {}
    if period is not None:
        results = {
            r.target_id: r
            for r in results_visible_to(user=user)
            .filter(target__campaign=campaign, unit=unit, period=period.code)
            .prefetch_related("evidence")
        }
        due = services.DueCalendar(period.ends_on)
        for target in targets_of(campaign=campaign, unit=unit):
            if period.kind not in target.periods:
                continue
            result = results.get(target.pk)
            initial = {}
            if result is not None:
                initial = {
                    "value": "" if result.value is None else f"{result.value.normalize():f}",
                    "delivered_on": f"{result.delivered_on:%d/%m/%Y}" if result.delivered_on else "",
                    "comment": result.comment,
                }
            form = ResultForm(initial=initial, prefix=f"t{target.pk}")
            if str(target.pk) in errors:
                form = ResultForm(errors[str(target.pk)]["data"], prefix=f"t{target.pk}")
                form.is_valid()
                form.add_error(
                    errors[str(target.pk)]["field"]
                    if errors[str(target.pk)]["field"] in form.fields
                    else None,
                    errors[str(target.pk)]["message"],
                )
            rows.append(
                {
                    "target": target,
                    "result": result,
                    "form": form,
                    "due": due(period.ends_on, target.report_days),
                    "editable": result is None or result.state in result.EDITABLE,
                }
            )
    return render(
        request,
        "workflow/targets/unit_results.html",
        {"campaign": campaign, "unit": unit, "periods": periods, "period": period, "rows": rows},
    )


@login_required
@require_POST
def result_report(request: HttpRequest) -> HttpResponse:
    user = person_of(request)
    unit = reporting_unit(user)
    if unit is None:
        raise PermissionDenied
    campaign = chosen_campaign(request)
    target_id = parse_id(request.POST.get("target", ""))
    target = (
        targets_of(campaign=campaign, unit=unit).filter(pk=target_id).first()
        if campaign is not None and target_id is not None
        else None
    )
    if target is None:
        raise Http404
    period = request.POST.get("period", "")
    form = ResultForm(request.POST, prefix=f"t{target.pk}")
    # The period is echoed back as typed: encoded, so a line break cannot reach the Location header.
    query = urlencode({"campaign": str(target.campaign_id), "period": period})
    back = reverse("targets:unit_results") + f"?{query}#target-{target.pk}"
    if not form.is_valid():
        request.session["target_form_errors"] = {
            str(target.pk): {
                "data": request.POST.dict(),
                "field": None,
                "message": _("Dữ liệu không hợp lệ."),
            }
        }
        return redirect(back)
    try:
        services.result_report(
            actor=user,
            target=target,
            period=period,
            value=form.cleaned_data["value"],
            delivered_on=form.cleaned_data["delivered_on"],
            comment=form.cleaned_data["comment"],
            files=request.FILES.getlist(f"t{target.pk}-files"),
        )
    except InvalidInput as error:
        # Nothing was written: the typed values come back with the message next to their field.
        request.session["target_form_errors"] = {
            str(target.pk): {"data": request.POST.dict(), "field": error.field, "message": error.message}
        }
        return redirect(back)
    except TransitionRefused as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(request, _("Đã ghi kết quả: %(target)s.") % {"target": target.name})
    return redirect(back)


# --- one result: detail, evidence, the office's actions ----------------------------------------------------
@login_required
def result_detail(request: HttpRequest, pk: int) -> HttpResponse:
    result = services.visible_result_or_none(request.user, pk)
    if result is None:
        raise Http404
    return render(
        request,
        "workflow/targets/result_detail.html",
        {
            "result": result,
            "period": rules.parse_period(result.period),
            "office": roles.is_office(person_of(request)),
            "evidence": list(result.evidence.all()),
        },
    )


@login_required
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    evidence = TargetEvidence.objects.filter(pk=pk, result__in=results_visible_to(user=request.user)).first()
    if evidence is None:
        raise Http404
    response = stored_file_response(evidence.file, evidence.original_name, evidence.content_type)
    if response is None:
        raise Http404
    return response


@login_required
@require_POST
def result_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    result = services.visible_result_or_none(request.user, pk)
    if result is None:
        raise Http404
    actor = person_of(request)
    try:
        if name == "confirm":
            services.result_confirm(actor=actor, result=result)
            messages.success(request, _("Đã xác nhận kết quả."))
        elif name == "return":
            services.result_return(actor=actor, result=result, reason=request.POST.get("reason", ""))
            messages.success(request, _("Đã trả lại báo cáo cho đơn vị."))
        elif name == "reopen":
            services.result_reopen(actor=actor, result=result, reason=request.POST.get("reason", ""))
            messages.success(request, _("Đã mở lại kết quả để đơn vị sửa."))
        else:
            raise Http404
    except TransitionRefused as error:
        messages.error(request, error.message)
    return redirect("targets:result_detail", pk=result.pk)
