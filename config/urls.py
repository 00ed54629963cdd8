from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("workflow.api.urls")),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("workflow.urls.root")),
    prefix_default_language=False,
)

# Our own error answers (robust-web): Vietnamese pages, JSON under /api/ (workflow/views/errors.py).
handler400 = "workflow.views.errors.bad_request"
handler403 = "workflow.views.errors.permission_denied"
handler404 = "workflow.views.errors.page_not_found"
handler500 = "workflow.views.errors.server_error"
