"""Floor endpoints: the same middleware and authentication as the product, and nothing else."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from bench.floor.models import FloorBallot


@login_required
def page(request: HttpRequest) -> HttpResponse:
    """The floor of a page: session, user, middleware, a response."""
    return HttpResponse(f"ok {request.user.pk}", content_type="text/plain")


class BallotView(APIView):
    """The floor of a ballot: token authentication, one insert, a duplicate refused (409)."""

    def post(self, request: Request) -> Response:
        try:
            with transaction.atomic():
                ballot = FloorBallot.objects.create(
                    voter=request.user,
                    item=int(request.data["nomination"]),
                    choice=str(request.data["choice"]),
                )
        except IntegrityError:
            return Response({"detail": "duplicate"}, status=409)
        return Response({"receipt": ballot.pk}, status=201)
