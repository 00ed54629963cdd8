"""The HTTP API of ../shared/docs/API.md. Each area registers its viewsets on the one router here."""

from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from workflow.api import audit, certificates, council, decisions, nominations, participation, reference

router = DefaultRouter(trailing_slash=True)
for area in (reference, nominations, council, decisions, audit, participation):
    area.register(router)

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # (certsign) certificates and signature verification
    path(
        "nominations/<int:pk>/certificate/",
        certificates.NominationCertificateView.as_view(),
        name="api-nomination-certificate",
    ),
    path(
        "decisions/<int:pk>/certificates/",
        certificates.DecisionCertificatesView.as_view(),
        name="api-decision-certificates",
    ),
    path("signatures/verify/", certificates.SignatureVerifyView.as_view(), name="api-signatures-verify"),
    path("", include(router.urls)),
]
