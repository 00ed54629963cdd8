"""Size limits on request bodies, checked before anything reads the body (a clear 413, never a 500).

Django's own DATA_UPLOAD_MAX_MEMORY_SIZE only guards `request.body` and form fields; DRF reads the JSON
body as a stream and a dossier upload is streamed to disk, so neither is bounded by it. Here the declared
Content-Length is checked first: a multipart upload may carry one dossier file (DOSSIER_MAX_BYTES plus
the form around it, REQUEST_BODY_MAX_BYTES), any other body at most DATA_UPLOAD_MAX_MEMORY_SIZE.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from workflow.views.errors import too_large


def body_limit(request: HttpRequest) -> int:
    if request.content_type == "multipart/form-data":
        return int(settings.REQUEST_BODY_MAX_BYTES)
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


def declared_length(request: HttpRequest) -> int:
    raw = request.META.get("CONTENT_LENGTH") or "0"
    return int(raw) if raw.isascii() and raw.isdigit() else 0


class RequestBodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if declared_length(request) > body_limit(request):
            return too_large(request)
        return self.get_response(request)
