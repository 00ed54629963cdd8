"""What every page shares: the nomination scoped to the person, the roles, the refusal page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from nominations import roles
from nominations.access import codenames_held
from nominations.models import Nomination, Person
from nominations.selectors.nominations import nominations_visible_to

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
