"""Creating and editing nominations and their dossier files (everything but state changes)."""

from __future__ import annotations

import os
import re
import zipfile
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from nominations import roles
from nominations.access import Perm, holds
from nominations.documents.vietnamese import ascii_fold
from nominations.models import (
    FINAL_STATES,
    Award,
    Campaign,
    DossierFile,
    Initiative,
    Nomination,
    OrgUnit,
    Person,
    Role,
    Submission,
)
from workflow.audit import log as audit
from workflow.base.errors import Duplicate, InvalidInput, NotPermitted, WrongState
from workflow.models import AuditEvent
from workflow.process import routing


def nomination_create(
    *,
    actor: Person,
    campaign: Campaign,
    award: Award,
    nominee_person: Person | None = None,
    nominee_unit: OrgUnit | None = None,
    summary: str,
    rating: str = "",
    initiatives: list[str] | None = None,
    submission: Submission | None = None,
) -> Nomination:
    """A unit head proposes a nominee of their own unit; the nomination starts as a draft.

    `submission`: the unit's submission for the campaign whose list it joins (None: it stands alone).
    """
    if not roles.heads_a_unit(actor):
        raise NotPermitted(_("Chỉ trưởng đơn vị mới lập hồ sơ đề nghị cho đơn vị mình."))
    unit = actor.unit
    assert unit is not None
    if (nominee_person is None) == (nominee_unit is None):
        raise InvalidInput(_("Chọn một cá nhân hoặc một tập thể được đề nghị."), field="nominee_person")
    if nominee_person is not None and nominee_person.unit_id != unit.pk:
        raise InvalidInput(_("Cá nhân được đề nghị phải thuộc đơn vị của bạn."), field="nominee_person")
    if nominee_unit is not None and nominee_unit.pk != unit.pk:
        raise InvalidInput(_("Tập thể được đề nghị phải là đơn vị của bạn."), field="nominee_unit")
    if not award.accepts(individual=nominee_person is not None):
        raise InvalidInput(_("%(award)s không xét cho đối tượng này.") % {"award": award.name}, field="award")
    if not summary.strip():
        raise InvalidInput(_("Cần tóm tắt thành tích."), field="summary")
    if campaign.units.exists() and not campaign.units.filter(pk=unit.pk).exists():
        raise InvalidInput(_("Đơn vị của bạn không tham gia phong trào này."), field="campaign")
    if submission is not None and (submission.unit_id != unit.pk or submission.campaign_id != campaign.pk):
        raise InvalidInput(_("Hồ sơ của đơn vị thuộc đơn vị hoặc phong trào khác."), field="campaign")
    nominee: dict[str, Any] = {"nominee_person": nominee_person, "nominee_unit": nominee_unit}
    duplicate_refuse(campaign=campaign, award=award, **nominee)
    with transaction.atomic():
        try:
            with transaction.atomic():
                nomination = Nomination.objects.create(
                    campaign=campaign,
                    award=award,
                    nominating_unit=unit,
                    summary=summary.strip(),
                    rating=rating,
                    created_by=actor,
                    submission=submission,
                    **nominee,
                )
        except IntegrityError:
            # Another request made the same one between the check and the insert: the constraint decides.
            duplicate_refuse(campaign=campaign, award=award, **nominee)
            raise
        set_initiatives(nomination, initiatives or [], campaign.year)
        audit.record_many([created_event(nomination, actor)])
        routing.after_create(nomination, actor)
    return nomination


def created_event(nomination: Nomination, actor: Person, data: dict[str, Any] | None = None) -> AuditEvent:
    """The `created` audit event of a nomination a unit head made, by hand or from a sheet (not yet saved:
    `audit.record_many` chains and saves it), so both ways of making one record the same event."""
    return audit.event_of(
        kind=AuditEvent.Kind.CREATED,
        obj=nomination,
        actor=actor,
        actor_role=Role.UNIT_HEAD,
        nomination=nomination,
        to_state=nomination.state,
        data=data,
    )


def standing_duplicate(
    *, campaign: Campaign, award: Award, nominee_person: Person | None, nominee_unit: OrgUnit | None
) -> Nomination | None:
    """The standing nomination of this nominee for this award in this campaign, if there is one."""
    nominee = {"nominee_person": nominee_person} if nominee_person else {"nominee_unit": nominee_unit}
    return (
        Nomination.objects.filter(campaign=campaign, award=award, **nominee)
        .exclude(state__in=FINAL_STATES)
        .order_by("pk")
        .first()
    )


def duplicate_message(existing: Nomination) -> str:
    return _(
        "Đã có hồ sơ số %(id)s đề nghị %(award)s cho %(nominee)s trong phong trào này (%(state)s): "
        "mỗi đối tượng chỉ một hồ sơ cho mỗi danh hiệu trong một phong trào."
    ) % {
        "id": existing.pk,
        "award": existing.award.name,
        "nominee": existing.nominee,
        "state": existing.get_state_display(),
    }


def duplicate_refuse(
    *, campaign: Campaign, award: Award, nominee_person: Person | None, nominee_unit: OrgUnit | None
) -> None:
    existing = standing_duplicate(
        campaign=campaign, award=award, nominee_person=nominee_person, nominee_unit=nominee_unit
    )
    if existing is not None:
        raise Duplicate(duplicate_message(existing), existing=existing.pk)


