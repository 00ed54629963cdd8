from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from nominations.access import Perm, holds
from nominations.models.awards import Award, Initiative
from nominations.models.campaigns import Campaign
from nominations.models.files import StoredFile
from nominations.models.org import OrgUnit
from nominations.models.submissions import Submission


class State(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SUBMITTED = "submitted", _("Đã gửi")
    RETURNED = "returned", _("Trả lại để bổ sung")
    EVALUATED = "evaluated", _("Đã thẩm định")
    IN_VOTE = "in_vote", _("Đang biểu quyết")
    PROPOSED = "proposed", _("Đề nghị khen thưởng")
    COUNCIL_FAILED = "council_failed", _("Không đạt biểu quyết")
    ON_HOLD = "on_hold", _("Tạm dừng xét")
    INELIGIBLE = "ineligible", _("Không đủ điều kiện")
    APPROVED = "approved", _("Đã quyết định khen thưởng")
    DECLINED = "declined", _("Không khen thưởng")
    FORWARDED = "forwarded", _("Đã trình cấp trên")
    GRANTED = "granted", _("Cấp trên đã khen thưởng")
    NOT_GRANTED = "not_granted", _("Cấp trên không khen thưởng")
    REPORTED = "reported", _("Đã báo cáo")
    WITHDRAWN = "withdrawn", _("Đã rút")
    REVOKED = "revoked", _("Đã hủy bỏ quyết định")


# The named sets of states, defined here only (issue #18).
# The unit may still change it, and submit it (again).
EDITABLE_STATES = frozenset({State.DRAFT, State.RETURNED})
# A published result can be contested while it stands: proposed, or already held by a complaint.
CONTESTABLE_STATES = frozenset({State.PROPOSED, State.ON_HOLD})
# The award is decided and in force: its certificate can be issued, it counts as held.
AWARDED_STATES = frozenset({State.APPROVED, State.GRANTED, State.REPORTED})
# The award is in force once decided above the office (the statistics' rows not yet on record).
GRANTED_STATES = frozenset({State.GRANTED, State.REPORTED})
# Holding one of the quota's places of its campaign, award and unit after the council.
QUOTA_HOLDING_STATES = AWARDED_STATES | {State.PROPOSED, State.FORWARDED}
# Ended with a refusal (the office, the council, the Director or the higher level said no).
REFUSED_STATES = frozenset({State.DECLINED, State.NOT_GRANTED, State.COUNCIL_FAILED, State.INELIGIBLE})
# Ended otherwise: withdrawn by the unit, or the decision revoked.
ENDED_STATES = frozenset({State.WITHDRAWN, State.REVOKED})
# The final states: the nomination no longer stands — it counts against no quota, blocks no new one
# for the same nominee, award and campaign, and satisfies no prerequisite.
FINAL_STATES = REFUSED_STATES | ENDED_STATES


class Rating(models.TextChoices):
    HTXS = "htxs", _("Hoàn thành xuất sắc nhiệm vụ")
    HTT = "htt", _("Hoàn thành tốt nhiệm vụ")
    HT = "ht", _("Hoàn thành nhiệm vụ")
    KHT = "kht", _("Không hoàn thành nhiệm vụ")


def _may(codename: str) -> Any:
    """A django-fsm permission that only an object-level grant satisfies (never a global one)."""

    def check(instance: Nomination, user: Any) -> bool:
        return holds(user, codename, instance)

    check.codename = codename  # type: ignore[attr-defined]
    return check


def _meta(
    label: Any, perm: str, *, needs_comment: bool = False, fields: tuple[str, ...] = ()
) -> dict[str, Any]:
    return {"label": label, "perm": perm, "needs_comment": needs_comment, "fields": fields}


class Nomination(ConcurrentTransitionMixin, models.Model):
    """A unit's proposal of one nominee (a person or a unit) for one award in one campaign.

    `state` is protected: only the transition methods below change it, and they change fields only.
    Every side effect (locking, permission check, audit, notification) is in `workflow.services`.
    """

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("phong trào"), on_delete=models.PROTECT, related_name="nominations"
    )
    award = models.ForeignKey(
        Award, verbose_name=_("danh hiệu, hình thức"), on_delete=models.PROTECT, related_name="nominations"
    )
    nominating_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị đề nghị"), on_delete=models.PROTECT, related_name="nominations"
    )
    nominee_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cá nhân được đề nghị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    nominee_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("tập thể được đề nghị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations_received",
    )
    submission = models.ForeignKey(
        Submission,
        verbose_name=_("hồ sơ của đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    summary = models.TextField(_("tóm tắt thành tích"))
    rating = models.CharField(
        _("xếp loại hoàn thành nhiệm vụ"), max_length=8, choices=Rating.choices, blank=True
    )
    initiatives = models.ManyToManyField(
        Initiative, verbose_name=_("sáng kiến, đề tài"), blank=True, related_name="nominations"
    )
    score = models.DecimalField(_("điểm thẩm định"), max_digits=5, decimal_places=2, null=True, blank=True)
    assessment = models.TextField(_("ý kiến thẩm định"), blank=True)

    state = FSMField(
        _("trạng thái"),
        max_length=16,
        choices=State.choices,
        default=State.DRAFT,
        protected=True,
        db_index=True,
    )
    state_changed_at = models.DateTimeField(_("chuyển trạng thái lúc"), default=timezone.now)

    council_session = models.ForeignKey(
        "nominations.CouncilSession",
        verbose_name=_("phiên họp Hội đồng"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda",
    )
    decision_number = models.CharField(_("số quyết định"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    submission_number = models.CharField(_("số tờ trình cấp trên"), max_length=60, blank=True)
    outcome_decision_number = models.CharField(_("số quyết định của cấp trên"), max_length=60, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ngày lập"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ đề nghị khen thưởng")
        verbose_name_plural = _("hồ sơ đề nghị khen thưởng")
        ordering = ["-created_at", "-id"]
        permissions = [
            (Perm.SUBMIT, _("Gửi, gửi lại, rút hồ sơ đề nghị")),
            (Perm.REVIEW, _("Thẩm định hồ sơ đề nghị")),
            (Perm.SCHEDULE, _("Đưa hồ sơ vào phiên họp Hội đồng")),
            (Perm.CLOSE_VOTE, _("Kết thúc biểu quyết hồ sơ")),
            (Perm.DECIDE, _("Quyết định khen thưởng")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(nominee_person__isnull=False, nominee_unit__isnull=True)
                | models.Q(nominee_person__isnull=True, nominee_unit__isnull=False),
                name="nomination_nominee_person_xor_unit",
            ),
            # One standing nomination per nominee, award and campaign (DOMAIN.md; L22 Art. 6): the
            # database refuses the second even when two requests race past the service's check.
            models.UniqueConstraint(
                fields=["campaign", "award", "nominee_person"],
                condition=models.Q(nominee_person__isnull=False) & ~models.Q(state__in=sorted(FINAL_STATES)),
                name="nomination_one_standing_per_person",
            ),
            models.UniqueConstraint(
                fields=["campaign", "award", "nominee_unit"],
                condition=models.Q(nominee_unit__isnull=False) & ~models.Q(state__in=sorted(FINAL_STATES)),
                name="nomination_one_standing_per_unit",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "state"]),
            models.Index(fields=["nominating_unit", "state"]),
            models.Index(fields=["award", "state"]),
            # The lists' orders (newest first: the list, the dashboard), read backwards: a page of an
            # agency-wide reader is the index's first rows, not a sort of every nomination.
            models.Index(fields=["created_at", "id"], name="nomination_created_order"),
            models.Index(fields=["state_changed_at", "id"], name="nomination_changed_order"),
        ]

    def __str__(self) -> str:
        return f"{self.award} — {self.nominee}"

    @property
    def nominee(self) -> Any:
        return self.nominee_person if self.nominee_person_id else self.nominee_unit

    @property
    def is_individual(self) -> bool:
        return self.nominee_person_id is not None

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    def _stamp(self) -> None:
        self.state_changed_at = timezone.now()

    # --- the unit head ---------------------------------------------------------------------------
    @transition(
        state,
        source=State.DRAFT,
        target=State.SUBMITTED,
        permission=_may(Perm.SUBMIT),
        custom=_meta(_("Gửi hồ sơ"), Perm.SUBMIT),
    )
    def submit(self) -> None:
        self._stamp()

    @transition(
        state,
        source=State.RETURNED,
        target=State.SUBMITTED,
        permission=_may(Perm.SUBMIT),
        custom=_meta(_("Gửi lại hồ sơ"), Perm.SUBMIT),
    )
    def resubmit(self) -> None:
        self._stamp()

    @transition(
        state,
        source=[State.DRAFT, State.SUBMITTED, State.RETURNED, State.EVALUATED],
        target=State.WITHDRAWN,
        permission=_may(Perm.SUBMIT),
        custom=_meta(_("Rút hồ sơ"), Perm.SUBMIT),
    )
    def withdraw(self) -> None:
        self._stamp()

    # --- the office (Phòng TC-HC) -------------------------------------------------------------------
    @transition(
        state,
        source=State.SUBMITTED,
        target=State.RETURNED,
        permission=_may(Perm.REVIEW),
        custom=_meta(pgettext_lazy("transition", "Trả lại để bổ sung"), Perm.REVIEW, needs_comment=True),
    )
    def return_(self) -> None:
        self._stamp()

    @transition(
        state,
        source=State.SUBMITTED,
        target=State.INELIGIBLE,
        permission=_may(Perm.REVIEW),
        custom=_meta(pgettext_lazy("transition", "Không đủ điều kiện"), Perm.REVIEW, needs_comment=True),
    )
    def mark_ineligible(self) -> None:
        self._stamp()

    @transition(
        state,
        source=State.SUBMITTED,
        target=State.EVALUATED,
        permission=_may(Perm.REVIEW),
        custom=_meta(_("Thẩm định"), Perm.REVIEW, fields=("score", "assessment")),
    )
    def evaluate(self, *, score: Any, assessment: str) -> None:
        self.score = score
        self.assessment = assessment
        self._stamp()

    @transition(
        state,
        source=[State.SUBMITTED, State.EVALUATED, State.PROPOSED],
        target=State.ON_HOLD,
        permission=_may(Perm.REVIEW),
        custom=_meta(pgettext_lazy("transition", "Tạm dừng xét"), Perm.REVIEW, needs_comment=True),
    )
    def hold(self) -> None:
        self._stamp()

    @transition(
        state,
        source=State.ON_HOLD,
        target=State.SUBMITTED,
        permission=_may(Perm.REVIEW),
        custom=_meta(_("Tiếp tục xét"), Perm.REVIEW),
    )
    def release(self) -> None:
        self.council_session = None
        self._stamp()

    @transition(
        state,
        source=State.EVALUATED,
        target=State.PROPOSED,
        permission=_may(Perm.REVIEW),
        custom=_meta(_("Đề nghị (không cần biểu quyết)"), Perm.REVIEW),
    )
    def propose(self) -> None:
        self._stamp()

    @transition(
        state,
        source=State.FORWARDED,
        target=RETURN_VALUE(State.GRANTED, State.NOT_GRANTED),
        permission=_may(Perm.REVIEW),
        custom=_meta(_("Ghi nhận kết quả của cấp trên"), Perm.REVIEW, fields=("granted", "decision_number")),
    )
    def record_outcome(self, *, granted: bool, decision_number: str) -> str:
        self.outcome_decision_number = decision_number
        self._stamp()
        return State.GRANTED if granted else State.NOT_GRANTED

    @transition(
        state,
        source=[State.APPROVED, State.GRANTED],
        target=State.REPORTED,
        permission=_may(Perm.REVIEW),
        custom=_meta(_("Báo cáo kết quả"), Perm.REVIEW),
    )
    def report(self) -> None:
        self._stamp()

    # --- the council ---------------------------------------------------------------------------------
    @transition(
        state,
        source=State.EVALUATED,
        target=State.IN_VOTE,
        permission=_may(Perm.SCHEDULE),
        custom=_meta(_("Đưa vào phiên họp Hội đồng"), Perm.SCHEDULE, fields=("session",)),
    )
    def schedule(self, *, session: Any) -> None:
        self.council_session = session
        self._stamp()

    @transition(
        state,
        source=State.IN_VOTE,
        target=RETURN_VALUE(State.PROPOSED, State.COUNCIL_FAILED),
        permission=_may(Perm.CLOSE_VOTE),
        custom=_meta(_("Kết thúc biểu quyết"), Perm.CLOSE_VOTE),
    )
    def close_vote(self, *, passed: bool) -> str:
        self._stamp()
        return State.PROPOSED if passed else State.COUNCIL_FAILED

    # --- the Director ------------------------------------------------------------------------------
    @transition(
        state,
        source=State.PROPOSED,
        target=State.APPROVED,
        permission=_may(Perm.DECIDE),
        custom=_meta(
            pgettext_lazy("transition", "Quyết định khen thưởng"),
            Perm.DECIDE,
            fields=("decision_number", "decision_date"),
        ),
    )
    def approve(self, *, decision_number: str, decision_date: Any) -> None:
        self.decision_number = decision_number
        self.decision_date = decision_date
        self._stamp()

    @transition(
        state,
        source=State.PROPOSED,
        target=State.DECLINED,
        permission=_may(Perm.DECIDE),
        custom=_meta(pgettext_lazy("transition", "Không khen thưởng"), Perm.DECIDE, needs_comment=True),
    )
    def decline(self) -> None:
        self._stamp()

    @transition(
        state,
        source=State.PROPOSED,
        target=State.FORWARDED,
        permission=_may(Perm.DECIDE),
        custom=_meta(_("Trình cấp trên"), Perm.DECIDE, fields=("submission_number",)),
    )
    def forward(self, *, submission_number: str) -> None:
        self.submission_number = submission_number
        self._stamp()

    @transition(
        state,
        source=[State.APPROVED, State.REPORTED],
        target=State.REVOKED,
        permission=_may(Perm.DECIDE),
        custom=_meta(_("Hủy bỏ quyết định khen thưởng"), Perm.DECIDE, needs_comment=True),
    )
    def revoke(self) -> None:
        self._stamp()


def transition_name(method_name: str) -> str:
    """`return_` is `return` in DOMAIN.md, the API and the audit log."""
    return method_name.rstrip("_")


def method_name(transition: str) -> str:
    return "return_" if transition == "return" else transition


class DossierFile(StoredFile):
    """One file of a nomination's dossier (L22 Art. 84)."""

    class Kind(models.TextChoices):
        SUBMISSION = "to_trinh", _("Tờ trình của đơn vị")
        ACHIEVEMENT_REPORT = "bao_cao", _("Báo cáo thành tích")
        EVALUATION_MINUTES = "bien_ban", _("Biên bản bình xét")
        PROOF = "minh_chung", _("Minh chứng HTXS / sáng kiến")
        OTHER = "khac", _("Tài liệu khác")

    nomination = models.ForeignKey(
        Nomination, verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="files"
    )
    kind = models.CharField(_("loại tài liệu"), max_length=16, choices=Kind.choices)
    file = models.FileField(_("tệp"), upload_to="dossiers/%Y/%m/")

    class Meta:
        verbose_name = _("tài liệu hồ sơ")
        verbose_name_plural = _("tài liệu hồ sơ")
        ordering = ["nomination", "kind", "uploaded_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"
