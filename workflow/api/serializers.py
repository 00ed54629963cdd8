"""The API's JSON shapes (API.md). Serializers validate types only: every rule is the services' business."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from nominations.access import codenames_held
from nominations.models import (
    AWARDED_STATES,
    Award,
    AwardRule,
    Campaign,
    DossierFile,
    Nomination,
    OrgUnit,
    Person,
    Rating,
    Role,
    SubmissionFile,
)
from workflow.base.inputs import IdSerializerField, InputSerializer, ObjectSerializerField
from workflow.models import AuditEvent
from workflow.process.transitions import registry
from workflow.services import certificates as certificate_services

# close_vote is never run on its own: closing the council session runs it with the tally's outcome.
RUN_BY_COUNCIL_SESSION = frozenset({"close_vote"})
TRANSITION_NAMES = tuple(sorted(name for name in registry() if name not in RUN_BY_COUNCIL_SESSION))


# --- reference data ----------------------------------------------------------------------------------
class UnitSerializer(serializers.ModelSerializer[OrgUnit]):
    class Meta:
        model = OrgUnit
        fields = ["id", "code", "name", "kind", "parent"]


class PersonSerializer(serializers.ModelSerializer[Person]):
    roles = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = ["id", "username", "full_name", "unit", "roles"]

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=Role.choices)))
    def get_roles(self, person: Person) -> list[str]:
        return [role for role in Role.values if role in person.role_codes]


class CampaignSerializer(serializers.ModelSerializer[Campaign]):
    class Meta:
        model = Campaign
        fields = ["id", "name", "kind", "starts_on", "ends_on", "theme"]


class AwardSerializer(serializers.ModelSerializer[Award]):
    # An award with the voting and authority of the version of its rules in force today.

    authority = serializers.SerializerMethodField()
    requires_vote = serializers.SerializerMethodField()
    secret_ballot = serializers.SerializerMethodField()
    threshold = serializers.SerializerMethodField()
    threshold_base = serializers.SerializerMethodField()

    class Meta:
        model = Award
        fields = [
            "id",
            "code",
            "name",
            "recipient",
            "authority",
            "requires_vote",
            "secret_ballot",
            "threshold",
            "threshold_base",
        ]

    @staticmethod
    def _rule(award: Award) -> AwardRule | None:
        # The view prefetches the versions in force today (what `rule_for(award, today)` picks).
        rules: list[AwardRule] | None = getattr(award, "rules_in_force", None)
        if rules is None:
            rules = list(
                AwardRule.objects.in_force_on(timezone.localdate())
                .filter(award=award)
                .order_by("-effective_from")
            )
        return rules[0] if rules else None

    @extend_schema_field(serializers.ChoiceField(choices=AwardRule.Authority.choices, allow_null=True))
    def get_authority(self, award: Award) -> str | None:
        rule = self._rule(award)
        return rule.authority if rule else None

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_requires_vote(self, award: Award) -> bool | None:
        rule = self._rule(award)
        return rule.requires_vote if rule else None

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_secret_ballot(self, award: Award) -> bool | None:
        rule = self._rule(award)
        return rule.secret_ballot if rule else None

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_threshold(self, award: Award) -> float | None:
        rule = self._rule(award)
        return float(rule.threshold) if rule else None

    @extend_schema_field(serializers.ChoiceField(choices=AwardRule.ThresholdBase.choices, allow_null=True))
    def get_threshold_base(self, award: Award) -> str | None:
        rule = self._rule(award)
        return rule.threshold_base if rule else None


# --- nominations -------------------------------------------------------------------------------------
class StoredFileSerializer(serializers.ModelSerializer[Any]):
    # One shape for every stored upload the API shows (a nomination's dossier file, a unit's shared
    # paper): what `StoredFile` records, the name it came with as `name`; each subclass names its model.
    # A comment, not a docstring: drf-spectacular would print a docstring into both schemas.

    name = serializers.CharField(source="original_name", read_only=True)

    class Meta:
        fields = ["id", "kind", "name", "content_type", "size", "uploaded_at"]
        read_only_fields = fields


class DossierFileSerializer(StoredFileSerializer):
    class Meta(StoredFileSerializer.Meta):
        model = DossierFile


class UnitSubmissionFileSerializer(StoredFileSerializer):
    class Meta(StoredFileSerializer.Meta):
        model = SubmissionFile


class CertificateLinkSerializer(serializers.Serializer[Any]):
    url = serializers.URLField()
    verification_url = serializers.URLField()


class NominationSerializer(serializers.ModelSerializer[Nomination]):
    # A nomination as its caller sees it; `available_transitions` are the ones they may run now. The
    # list view puts `held` (str(pk) → codenames the caller holds) in the context, read for the whole
    # page in one query (`codenames_held`).

    award: serializers.SlugRelatedField[Award] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    initiatives = serializers.SerializerMethodField()
    files = DossierFileSerializer(many=True, read_only=True)
    score = serializers.DecimalField(
        max_digits=5, decimal_places=2, coerce_to_string=False, read_only=True, allow_null=True
    )
    available_transitions = serializers.SerializerMethodField()
    decision = serializers.SerializerMethodField()
    certificate = serializers.SerializerMethodField()  # (certsign)

    class Meta:
        model = Nomination
        fields = [
            "id",
            "state",
            "campaign",
            "award",
            "nominating_unit",
            "nominee_person",
            "nominee_unit",
            "submission",
            "summary",
            "rating",
            "initiatives",
            "score",
            "assessment",
            "council_session",
            "decision_number",
            "decision_date",
            "decision",
            "submission_number",
            "outcome_decision_number",
            "files",
            "created_at",
            "state_changed_at",
            "available_transitions",
            "certificate",
        ]
        read_only_fields = fields

    @extend_schema_field(CertificateLinkSerializer(allow_null=True))
    def get_certificate(self, nomination: Nomination) -> dict[str, str] | None:
        """(certsign) The certificate's PDF and its public verification page, once the award is in force."""
        if nomination.state not in AWARDED_STATES:
            return None
        certificate = certificate_services.certificate_of(nomination)
        return {
            "url": certificate_services.certificate_url(nomination),
            "verification_url": certificate_services.verification_url(certificate),
        }

    def get_initiatives(self, nomination: Nomination) -> list[str]:
        return [initiative.title for initiative in nomination.initiatives.all()]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_decision(self, nomination: Nomination) -> int | None:
        """The decision (quyết định khen thưởng) that approved it: every approval is one (API.md)."""
        item = getattr(nomination, "decision_item", None)  # joined by the views: no query
        return item.decision_id if item is not None else None

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=TRANSITION_NAMES)))
    def get_available_transitions(self, nomination: Nomination) -> list[str]:
        held: dict[str, set[str]] | None = self.context.get("held")
        if held is None:
            held = codenames_held(self.context["request"].user, [nomination])
        mine = held.get(str(nomination.pk), set())
        return sorted(
            spec.name
            for spec in registry().values()
            if spec.name not in RUN_BY_COUNCIL_SESSION
            and nomination.state in spec.sources
            and spec.perm in mine
        )


