"""The unit's submission (hồ sơ đề nghị của đơn vị): its list of nominees, its shared papers, submitting
the whole list at once and returning it at once.

Each nominee stays a nomination of its own: submitting the list runs the same `nomination_submit`
service per nomination (its audit event, its viewflow step), all inside one transaction, so either
every draft of the list is submitted or none is.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nominations import roles
from nominations.models import (
    EDITABLE_STATES,
    Campaign,
    Nomination,
    Person,
    Role,
    State,
    Submission,
    SubmissionFile,
)
from workflow.audit import log as audit
from workflow.base.errors import (
    Conflict,
    InvalidInput,
    NotPermitted,
    RuleNotMet,
    TransitionRefused,
    WrongState,
)
from workflow.models import AuditEvent
from workflow.services.nominations import dossier_file_check, stored_upload
from workflow.services.transitions import (
    Step,
    StepsRefused,
    nomination_return,
    nomination_withdraw,
    run_transitions,
)


class ListRefused(RuleNotMet):
    """Submitting the list was refused: `nominations` names every nominee that failed and why."""

    def __init__(self, message: str, *, nominations: list[dict[str, Any]]) -> None:
        super().__init__(message)
        self.nominations = nominations


def _head_of(actor: Person, submission: Submission) -> None:
    if not (actor.is_active and roles.heads_unit(actor, submission.unit_id)):
        raise NotPermitted(_("Chỉ trưởng đơn vị lập hồ sơ này mới thực hiện được thao tác này."))


def _event(submission: Submission, actor: Person, role: str, action: str, **data: Any) -> None:
    audit.record(
        kind=AuditEvent.Kind.OTHER,
        obj=submission,
        actor=actor,
        actor_role=role,
        data={"action": action, "unit": submission.unit.code, "campaign": submission.campaign_id, **data},
    )


def submission_create(*, actor: Person, campaign: Campaign) -> Submission:
    """A unit head opens their unit's submission for a campaign (one per unit and campaign)."""
    if not roles.heads_a_unit(actor):
        raise NotPermitted(_("Chỉ trưởng đơn vị mới lập hồ sơ đề nghị cho đơn vị mình."))
    unit = actor.unit
    assert unit is not None
    if campaign.units.exists() and not campaign.units.filter(pk=unit.pk).exists():
        raise InvalidInput(_("Đơn vị của bạn không tham gia phong trào này."), field="campaign")
    existing = Submission.objects.filter(unit=unit, campaign=campaign).first()
    if existing is None:
        try:
            with transaction.atomic():
                submission = Submission.objects.create(unit=unit, campaign=campaign, created_by=actor)
                _event(submission, actor, Role.UNIT_HEAD, "submission_created")
                return submission
        except IntegrityError:
            existing = Submission.objects.filter(unit=unit, campaign=campaign).first()
    raise Conflict(
        _("Đơn vị đã có hồ sơ đề nghị số %(id)s cho phong trào này.")
        % {"id": existing.pk if existing else "?"}
    )


def _may_change_papers(locked: Submission) -> None:
    if locked.is_editable or locked.nominations.filter(state__in=EDITABLE_STATES).exists():
        return
    raise WrongState(_("Hồ sơ của đơn vị đã gửi: không thay đổi tài liệu chung được nữa."))


def submission_file_add(
    *, submission: Submission, actor: Person, upload: UploadedFile, kind: str
) -> SubmissionFile:
    """A paper shared by the whole list (tờ trình, biên bản bình xét, other), attached once."""
    if kind not in SubmissionFile.Kind.values:
        raise InvalidInput(
            _("Loại tài liệu chung: tờ trình, biên bản bình xét hoặc tài liệu khác."), field="kind"
        )
    detected = dossier_file_check(upload)
    with transaction.atomic():
        locked = (
            Submission.objects.select_for_update(of=("self",)).select_related("unit").get(pk=submission.pk)
        )
        _head_of(actor, locked)
        _may_change_papers(locked)
        row = SubmissionFile.objects.create(
            submission=locked, kind=kind, **stored_upload(upload, detected, actor=actor)
        )
        audit.record(
            kind=AuditEvent.Kind.FILE_ADDED,
            obj=row,
            actor=actor,
            actor_role=Role.UNIT_HEAD,
            comment=row.original_name,
            data={"kind": kind, "size": upload.size, "submission": locked.pk},
        )
    return row


def submission_file_remove(*, submission_file: SubmissionFile, actor: Person) -> None:
    with transaction.atomic():
        locked = (
            Submission.objects.select_for_update(of=("self",))
            .select_related("unit")
            .get(pk=submission_file.submission_id)
        )
        _head_of(actor, locked)
        _may_change_papers(locked)
        audit.record(
            kind=AuditEvent.Kind.FILE_REMOVED,
            obj=submission_file,
            actor=actor,
            actor_role=Role.UNIT_HEAD,
            comment=submission_file.original_name,
            data={
                "kind": submission_file.kind,
                "name": submission_file.original_name,
                "submission": locked.pk,
            },
        )
        stored = submission_file.file.name or ""
        submission_file.delete()
        transaction.on_commit(lambda: submission_file.file.storage.delete(stored))


