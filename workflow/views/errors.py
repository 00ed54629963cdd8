"""Our own error answers: Vietnamese pages from templates/4xx|500.html, JSON `{"detail": …}` under /api/.

Django calls these for any error a view does not answer itself (config/urls.py's handler400 … handler500,
CSRF_FAILURE_VIEW, and the body limits of workflow.web.limits). They must never fail themselves: the 500
page is rendered without the request's context and without any static file (the static files may not
be collected on a broken install), and a 4xx page that cannot be rendered falls back to the same bare
template rather than turning an error into a 500.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (
            _("Yêu cầu không hợp lệ"),
            _("Yêu cầu gửi lên không đúng định dạng hoặc có giá trị không hợp lệ."),
        ),
        403: (_("Không có quyền"), _("Bạn không có quyền thực hiện thao tác này.")),
        404: (_("Không tìm thấy"), _("Không tìm thấy, hoặc bạn không được xem.")),
        405: (_("Phương thức không được hỗ trợ"), _("Địa chỉ này không nhận phương thức %(method)s.")),
        413: (_("Dữ liệu quá lớn"), _("Dữ liệu gửi lên quá lớn: tối đa %(limit)s.")),
        500: (
            _("Lỗi máy chủ"),
            _("Hệ thống gặp lỗi, yêu cầu chưa được thực hiện. Xin thử lại sau hoặc báo quản trị hệ thống."),
        ),
    }


def detail(status: int, **params: str) -> str:
    message = _messages()[status][1]
    return message % params if params else message


def size_text(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


def error_response(request: HttpRequest, status: int, *, message: str | None = None) -> HttpResponse:
    text = message or detail(status)
    if is_api(request):
        return JsonResponse({"detail": text}, status=status, json_dumps_params={"ensure_ascii": False})
    title = _messages()[status][0]
    try:
        return render(request, f"{status}.html", {"title": title, "message": text}, status=status)
    except Exception:
        # The page of an error must not become a 500 (a context processor or a missing static file).
        logger.exception("error page %s could not be rendered; answering with the bare page", status)
        return bare_response(status, title=title, message=text)


def bare_response(status: int, *, title: str, message: str) -> HttpResponse:
    page = loader.get_template("500.html").render({"title": title, "message": message, "status": status})
    return HttpResponse(page, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        return too_large(request)
    return error_response(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    title, message = _messages()[500]
    if is_api(request):
        return JsonResponse({"detail": message}, status=500, json_dumps_params={"ensure_ascii": False})
    return bare_response(500, title=title, message=message)


def too_large(request: HttpRequest) -> HttpResponse:
    limit = max(settings.DATA_UPLOAD_MAX_MEMORY_SIZE, settings.REQUEST_BODY_MAX_BYTES)
    return error_response(request, 413, message=detail(413, limit=size_text(limit)))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    message = _(
        "Phiên làm việc đã hết hạn hoặc biểu mẫu không còn hợp lệ (kiểm tra CSRF). "
        "Xin tải lại trang rồi gửi lại."
    )
    if is_api(request):
        return JsonResponse({"detail": message}, status=403, json_dumps_params={"ensure_ascii": False})
    try:
        return render(request, "403_csrf.html", {"message": message}, status=403)
    except Exception:
        logger.exception("CSRF failure page could not be rendered; answering with the bare page")
        return bare_response(403, title=_("Không có quyền"), message=message)
