"""API of certificates and signatures (../shared/docs/API.md § "Certificates and verification", § "Signed
documents"; the endpoints beyond it are in docs/api-extensions.md)."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from nominations.selectors.decisions import decisions_visible_to
from nominations.selectors.nominations import nominations_visible_to
from workflow.documents.downloads import PDF, attachment
from workflow.services import certificates as services
from workflow.services.signatures import verify_upload

MODE = OpenApiParameter(
    "mode", str, enum=["blank", "preprinted"], description="blank: giấy trắng; preprinted: in trên phôi."
)


def _preprinted(request: Request) -> bool:
    return request.query_params.get("mode") == "preprinted"


class NominationCertificateView(APIView):
    @extend_schema(
        operation_id="nominations_certificate",
        parameters=[MODE],
        responses={200: OpenApiResponse(OpenApiTypes.BINARY, description="PDF"), 404: None, 409: None},
        summary="Giấy khen / giấy chứng nhận của hồ sơ (PDF)",
    )
    def get(self, request: Request, pk: int) -> Any:
        nomination = get_object_or_404(nominations_visible_to(user=request.user), pk=pk)
        content = services.certificate_pdf(nomination=nomination, preprinted=_preprinted(request))
        return attachment(content, f"giay-khen-{nomination.pk}.pdf", PDF)


class DecisionCertificatesView(APIView):
    @extend_schema(
        operation_id="decisions_certificates",
        parameters=[MODE],
        responses={200: OpenApiResponse(OpenApiTypes.BINARY, description="PDF"), 404: None, 409: None},
        summary="In giấy khen cho mọi người được khen thưởng của quyết định (một tệp PDF)",
    )
    def get(self, request: Request, pk: int) -> Any:
        decision = get_object_or_404(decisions_visible_to(user=request.user), pk=pk)
        content = services.decision_certificates_pdf(decision=decision, preprinted=_preprinted(request))
        return attachment(content, f"giay-khen-quyet-dinh-{decision.pk}.pdf", PDF)


class VerifyUploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField()


class SignerSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    organisation = serializers.CharField()
    signed_at = serializers.DateTimeField(allow_null=True)


class SignedDocumentSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=["decision", "submission"])
    number = serializers.CharField()
    date = serializers.DateField()
    status = serializers.ChoiceField(choices=["in_force", "partly_revoked", "revoked"])
    revoked_items = serializers.IntegerField()


class VerifyResultSerializer(serializers.Serializer[Any]):
    signed = serializers.BooleanField()
    intact = serializers.BooleanField()
    trusted = serializers.BooleanField()
    signers = SignerSerializer(many=True)
    document = SignedDocumentSerializer(allow_null=True)


class SignatureVerifyView(APIView):
    """Anyone may check a PDF: the answer says only what the PDF itself carries, and its decision's status."""

    permission_classes = [AllowAny]
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="signatures_verify",
        request={"multipart/form-data": VerifyUploadSerializer},
        responses={200: VerifyResultSerializer, 400: None},
        summary="Kiểm tra chữ ký số của một tệp PDF",
    )
    def post(self, request: Request) -> Response:
        upload = request.FILES.get("file")
        if upload is None:
            return Response({"file": [_("Chọn tệp PDF cần kiểm tra.")]}, status=400)
        result, error = verify_upload(upload)
        if error:
            return Response({"file": [error]}, status=400)
        return Response(result)
