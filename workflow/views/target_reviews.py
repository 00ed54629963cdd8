"""Pages of the targets' reviews and ratings: the review (sơ kết, tổng kết) that proposes each unit's rating,
the office's confirmation of one, the bulk import of the people's yearly ratings. Thin: they write through
`workflow.services.target_reviews` / `ratings_import`, so the rules are the same as the API's."""

from __future__ import annotations

import base64
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nominations import roles
from nominations.models import OrgUnit, Rating, Review
from nominations.selectors.targets import campaigns_with_targets, follows_all_units, ratings_visible_to
from workflow.base.errors import InvalidInput, TransitionRefused
from workflow.base.inputs import parse_int, query_text
from workflow.documents.downloads import XLSX, attachment
from workflow.services import ratings_import
from workflow.services import target_reviews as reviews
from workflow.views.common import person_of
from workflow.views.target_common import chosen_campaign


@login_required
def review_page(request: HttpRequest) -> HttpResponse:
    user = person_of(request)
    if not follows_all_units(user):
        raise PermissionDenied
    campaign = chosen_campaign(request)
    if campaign is None:
        return render(request, "workflow/targets/review.html", {"campaign": None})
    kind = request.GET.get("kind") or request.POST.get("kind") or Review.Kind.YEAR
    if kind not in Review.Kind.values:
        raise Http404
    if request.method == "POST":
        try:
            review = reviews.review_get_or_create(actor=user, campaign=campaign, kind=kind)
            reviews.review_propose(actor=user, review=review)
            messages.success(request, _("Đã tính điểm và đề xuất xếp loại cho các đơn vị."))
        except TransitionRefused as error:
            messages.error(request, error.message)
        return redirect(reverse("targets:review") + f"?campaign={campaign.pk}&kind={kind}")
    found = Review.objects.filter(campaign=campaign, kind=kind).first()
    ratings = list(ratings_visible_to(user=user).filter(review=found)) if found else []
    return render(
        request,
        "workflow/targets/review.html",
        {
            "campaign": campaign,
            "campaigns": campaigns_with_targets(),
            "kind": kind,
            "kinds": Review.Kind.choices,
            "review": found,
            "ratings": ratings,
            "rating_choices": Rating.choices,
            "office": roles.is_office(user),
        },
    )


@login_required
@require_POST
def unit_rating_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    rating = ratings_visible_to(user=request.user).filter(pk=pk).first()
    if rating is None:
        raise Http404
    try:
        reviews.unit_rating_confirm(
            actor=person_of(request),
            unit_rating=rating,
            rating=request.POST.get("rating", ""),
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, _("Đã xác nhận xếp loại của %(unit)s.") % {"unit": rating.unit.name})
    except TransitionRefused as error:
        messages.error(request, f"{rating.unit.name}: {error.message}")
    review: Review = rating.review
    return redirect(
        reverse("targets:review")
        + f"?campaign={review.campaign_id}&kind={review.kind}#unit-{rating.unit.code}"
    )


# --- the bulk import of yearly ratings ------------------------------------------------------------------------
SESSION_KEY = "rating_import"


def _import_unit(request: HttpRequest) -> OrgUnit | None:
    code = query_text(request.GET.get("unit", "") or request.POST.get("unit", ""), limit=32)
    return OrgUnit.objects.filter(code=code).first() if code else None


@login_required
def ratings_import_page(request: HttpRequest) -> HttpResponse:
    user = person_of(request)
    office = roles.is_office(user)
    try:
        unit = (
            ratings_import.import_unit(user, _import_unit(request))
            if (not office or _import_unit(request))
            else None
        )
    except TransitionRefused:
        raise PermissionDenied from None
    year_text = request.GET.get("year", "") or request.POST.get("year", "")
    year = parse_int(year_text, minimum=2000, maximum=2100) or timezone.localdate().year - 1
    context: dict[str, Any] = {
        "office": office,
        "unit": unit,
        "units": OrgUnit.objects.exclude(kind=OrgUnit.Kind.OFFICE).order_by("order", "code")
        if office
        else [],
        "year": year,
    }
    if request.GET.get("template") and unit is not None:
        return attachment(ratings_import.template(unit, year), f"mau-xep-loai-{unit.code}-{year}.xlsx", XLSX)
    if request.method == "POST":
        step = request.POST.get("step", "preview")
        try:
            if step == "commit":
                stored = request.session.get(SESSION_KEY)
                if not stored:
                    raise InvalidInput(_("Hãy tải tệp lên và xem trước trước khi ghi."), field="file")
                upload = SimpleUploadedFile(
                    stored["name"], base64.b64decode(stored["content"]), content_type=XLSX
                )
                checked, changed = ratings_import.commit(actor=user, upload=upload, unit=unit)
                if checked.ok:
                    request.session.pop(SESSION_KEY, None)
                    messages.success(
                        request,
                        _("Đã ghi %(rows)s dòng: %(changed)s xếp loại thay đổi.")
                        % {"rows": len(checked.rows), "changed": changed},
                    )
                    return redirect(
                        reverse("targets:ratings_import") + (f"?unit={unit.code}" if office and unit else "")
                    )
                context["preview"] = checked
            else:
                sent = request.FILES.get("file")
                if sent is None:
                    raise InvalidInput(_("Chọn tệp Excel (.xlsx) theo mẫu."), field="file")
                checked = ratings_import.preview(actor=user, upload=sent, unit=unit)
                context["preview"] = checked
                if checked.ok:
                    sent.seek(0)
                    request.session[SESSION_KEY] = {
                        "name": sent.name,
                        "content": base64.b64encode(sent.read()).decode(),
                    }
                else:
                    request.session.pop(SESSION_KEY, None)
        except TransitionRefused as error:
            context["error"] = error.message
    return render(request, "workflow/targets/ratings_import.html", context)