def submission_nomination_remove(
    *, submission: Submission, nomination: Nomination, actor: Person
) -> Nomination:
    """Take a row off the list: the draft is withdrawn (kept, with its trail), so it blocks no new one."""
    if nomination.submission_id != submission.pk:
        raise InvalidInput(_("Hồ sơ này không thuộc danh sách của đơn vị."), field="nomination")
    return nomination_withdraw(
        nomination=nomination, actor=actor, comment=_("Bỏ khỏi danh sách đề nghị của đơn vị.")
    )


def _lock_nominations(ids: list[int]) -> None:
    """Lock the list's nominations in id order before any of them is submitted.

    A single submit locks its nomination, then the unit's row; here every nomination is held before the
    first submit takes the unit's row — the same order — so a concurrent single submit waits (or we wait
    for it), and neither holds what the other needs.
    """
    list(
        Nomination.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _refusal_rules(refusal: TransitionRefused) -> list[dict[str, str]]:
    if refusal.refusals:
        return [
            {"rule": r.rule, "message": r.message, "legal_basis": r.legal_basis} for r in refusal.refusals
        ]
    return [{"rule": refusal.code, "message": refusal.message, "legal_basis": ""}]


def submission_submit(*, submission: Submission, actor: Person, comment: str = "") -> Submission:
    """Submit every draft (and resubmit every returned) nomination of the list, in one transaction.

    Each runs the single-nomination service (its checks, audit event and process step). If any is refused,
    nothing is submitted and the refusal names every nominee that failed, each rule with its legal basis.
    """
    with transaction.atomic():
        locked = (
            Submission.objects.select_for_update(of=("self",))
            .select_related("unit", "campaign")
            .get(pk=submission.pk)
        )
        _head_of(actor, locked)
        ids = list(
            locked.nominations.filter(state__in=EDITABLE_STATES).order_by("pk").values_list("pk", flat=True)
        )
        if not ids:
            raise WrongState(_("Danh sách không có hồ sơ dự thảo hoặc bị trả lại nào để gửi."))
        _lock_nominations(ids)
        rows = (
            Nomination.objects.filter(pk__in=ids)
            .select_related("nominee_person", "nominee_unit", "award")
            .order_by("pk")
        )
        steps = [
            Step(n, comment=comment, name="submit" if n.state == State.DRAFT else "resubmit") for n in rows
        ]
        failed: list[dict[str, Any]] = []
        try:
            run_transitions("submit", steps=steps, actor=actor, every=True)
        except StepsRefused as refusals:
            failed = [
                {
                    "id": nomination.pk,
                    "nominee": str(nomination.nominee),
                    "award": nomination.award.code,
                    "rules": _refusal_rules(refusal),
                }
                for nomination, refusal in refusals.refused
            ]
        if failed:
            raise ListRefused(
                _("%(failed)s/%(total)s hồ sơ chưa đạt yêu cầu: không hồ sơ nào được gửi.")
                % {"failed": len(failed), "total": len(ids)},
                nominations=failed,
            )
        locked.state = Submission.State.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["state", "submitted_at"])
        _event(locked, actor, Role.UNIT_HEAD, "submission_submitted", nominations=ids)
    return locked


def submission_return(*, submission: Submission, actor: Person, comment: str) -> Submission:
    """The office returns the whole list with one reason: each submitted nomination is returned (its own
    audit event); those already further on (evaluated, in the council…) are left where they are."""
    comment = (comment or "").strip()
    if not comment:
        raise InvalidInput(_("Cần nêu lý do."), field="comment")
    if not (actor.is_active and roles.is_office(actor)):
        raise NotPermitted(_("Chỉ Phòng Tổ chức - Hành chính mới trả lại hồ sơ của đơn vị."))
    with transaction.atomic():
        locked = (
            Submission.objects.select_for_update(of=("self",)).select_related("unit").get(pk=submission.pk)
        )
        ids = list(
            locked.nominations.filter(state=State.SUBMITTED).order_by("pk").values_list("pk", flat=True)
        )
        if not ids:
            raise WrongState(_("Danh sách không có hồ sơ nào đang chờ thẩm định để trả lại."))
        _lock_nominations(ids)
        for nomination in Nomination.objects.filter(pk__in=ids).order_by("pk"):
            nomination_return(nomination=nomination, actor=actor, comment=comment)
        locked.state = Submission.State.RETURNED
        locked.save(update_fields=["state"])
        _event(locked, actor, Role.OFFICE_STAFF, "submission_returned", nominations=ids, reason=comment)
    return locked