def set_initiatives(nomination: Nomination, titles: list[str], year: int) -> None:
    if nomination.nominee_person is None:
        return
    objects = []
    for title in titles:
        title = title.strip()
        if title:
            initiative, _created = Initiative.objects.get_or_create(
                person=nomination.nominee_person, title=title[:300], defaults={"year": year}
            )
            objects.append(initiative)
    nomination.initiatives.set(objects)


def _lock_editable(nomination: Nomination, actor: Person) -> Nomination:
    locked = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if not holds(actor, Perm.CHANGE, locked):
        raise NotPermitted(_("Bạn không có quyền sửa hồ sơ này."))
    if not locked.is_editable:
        raise WrongState(_("Chỉ sửa được hồ sơ ở trạng thái dự thảo hoặc bị trả lại."))
    return locked


def nomination_update(
    *,
    nomination: Nomination,
    actor: Person,
    summary: str | None = None,
    rating: str | None = None,
    initiatives: list[str] | None = None,
) -> Nomination:
    with transaction.atomic():
        locked = _lock_editable(nomination, actor)
        changed = []
        if summary is not None:
            if not summary.strip():
                raise InvalidInput(_("Cần tóm tắt thành tích."), field="summary")
            locked.summary = summary.strip()
            changed.append("summary")
        if rating is not None:
            locked.rating = rating
            changed.append("rating")
        locked.save(update_fields=[*changed, "updated_at"])
        if initiatives is not None:
            set_initiatives(locked, initiatives, locked.campaign.year)
            changed.append("initiatives")
        audit.record(
            kind=AuditEvent.Kind.EDITED,
            obj=locked,
            actor=actor,
            actor_role=Role.UNIT_HEAD,
            nomination=locked,
            data={"fields": changed},
        )
    return locked


# --- dossier files -----------------------------------------------------------------------------------
ALLOWED_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "odt": "application/vnd.oasis.opendocument.text",
}


def sniff_type(upload: UploadedFile) -> str | None:
    """The document type by content (magic bytes and container structure), never by the file name."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        name = (upload.name or "").lower()
        return "xls" if name.endswith(".xls") else "doc"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
                if "word/document.xml" in names:
                    return "docx"
                if "xl/workbook.xml" in names:
                    return "xlsx"
                if (
                    "mimetype" in names
                    and archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"
                ):
                    return "odt"
        except zipfile.BadZipFile:
            return None
        finally:
            upload.seek(0)
    return None


def safe_filename(name: str, kind: str) -> str:
    base = os.path.basename(name.replace("\\", "/"))
    stem = ascii_fold(os.path.splitext(base)[0])
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-")[:80] or "tai-lieu"
    return f"{stem}.{kind}"


def stored_upload(upload: UploadedFile, detected: str, *, actor: Person) -> dict[str, Any]:
    """The fields every stored upload records (nominations.models.files.StoredFile), for a checked upload:
    the name it came with is kept, the file is stored under a safe one."""
    original = (upload.name or "")[:255]
    upload.name = safe_filename(original, detected)
    return {
        "file": upload,
        "original_name": original,
        "content_type": ALLOWED_TYPES[detected],
        "size": upload.size or 0,
        "uploaded_by": actor,
    }


def dossier_file_check(upload: UploadedFile) -> str:
    """The document type of an upload, by content; refused if too large or not a document we accept."""
    if upload.size is None or upload.size > settings.DOSSIER_MAX_BYTES:
        raise InvalidInput(
            _("Tệp quá lớn: %(size)s, tối đa %(limit)s.")
            % {"size": filesizeformat(upload.size or 0), "limit": filesizeformat(settings.DOSSIER_MAX_BYTES)},
            field="file",
        )
    detected = sniff_type(upload)
    if detected is None:
        raise InvalidInput(
            _("Chỉ nhận tệp PDF hoặc văn bản Word, Excel, OpenDocument (nhận dạng theo nội dung tệp)."),
            field="file",
        )
    return detected


def dossier_file_add(
    *, nomination: Nomination, actor: Person, upload: UploadedFile, kind: str
) -> DossierFile:
    if kind not in DossierFile.Kind.values:
        raise InvalidInput(_("Loại tài liệu không hợp lệ."), field="kind")
    detected = dossier_file_check(upload)
    with transaction.atomic():
        locked = _lock_editable(nomination, actor)
        row = DossierFile.objects.create(
            nomination=locked, kind=kind, **stored_upload(upload, detected, actor=actor)
        )
        audit.record(
            kind=AuditEvent.Kind.FILE_ADDED,
            obj=row,
            actor=actor,
            actor_role=Role.UNIT_HEAD,
            nomination=locked,
            comment=row.original_name,
            data={"kind": kind, "size": upload.size},
        )
    return row


def dossier_file_remove(*, dossier_file: DossierFile, actor: Person) -> None:
    with transaction.atomic():
        locked = _lock_editable(dossier_file.nomination, actor)
        info: dict[str, Any] = {"kind": dossier_file.kind, "name": dossier_file.original_name}
        audit.record(
            kind=AuditEvent.Kind.FILE_REMOVED,
            obj=dossier_file,
            actor=actor,
            actor_role=Role.UNIT_HEAD,
            nomination=locked,
            comment=dossier_file.original_name,
            data=info,
        )
        stored = dossier_file.file.name or ""
        dossier_file.delete()
        transaction.on_commit(lambda: dossier_file.file.storage.delete(stored))
