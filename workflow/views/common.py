"""What the pages share: the person signed in, the nomination scoped to them, the roles, where a refusal is
shown, the awards a form offers."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from nominations import roles
from nominations.access import codenames_held
from nominations.models import Award, Nomination, Person, Recipient
from nominations.selectors.nominations import nominations_visible_to
from workflow.base.errors import InvalidInput, TransitionRefused

NOMINATION_RELATED = ("campaign", "award", "nominating_unit", "nominee_person", "nominee_unit")


def person_of(request: HttpRequest) -> Person:
    """The signed-in person (every page but the login is behind `login_required`)."""
    user = request.user
    if not isinstance(user, Person):
        raise PermissionDenied
    return user


def visible_nominations(request: HttpRequest) -> QuerySet[Nomination]:
    return nominations_visible_to(user=request.user).select_related(*NOMINATION_RELATED)


def get_visible_nomination(request: HttpRequest, pk: int) -> Nomination:
    """The nomination, if this person may see it; otherwise a 404 — never a hint that it exists."""
    return get_object_or_404(visible_nominations(request), pk=pk)


def perms_held(user: Any, nomination: Nomination) -> set[str]:
    """Every permission codename `user` holds on this nomination, per object — a live delegation included."""
    return codenames_held(user, [nomination]).get(str(nomination.pk), set())


def role_required(*wanted: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A page of one area (the office's dashboard, the audit log): 403 for anyone without the role."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not roles.has_any_role(request.user, wanted):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


TRACKING_ROLES = roles.AGENCY_READERS
AUDIT_ROLES = roles.RECORD_READERS


def posted(request: HttpRequest) -> Any:
    """The form data of a POST (even an empty one: a form with no fields is still submitted), else None."""
    return request.POST if request.method == "POST" else None


def show_refusal(
    request: HttpRequest,
    form: forms.Form | None,
    refusal: TransitionRefused,
    *,
    every_refusal_on_form: bool = False,
) -> int:
    """Show a refusal where the user reads it; return the HTTP status to answer with.

    Bad input goes on the form: on its field when the form has it, else at the form's top. Any other refusal
    is a message, or, with `every_refusal_on_form` (the decisions' batch pages), at the form's top too.
    """
    if form is not None and isinstance(refusal, InvalidInput) and refusal.field in form.fields:
        form.add_error(refusal.field, refusal.message)
    elif form is not None and (every_refusal_on_form or isinstance(refusal, InvalidInput)):
        form.add_error(None, refusal.message)
    else:
        messages.error(request, refusal.message)
    return refusal.status


def award_choices(*, individual: bool) -> list[tuple[str, str]]:
    """The awards of the catalogue a person (or a unit) may receive, as (code, name) in the catalogue's order."""
    recipient = Recipient.INDIVIDUAL if individual else Recipient.COLLECTIVE
    return [
        (a.code, a.name)
        for a in Award.objects.filter(recipient__in=[recipient, Recipient.BOTH]).order_by("order")
    ]