class NominationCreateSerializer(InputSerializer):
    campaign = ObjectSerializerField(queryset=Campaign.objects.all())
    award = serializers.SlugRelatedField(slug_field="code", queryset=Award.objects.all())
    nominee_person = ObjectSerializerField(queryset=Person.objects.all(), required=False, allow_null=True)
    nominee_unit = ObjectSerializerField(queryset=OrgUnit.objects.all(), required=False, allow_null=True)
    summary = serializers.CharField(max_length=20000)
    rating = serializers.ChoiceField(choices=Rating.choices, required=False, default="")
    initiatives = serializers.ListField(
        child=serializers.CharField(max_length=300), required=False, default=list, max_length=50
    )


class NominationUpdateSerializer(InputSerializer):
    summary = serializers.CharField(max_length=20000, required=False)
    rating = serializers.ChoiceField(choices=Rating.choices, required=False)
    initiatives = serializers.ListField(
        child=serializers.CharField(max_length=300), required=False, max_length=50
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs:
            raise serializers.ValidationError(_("Không có nội dung nào để sửa."))
        return attrs


class AttachmentSerializer(InputSerializer):
    file = serializers.FileField(max_length=255)
    kind = serializers.ChoiceField(
        choices=DossierFile.Kind.choices, required=False, default=DossierFile.Kind.OTHER
    )


class TransitionInputSerializer(InputSerializer):
    # The fields a transition reads (API.md); the others are ignored. The services check the values.

    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    score = serializers.DecimalField(
        max_digits=None,
        decimal_places=None,
        coerce_to_string=False,
        required=False,
        allow_null=True,
        help_text=_("evaluate: điểm thẩm định, 0 — 100."),
    )
    assessment = serializers.CharField(
        required=False, allow_blank=True, max_length=20000, help_text=_("evaluate: ý kiến thẩm định.")
    )
    session = IdSerializerField(
        required=False, allow_null=True, help_text=_("schedule: mã số phiên họp Hội đồng.")
    )
    decision_number = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=60,
        help_text=_("approve: số quyết định; record_outcome: số quyết định của cấp trên."),
    )
    decision_date = serializers.DateField(
        required=False, allow_null=True, help_text=_("approve: ngày quyết định (YYYY-MM-DD).")
    )
    submission_number = serializers.CharField(
        required=False, allow_blank=True, max_length=60, help_text=_("forward: số tờ trình cấp trên.")
    )
    granted = serializers.BooleanField(
        required=False, allow_null=True, help_text=_("record_outcome: cấp trên có khen thưởng hay không.")
    )


class HistorySerializer(serializers.ModelSerializer[AuditEvent]):
    class Meta:
        model = AuditEvent
        fields = [
            "transition",
            "from_state",
            "to_state",
            "actor",
            "actor_name",
            "actor_role",
            "at",
            "comment",
        ]
        read_only_fields = fields


class AuditEventSerializer(serializers.ModelSerializer[AuditEvent]):
    # Null for an event still waiting for its place in the chain (listed last, workflow/api/audit.py).
    seq = serializers.IntegerField(
        read_only=True, allow_null=True, label=capfirst(AuditEvent._meta.get_field("seq").verbose_name)
    )

    class Meta:
        model = AuditEvent
        fields = [
            "seq",
            "at",
            "kind",
            "actor",
            "actor_name",
            "actor_role",
            "actor_unit",
            "object_type",
            "object_id",
            "nomination",
            "transition",
            "from_state",
            "to_state",
            "comment",
            "data",
            "prev_hash",
            "hash",
        ]
        read_only_fields = fields


class ErrorSerializer(InputSerializer):
    # A refusal: why, in words the caller can act on; `rules` cite the legal basis of failed checks.

    detail = serializers.CharField()
    code = serializers.CharField(required=False)
    rules = serializers.ListField(child=serializers.DictField(child=serializers.CharField()), required=False)
