"""The HTTP API of ../shared/docs/API.md. Each area registers its viewsets on the one router here."""

from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authtoken.serializers import AuthTokenSerializer as DRFAuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.routers import DefaultRouter

from workflow.api import (
    audit,
    certificates,
    council,
    decisions,
    nominations,
    participation,
    reference,
    statistics,
    submissions,
    targets,
)
from workflow.base.inputs import InputSerializerMixin


# DRF's login for a token, its text fields guarded like every other serializer's (a comment, not a
# docstring: drf-spectacular would publish it as the schema's description).
class AuthTokenSerializer(InputSerializerMixin, DRFAuthTokenSerializer):
    pass


class TokenView(ObtainAuthToken):
    serializer_class = AuthTokenSerializer


router = DefaultRouter(trailing_slash=True)
for area in (
    reference,
    nominations,
    council,
    decisions,
    audit,
    participation,
    statistics,
    submissions,
    targets,
):
    area.register(router)

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
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
