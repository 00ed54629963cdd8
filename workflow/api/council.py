"""API: council sessions and secret ballots (API.md "Council sessions and ballots").

Thin: each action finds the session the caller may see (404 otherwise), calls one service of
`workflow.services.council_*`, and answers; refusals are mapped by `workflow.api.errors`.
No endpoint returns anything that links a member to a choice — the database has no such link.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from nominations.documents.minutes import build_minutes, minutes_docx
from nominations.models import CouncilItemResult, CouncilSession
from nominations.selectors.council import council_sessions_visible_to, receipt_counted
from nominations.selectors.nominations import nominations_visible_to
from workflow.base.errors import InvalidInput
from workflow.base.inputs import IdSerializerField, InputSerializer, parse_id
from workflow.base.language import site_language
from workflow.services import council_ballots, council_count, council_sessions


class ResultSerializer(serializers.Serializer):
    nomination = serializers.IntegerField(source="nomination_id")
    yes = serializers.IntegerField()
    no = serializers.IntegerField()
    abstain = serializers.IntegerField()
    written = serializers.IntegerField()
    members = serializers.IntegerField()
    outcome = serializers.SerializerMethodField()
    over_quota = serializers.SerializerMethodField()
    rank = serializers.IntegerField(allow_null=True)
    decided_by_chair = serializers.BooleanField()

    def get_outcome(self, result: CouncilItemResult) -> str:
        """`proposed` or `council_failed` (what the nomination becomes), or `tie` while the chair decides."""
        if result.outcome == CouncilItemResult.Outcome.OVER_QUOTA:
            return CouncilItemResult.Outcome.FAILED
        return str(result.outcome)

    def get_over_quota(self, result: CouncilItemResult) -> bool:
        return result.outcome == CouncilItemResult.Outcome.OVER_QUOTA


class CouncilSessionSerializer(serializers.ModelSerializer):
    members = serializers.SerializerMethodField()
    agenda = serializers.SerializerMethodField()
    results = serializers.SerializerMethodField()

    class Meta:
        model = CouncilSession
        fields = ["id", "name", "date", "state", "chair", "members", "agenda", "results"]

    def get_members(self, session: CouncilSession) -> list[int]:
        return sorted(p.pk for p in session.members.all())

    def get_agenda(self, session: CouncilSession) -> list[int]:
        return sorted(n.pk for n in session.agenda.all())

    @extend_schema_field(ResultSerializer(many=True, allow_null=True))
    def get_results(self, session: CouncilSession) -> list[dict[str, Any]] | None:
        """The count of each item — only once the session is closed."""
        if not session.is_closed:
            return None
        return list(ResultSerializer(session.results.all(), many=True).data)


class SessionCreateSerializer(InputSerializer):
    name = serializers.CharField()
    date = serializers.DateField()
    members = serializers.ListField(child=IdSerializerField())
    chair = IdSerializerField(required=False)


class BallotSerializer(InputSerializer):
    nomination = IdSerializerField()
    choice = serializers.ChoiceField(choices=["yes", "no", "abstain"])


class WrittenBallotSerializer(BallotSerializer):
    member = IdSerializerField()


def _field(data: Any, name: str) -> Any:
    return data.get(name) if hasattr(data, "get") else None


def _list(data: Any, name: str) -> Any:
    if hasattr(data, "getlist"):
        return data.getlist(name)
    return _field(data, name)


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
RECEIPT = inline_serializer("Receipt", {"receipt": serializers.CharField()})
COUNTED = inline_serializer("ReceiptCheck", {"counted": serializers.BooleanField()})


class CouncilSessionViewSet(viewsets.GenericViewSet):
    serializer_class = CouncilSessionSerializer
    queryset = CouncilSession.objects.none()
    lookup_value_regex = r"[0-9]+"  # anything else is a 404, never a failed int() (found by schemathesis)

    def get_queryset(self) -> Any:
        return council_sessions_visible_to(user=self.request.user).prefetch_related(
            "members", "agenda", "results"
        )

    def _detail(self, session: CouncilSession, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=session.pk)
        return Response(CouncilSessionSerializer(fresh).data, status=code)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(CouncilSessionSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return Response(CouncilSessionSerializer(self.get_object()).data)

    @extend_schema(request=SessionCreateSerializer, responses={201: CouncilSessionSerializer})
    def create(self, request: Request) -> Response:
        data = request.data
        session = council_sessions.council_session_create(
            actor=request.user,
            name=_field(data, "name"),
            date=_field(data, "date"),
            members=_list(data, "members") or [],
            chair=_field(data, "chair"),
            campaign=_field(data, "campaign"),
        )
        return self._detail(session, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: CouncilSessionSerializer})
    @action(detail=True, methods=["post"])
    def open(self, request: Request, pk: str | None = None) -> Response:
        session = council_sessions.council_session_open(session=self.get_object(), actor=request.user)
        return self._detail(session)

    @extend_schema(
        request=inline_serializer("CloseSession", {"comment": serializers.CharField(required=False)}),
        responses={200: CouncilSessionSerializer},
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        session = self.get_object()
        council_count.council_session_close(
            session=session, actor=request.user, comment=str(_field(request.data, "comment") or "")
        )
        return self._detail(session)

    @extend_schema(
        request=inline_serializer("AgendaItem", {"nomination": serializers.IntegerField()}),
        responses={200: CouncilSessionSerializer},
    )
    @action(detail=True, methods=["post"])
    def agenda(self, request: Request, pk: str | None = None) -> Response:
        session = self.get_object()
        wanted = parse_id(_field(request.data, "nomination"))
        nomination = (
            nominations_visible_to(user=request.user).filter(pk=wanted).first()
            if wanted is not None
            else None
        )
        if nomination is None:
            raise InvalidInput(_("Chọn một hồ sơ đã thẩm định."), field="nomination")
        council_sessions.council_agenda_add(session=session, nomination=nomination, actor=request.user)
        return self._detail(session)

    @extend_schema(
        request=inline_serializer(
            "Attendance", {"member": serializers.IntegerField(), "mode": serializers.CharField()}
        ),
        responses={200: CouncilSessionSerializer},
    )
    @action(detail=True, methods=["post"])
    def attendance(self, request: Request, pk: str | None = None) -> Response:
        session = self.get_object()
        council_sessions.council_attendance_record(
            session=session,
            actor=request.user,
            member=_field(request.data, "member"),
            mode=_field(request.data, "mode"),
        )
        return self._detail(session)

    @extend_schema(request=BallotSerializer, responses={201: RECEIPT, 403: None, 409: None})
    @action(detail=True, methods=["post"])
    def ballots(self, request: Request, pk: str | None = None) -> Response:
        # Any existing session: a caller who is not its member is told 403 (API.md), not 404.
        session = get_object_or_404(CouncilSession, pk=pk)
        receipt = council_ballots.ballot_cast(
            session=session,
            nomination=_field(request.data, "nomination"),
            voter=request.user,
            choice=_field(request.data, "choice"),
        )
        return Response({"receipt": receipt}, status=status.HTTP_201_CREATED)

    @extend_schema(request=WrittenBallotSerializer, responses={201: RECEIPT})
    @action(detail=True, methods=["post"], url_path="written-ballots")
    def written_ballots(self, request: Request, pk: str | None = None) -> Response:
        session = self.get_object()
        receipt = council_ballots.ballot_enter_written(
            session=session,
            nomination=_field(request.data, "nomination"),
            member=_field(request.data, "member"),
            choice=_field(request.data, "choice"),
            actor=request.user,
        )
        return Response({"receipt": receipt}, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=inline_serializer(
            "TieBreak",
            {
                "nominations": serializers.ListField(child=serializers.IntegerField()),
                "comment": serializers.CharField(required=False),
            },
        ),
        responses={200: CouncilSessionSerializer},
    )
    @action(detail=True, methods=["post"], url_path="tie-break")
    def tie_break(self, request: Request, pk: str | None = None) -> Response:
        session = self.get_object()
        council_count.council_tie_break(
            session=session,
            actor=request.user,
            chosen=_list(request.data, "nominations") or [],
            comment=str(_field(request.data, "comment") or ""),
        )
        return self._detail(session)

    @extend_schema(responses={200: COUNTED, 404: COUNTED})
    @action(detail=True, methods=["get"], url_path=r"receipts/(?P<receipt>[A-Za-z0-9-]{1,64})")
    def receipts(self, request: Request, pk: str | None = None, receipt: str = "") -> Response:
        session = self.get_object()
        if receipt_counted(session=session, receipt=receipt):
            return Response({"counted": True})
        return Response(
            {"counted": False, "detail": _("Không có phiếu nào với mã biên nhận này trong phiên họp.")},
            status=status.HTTP_404_NOT_FOUND,
        )

    @extend_schema(responses={(200, DOCX): OpenApiResponse(description=gettext_lazy("Biên bản họp (.docx)"))})
    @action(detail=True, methods=["get"])
    def minutes(self, request: Request, pk: str | None = None) -> HttpResponse:
        session = self.get_object()
        return minutes_response(session)


def minutes_response(session: CouncilSession) -> HttpResponse:
    with site_language():  # the minutes are an official Vietnamese document, whatever the reader's language
        content = minutes_docx(build_minutes(session))
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="bien-ban-hop-hoi-dong-{session.pk}.docx"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def register(router: BaseRouter) -> None:
    """Register this area's viewsets on the API's one router."""
    router.register("council-sessions", CouncilSessionViewSet, basename="council-session")
