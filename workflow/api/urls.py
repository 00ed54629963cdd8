"""The HTTP API of ../shared/docs/API.md. Each area registers its viewsets on the one router here."""

from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from workflow.api import audit, council, decisions, nominations, participation, reference, submissions

router = DefaultRouter(trailing_slash=True)
for area in (reference, nominations, council, decisions, audit, participation, submissions):
    area.register(router)

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
]
