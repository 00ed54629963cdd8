"""The council (Hội đồng Thi đua - Khen thưởng): sessions, attendance, and secret ballots.

Secrecy is a property of *what is stored*, not of who may read it (docs/voting.md):

- `BallotParticipation` records that a member voted on an item, and never how;
- `SealedBallot` holds one choice, encrypted with a key that is not in the database, with a random
  id, no member and no time. It lives only while the session is open: closing the session opens the
  seals, counts them into `CouncilItemResult` and deletes them in the same transaction;
- `BallotReceipt` holds only the hash of the voter's receipt, and no choice.
"""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CouncilSession(models.Model):
    """Phiên họp Hội đồng Thi đua - Khen thưởng: its members vote on an agenda of nominations."""

    class State(models.TextChoices):
        PLANNED = "planned", _("Dự kiến")
        OPEN = "open", _("Đang họp")
        CLOSED = "closed", _("Đã kết thúc")

    name = models.CharField(_("tên phiên họp"), max_length=200)
    date = models.DateField(_("ngày họp"))
    campaign = models.ForeignKey(
        "nominations.Campaign",
        verbose_name=_("phong trào"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="council_sessions",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("thành viên"), related_name="council_sessions"
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chủ tịch Hội đồng (chủ trì)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(_("trạng thái"), max_length=8, choices=State.choices, default=State.PLANNED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("khai mạc lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("phiên họp Hội đồng")
        verbose_name_plural = _("phiên họp Hội đồng")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%d/%m/%Y})"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def is_closed(self) -> bool:
        return self.state == self.State.CLOSED


class Attendance(models.Model):
    """How a member takes part in a session, as recorded by the secretary (for the minutes)."""

    class Mode(models.TextChoices):
        PRESENT = "present", _("Có mặt")
        REMOTE = "remote", _("Tham dự trực tuyến")
        WRITTEN = "written", _("Gửi phiếu bằng văn bản")
        ABSENT = "absent", _("Vắng mặt")

    session = models.ForeignKey(
        CouncilSession, verbose_name=_("phiên họp"), on_delete=models.CASCADE, related_name="attendance"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("thành viên"), on_delete=models.PROTECT, related_name="+"
    )
    mode = models.CharField(_("hình thức tham dự"), max_length=8, choices=Mode.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi nhận"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("ghi nhận lúc"))

    class Meta:
        verbose_name = _("điểm danh thành viên")
        verbose_name_plural = _("điểm danh thành viên")
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="attendance_once_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.get_mode_display()}"


class Choice(models.TextChoices):
    YES = "yes", _("Tán thành")
    NO = "no", _("Không tán thành")
    ABSTAIN = "abstain", _("Không biểu quyết")


class BallotParticipation(models.Model):
    """That `member` voted on `nomination` in `session` — and never how (the choice is not here).

    One row per member and item: the unique constraint makes a second ballot impossible even if two
    requests race. There is no timestamp (the audit event of the participation has one).
    """

    class Method(models.TextChoices):
        ONLINE = "online", _("Bỏ phiếu trực tuyến")
        WRITTEN = "written", _("Phiếu bằng văn bản (thư ký nhập)")

    session = models.ForeignKey(
        CouncilSession, verbose_name=_("phiên họp"), on_delete=models.PROTECT, related_name="participations"
    )
    nomination = models.ForeignKey(
        "nominations.Nomination",
        verbose_name=_("hồ sơ"),
        on_delete=models.PROTECT,
        related_name="ballot_participations",
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("thành viên"), on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField(_("hình thức"), max_length=8, choices=Method.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập phiếu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("lượt tham gia biểu quyết")
        verbose_name_plural = _("lượt tham gia biểu quyết")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "nomination", "member"], name="ballot_once_per_member_and_item"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} — #{self.nomination_id}"


class SealedBallot(models.Model):
    """One secret choice while the session is open: encrypted, with nothing that points to its voter.

    No member, no timestamp, a random (not sequential) id, and a ciphertext of the same length for
    every choice. The key is derived from the server's secret, never stored in the database, so even
    the row order or the transaction id that this row shares with its participation row links a
    member only to a ciphertext. The rows are counted and deleted when the session closes.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(CouncilSession, on_delete=models.PROTECT, related_name="+")
    nomination = models.ForeignKey("nominations.Nomination", on_delete=models.PROTECT, related_name="+")
    sealed = models.BinaryField()

    class Meta:
        default_permissions = ()
        verbose_name = _("phiếu kín (niêm phong)")

    def __str__(self) -> str:
        return str(_("phiếu kín (niêm phong)"))


class BallotReceipt(models.Model):
    """The hash of a voter's receipt. It proves a ballot went into the count, not what it said."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(CouncilSession, on_delete=models.PROTECT, related_name="+")
    nomination = models.ForeignKey("nominations.Nomination", on_delete=models.PROTECT, related_name="+")
    digest = models.CharField(max_length=64, unique=True)

    class Meta:
        default_permissions = ()
        verbose_name = _("biên nhận phiếu")

    def __str__(self) -> str:
        return str(_("biên nhận phiếu"))

    @staticmethod
    def normalise(token: str) -> str:
        return "".join(ch for ch in token.upper() if ch.isalnum())

    @classmethod
    def digest_of(cls, token: str) -> str:
        return hashlib.sha256(b"thidua-receipt:" + cls.normalise(token).encode()).hexdigest()


class CouncilItemResult(models.Model):
    """The count and outcome of one agenda item, written when the session closes (aggregates only)."""

    class Outcome(models.TextChoices):
        PROPOSED = "proposed", _("Đạt — đề nghị khen thưởng")
        FAILED = "council_failed", _("Không đạt")
        OVER_QUOTA = "over_quota", _("Đạt tỷ lệ nhưng vượt chỉ tiêu")
        TIE = "tie", _("Bằng phiếu — chờ Chủ tịch Hội đồng quyết định")

    session = models.ForeignKey(
        CouncilSession, verbose_name=_("phiên họp"), on_delete=models.PROTECT, related_name="results"
    )
    nomination = models.ForeignKey(
        "nominations.Nomination", verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="+"
    )
    members = models.PositiveSmallIntegerField(_("số thành viên Hội đồng"))
    yes = models.PositiveSmallIntegerField(_("tán thành"))
    no = models.PositiveSmallIntegerField(_("không tán thành"))
    abstain = models.PositiveSmallIntegerField(_("không biểu quyết"))
    written = models.PositiveSmallIntegerField(_("trong đó phiếu bằng văn bản"), default=0)
    quorum_needed = models.PositiveSmallIntegerField(_("số thành viên tối thiểu"))
    threshold_met = models.BooleanField(_("đạt tỷ lệ"))
    rank = models.PositiveSmallIntegerField(_("thứ hạng trong chỉ tiêu"), null=True, blank=True)
    quota_places = models.PositiveSmallIntegerField(_("số chỉ tiêu còn lại"), null=True, blank=True)
    tie_group = models.CharField(max_length=64, blank=True)
    tie_places = models.PositiveSmallIntegerField(
        _("số chỉ tiêu cho các hồ sơ bằng phiếu"), null=True, blank=True
    )
    outcome = models.CharField(_("kết quả"), max_length=16, choices=Outcome.choices)
    decided_by_chair = models.BooleanField(_("do Chủ tịch Hội đồng quyết định khi bằng phiếu"), default=False)

    class Meta:
        verbose_name = _("kết quả biểu quyết")
        verbose_name_plural = _("kết quả biểu quyết")
        ordering = ["session", "nomination_id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "nomination"], name="one_result_per_item"),
        ]

    def __str__(self) -> str:
        return f"#{self.nomination_id}: {self.yes}/{self.no}/{self.abstain} — {self.get_outcome_display()}"

    @property
    def cast(self) -> int:
        return self.yes + self.no + self.abstain


class TieBreak(models.Model):
    """The chair's open decision between nominations tied at the edge of a quota.

    It is not a ballot: the chair's own secret ballots were counted like everyone's. The decision is
    made after the count, openly, under the chair's name, and recorded in the audit log and the minutes.
    """

    session = models.ForeignKey(
        CouncilSession, verbose_name=_("phiên họp"), on_delete=models.PROTECT, related_name="tie_breaks"
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chủ tịch Hội đồng"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    tied = models.JSONField(_("các hồ sơ bằng phiếu"))
    chosen = models.JSONField(_("các hồ sơ được chọn"))
    comment = models.TextField(_("ý kiến"), blank=True)
    decided_at = models.DateTimeField(_("quyết định lúc"))

    class Meta:
        verbose_name = _("quyết định của Chủ tịch khi bằng phiếu")
        verbose_name_plural = _("quyết định của Chủ tịch khi bằng phiếu")
        ordering = ["decided_at"]

    def __str__(self) -> str:
        return f"{self.session}: {self.chosen}"
