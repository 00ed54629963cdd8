"""API: commitments, the public notice, complaints, delegations, award history.

Thin entry points over `workflow.services` (commitments, complaints, delegations, award_history) and the selectors the pages use, so the same
rules hold: a complaint only during a running notice (409 after), a delegation only by the Director to
a Deputy (403 / 400), the award history of someone else only for the office and the auditor (404).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from nominations import roles
from nominations.models import (
    Award,
    AwardRecord,
    Campaign,
    Commitment,
    Complaint,
    Delegation,
    Nomination,
    NoticePublication,
    OrgUnit,
    Person,
)
from nominations.selectors.commitments import (
    commitment_deadline,
    commitment_status_by_unit,
    commitments_visible_to,
)
from nominations.selectors.delegations import delegations_visible_to
from nominations.selectors.nominations import nominations_visible_to
from nominations.selectors.participation import (
    award_records_of,
    complaints_visible_to,
    may_read_history,
    nominee_registered_map,
    notice_running_for,
    notices_running,
)
from workflow.api.nominations import caller
from workflow.api.submissions import AwardHistoryImportMixin
from workflow.base.inputs import (
    IdSerializerField,
    InputSerializer,
    NumberSerializerField,
    clean_text,
    parse_id,
)
from workflow.services import award_history as history_services
from workflow.services import commitments as commitment_services
from workflow.services import complaints as complaint_services
from workflow.services import delegations as delegation_services
from workflow.services.common import MAX_TEXT


# --- serializers ----------------------------------------------------------------------------------------
class CommitmentSerializer(serializers.ModelSerializer[Commitment]):
    award: serializers.SlugRelatedField[Award] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    unit: serializers.SlugRelatedField[OrgUnit] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = Commitment
        fields = ["id", "campaign", "unit", "person", "award", "registered_by", "registered_at"]


class PersonAwardsSerializer(InputSerializer):
    person = IdSerializerField()
    awards = serializers.ListField(child=serializers.CharField(max_length=32), allow_empty=True)


class CommitmentRegisterSerializer(InputSerializer):
    campaign = IdSerializerField()
    unit_awards = serializers.ListField(
        child=serializers.CharField(max_length=32), required=False, default=list
    )
    people = PersonAwardsSerializer(many=True, required=False, default=list)


class UnitStatusSerializer(InputSerializer):
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    registered = serializers.BooleanField()
    unit_awards = serializers.ListField(child=serializers.CharField())
    people_total = serializers.IntegerField()
    people_registered = serializers.IntegerField(source="people_registered_count")
    registered_at = serializers.DateTimeField(allow_null=True)


class NoticeSerializer(serializers.ModelSerializer[NoticePublication]):
    nominee = serializers.SerializerMethodField()
    nominating_unit = serializers.CharField(source="nomination.nominating_unit.code")
    award = serializers.CharField(source="nomination.award.code")
    campaign = serializers.IntegerField(source="nomination.campaign_id")
    state = serializers.CharField(source="nomination.state")
    # Declared, not derived: a small integer column's range differs between SQLite and PostgreSQL,
    # and the committed schema must not depend on the database it was generated with.
    notice_days = serializers.IntegerField(read_only=True)
    nominee_registered = serializers.SerializerMethodField()

    class Meta:
        model = NoticePublication
        fields = [
            "id",
            "nomination",
            "nominee",
            "nominating_unit",
            "award",
            "campaign",
            "outcome",
            "state",
            "published_at",
            "notice_days",
            "ends_on",
            "nominee_registered",
        ]

    def get_nominee(self, notice: NoticePublication) -> str:
        return str(notice.nomination.nominee)

    def get_nominee_registered(self, notice: NoticePublication) -> bool:
        return bool(self.context.get("registered", {}).get(notice.nomination_id, False))


class ComplaintSerializer(serializers.ModelSerializer[Complaint]):
    class Meta:
        model = Complaint
        fields = [
            "id",
            "nomination",
            "notice",
            "lodged_by",
            "lodged_at",
            "text",
            "state",
            "resolved_by",
            "resolved_at",
            "resolution",
        ]


class ComplaintCreateSerializer(InputSerializer):
    nomination = IdSerializerField()
    text = serializers.CharField(max_length=MAX_TEXT)


class ComplaintResolveSerializer(InputSerializer):
    upheld = serializers.BooleanField()
    resolution = serializers.CharField(max_length=MAX_TEXT)


class DelegationSerializer(serializers.ModelSerializer[Delegation]):
    delegator: serializers.SlugRelatedField[Person] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    delegate: serializers.SlugRelatedField[Person] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    live = serializers.SerializerMethodField()

    class Meta:
        model = Delegation
        fields = ["id", "delegator", "delegate", "starts_at", "ends_at", "note", "revoked_at", "live"]

    def get_live(self, delegation: Delegation) -> bool:
        return delegation.is_live()


class DelegationCreateSerializer(InputSerializer):
    delegate = serializers.CharField(help_text="username")
    starts_at = serializers.CharField(help_text="YYYY-MM-DD or ISO 8601 date-time")
    ends_at = serializers.CharField(help_text="YYYY-MM-DD (to the end of that day) or ISO 8601 date-time")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class RevokeSerializer(InputSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class AwardRecordSerializer(serializers.ModelSerializer[AwardRecord]):
    award: serializers.SlugRelatedField[Award] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    year = serializers.IntegerField(read_only=True)  # declared: see NoticeSerializer.notice_days
    from_decision_here = serializers.SerializerMethodField()

    class Meta:
        model = AwardRecord
        fields = [
            "id",
            "person",
            "award",
            "year",
            "decision_number",
            "decision_date",
            "nomination",
            "from_decision_here",
        ]

    def get_from_decision_here(self, record: AwardRecord) -> bool:
        return record.nomination_id is not None


class AwardRecordWriteSerializer(InputSerializer):
    person = IdSerializerField(required=False)
    award = serializers.CharField(max_length=32)
    year = NumberSerializerField(min_value=1945, max_value=9999)
    decision_number = serializers.CharField(max_length=60)
    decision_date = serializers.DateField(required=False, allow_null=True, default=None)


def _valid(serializer_class: type[serializers.Serializer[Any]], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- commitments ----------------------------------------------------------------------------------------
class CommitmentViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Commitment]):
    """Đăng ký thi đua: `GET ?campaign=&unit=`, `POST register/`, `GET status/?campaign=`."""

    serializer_class = CommitmentSerializer

    def get_queryset(self) -> QuerySet[Commitment]:
        qs = commitments_visible_to(user=self.request.user).order_by("campaign", "unit__order", "pk")
        campaign = self.request.query_params.get("campaign", "")
        unit = self.request.query_params.get("unit", "")
        if campaign:
            if (campaign_id := parse_id(campaign)) is None:
                raise ValidationError({"campaign": [_("Mã phong trào không hợp lệ.")]})
            qs = qs.filter(campaign_id=campaign_id)
        if unit:
            qs = qs.filter(unit__code=clean_text(unit, field="unit", multiline=False))
        return qs

    @extend_schema(request=CommitmentRegisterSerializer, responses={200: CommitmentSerializer(many=True)})
    @action(detail=False, methods=["post"])
    def register(self, request: Request) -> Response:
        """The caller's unit's whole registration for a campaign (titles left out are withdrawn)."""
        data = _valid(CommitmentRegisterSerializer, request.data)
        campaign = Campaign.objects.filter(pk=data["campaign"]).first()
        if campaign is None:
            raise ValidationError({"campaign": [_("Không có phong trào này.")]})
        people: dict[int, list[str]] = {}
        for row in data["people"]:
            people.setdefault(row["person"], []).extend(row["awards"])
        commitments = commitment_services.commitments_register(
            actor=caller(request),
            campaign=campaign,
            unit_awards=data["unit_awards"],
            people_awards=people,
        )
        return Response(CommitmentSerializer(commitments, many=True).data)

    @extend_schema(
        parameters=[OpenApiParameter("campaign", int, required=True)],
        responses={200: UnitStatusSerializer(many=True)},
    )
    @action(detail=False, methods=["get"])
    def status(self, request: Request) -> Response:
        """Per unit taking part: registered or not (the office, the Director and the auditor)."""
        user: Any = request.user
        if not roles.reads_the_agency(user):
            self.permission_denied(request)
        campaign_id = parse_id(request.query_params.get("campaign", ""))
        if campaign_id is None:
            raise ValidationError({"campaign": [_("Cần mã phong trào.")]})
        campaign = get_object_or_404(Campaign, pk=campaign_id)
        rows = commitment_status_by_unit(campaign=campaign)
        return Response(
            {
                "campaign": campaign.pk,
                "deadline": commitment_deadline(campaign),
                "units": UnitStatusSerializer(rows, many=True).data,
            }
        )


# --- the public notice and complaints -------------------------------------------------------------------
class NoticeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[NoticePublication]):
    """Results on public notice today — every signed-in member of staff; outcomes only, never ballots."""

    serializer_class = NoticeSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[NoticePublication]:
        return notices_running(today=timezone.localdate())

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        notices = list(self.get_queryset())
        context = {**self.get_serializer_context(), "registered": nominee_registered_map(notices)}
        return Response(NoticeSerializer(notices, many=True, context=context).data)


class ComplaintViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Complaint],
):
    """Khiếu nại: anyone lodges one on a result on notice; the office resolves it."""

    serializer_class = ComplaintSerializer

    def get_queryset(self) -> QuerySet[Complaint]:
        return complaints_visible_to(user=self.request.user).order_by("-lodged_at", "-id")

    @extend_schema(request=ComplaintCreateSerializer, responses={201: ComplaintSerializer})
    def create(self, request: Request) -> Response:
        data = _valid(ComplaintCreateSerializer, request.data)
        nomination: Nomination | None
        notice = notice_running_for(nomination_id=data["nomination"], today=timezone.localdate())
        if notice is not None:
            nomination = notice.nomination
        else:
            # A result no longer on notice is a 409 for those who may see the nomination, a 404 for others.
            nomination = nominations_visible_to(user=request.user).filter(pk=data["nomination"]).first()
        if nomination is None:
            raise NotFound()
        complaint = complaint_services.complaint_lodge(
            nomination=nomination, actor=caller(request), text=data["text"]
        )
        return Response(ComplaintSerializer(complaint).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ComplaintResolveSerializer, responses={200: ComplaintSerializer})
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str | None = None) -> Response:
        complaint = self.get_object()
        data = _valid(ComplaintResolveSerializer, request.data)
        resolved = complaint_services.complaint_resolve(
            complaint=complaint,
            actor=caller(request),
            upheld=data["upheld"],
            resolution=data["resolution"],
        )
        return Response(ComplaintSerializer(resolved).data)


# --- delegation -----------------------------------------------------------------------------------------
class DelegationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Delegation],
):
    """The Director delegates the decision step to a Deputy Director for a period, and revokes it."""

    serializer_class = DelegationSerializer

    def get_queryset(self) -> QuerySet[Delegation]:
        return delegations_visible_to(user=self.request.user)

    @extend_schema(request=DelegationCreateSerializer, responses={201: DelegationSerializer})
    def create(self, request: Request) -> Response:
        data = _valid(DelegationCreateSerializer, request.data)
        delegate = Person.objects.filter(username=data["delegate"]).first()
        delegation = delegation_services.delegation_create(
            actor=caller(request),
            delegate=delegate,
            starts=data["starts_at"],
            ends=data["ends_at"],
            note=data["note"],
        )
        return Response(DelegationSerializer(delegation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RevokeSerializer, responses={200: DelegationSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        delegation = self.get_object()
        data = _valid(RevokeSerializer, request.data)
        revoked = delegation_services.delegation_revoke(
            delegation=delegation, actor=caller(request), reason=data["reason"]
        )
        return Response(DelegationSerializer(revoked).data)


# --- award history --------------------------------------------------------------------------------------
class AwardHistoryViewSet(
    AwardHistoryImportMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[AwardRecord],
):
    """`GET ?person=` (default: the caller) — one's own, or anyone's for the office and the auditor.
    The office adds, changes and removes records of earlier years; records from decisions here are fixed."""

    serializer_class = AwardRecordSerializer
    pagination_class = None

    def _person(self, person_id: Any) -> Person:
        if person_id in (None, ""):
            return caller(self.request)
        if (pk := parse_id(person_id)) is None:
            raise ValidationError({"person": [_("Mã cán bộ không hợp lệ.")]})
        person = Person.objects.filter(pk=pk).first()
        if person is None or not may_read_history(self.request.user, person):
            raise NotFound()
        return person

    def get_queryset(self) -> QuerySet[AwardRecord]:
        if getattr(self, "swagger_fake_view", False):
            return AwardRecord.objects.none()
        if self.action == "list":
            return award_records_of(person=self._person(self.request.query_params.get("person")))
        records = AwardRecord.objects.filter(person__isnull=False).select_related("award", "person")
        user: Any = self.request.user
        if roles.reads_all_records(user):
            return records
        return records.filter(person=user)

    @extend_schema(request=AwardRecordWriteSerializer, responses={201: AwardRecordSerializer})
    def create(self, request: Request) -> Response:
        data = _valid(AwardRecordWriteSerializer, request.data)
        if "person" not in data:
            raise ValidationError({"person": [_("Cần mã cán bộ.")]})
        person = self._person(data.pop("person"))
        record = history_services.award_record_add(actor=caller(request), person=person, **data)
        return Response(AwardRecordSerializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AwardRecordWriteSerializer, responses={200: AwardRecordSerializer})
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        record = self.get_object()
        current = {
            "award": record.award.code,
            "year": record.year,
            "decision_number": record.decision_number,
            "decision_date": record.decision_date,
        }
        if not isinstance(request.data, dict):
            raise ValidationError({"detail": [_("Cần một đối tượng JSON.")]})
        data = _valid(AwardRecordWriteSerializer, {**current, **request.data})
        data.pop("person", None)
        updated = history_services.award_record_update(actor=caller(request), record=record, **data)
        return Response(AwardRecordSerializer(updated).data)

    def destroy(self, request: Request, pk: str | None = None) -> Response:
        record = self.get_object()
        history_services.award_record_remove(actor=caller(request), record=record)
        return Response(status=status.HTTP_204_NO_CONTENT)


def register(router: BaseRouter) -> None:
    """Register this area's viewsets on the API's one router."""
    router.register("commitments", CommitmentViewSet, basename="commitment")
    router.register("notices", NoticeViewSet, basename="notice")
    router.register("complaints", ComplaintViewSet, basename="complaint")
    router.register("delegations", DelegationViewSet, basename="delegation")
    router.register("award-history", AwardHistoryViewSet, basename="award-history")
