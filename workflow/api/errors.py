"""Map domain refusals to the statuses of API.md: 400 per field, 403, 404, 409 — never a 500 for bad input."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from workflow.base.errors import InvalidInput, TransitionRefused
from workflow.views.errors import detail as error_detail


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, InvalidInput):
        return Response({exc.field: [exc.message]}, status=status.HTTP_400_BAD_REQUEST)
    rows = getattr(exc, "rows", None)
    if isinstance(exc, TransitionRefused) and rows is not None:
        return Response({"detail": exc.message, "rows": rows}, status=exc.status)
    if isinstance(exc, TransitionRefused):
        body: dict[str, Any] = {"detail": exc.message, "code": exc.code}
        existing = getattr(exc, "existing", None)
        if existing is not None:
            body["existing"] = existing
        nominations = getattr(exc, "nominations", None)
        if nominations is not None:
            body["nominations"] = nominations
        if exc.refusals:
            body["rules"] = [
                {"rule": r.rule, "message": r.message, "legal_basis": r.legal_basis} for r in exc.refusals
            ]
        return Response(body, status=exc.status)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404) or (isinstance(exc, NotFound) and exc.detail == NotFound.default_detail):
        # Django's get_object_or_404 says "No Nomination matches the given query." in English, and a
        # missing object must read the same as one the caller may not see (API.md).
        return Response({"detail": error_detail(404)}, status=status.HTTP_404_NOT_FOUND)
    return drf_exception_handler(exc, context)
