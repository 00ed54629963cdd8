"""Importing a unit's list of nominees from Excel into its submission: template → preview → commit.

The preview reads the whole sheet and checks every row against the same rules `nomination_create`
applies, in a handful of queries whatever the number of rows; the commit creates every row through
`nomination_create` (its audit event, rights and process) in one transaction, or nothing. A row for a
nominee and award the submission already holds is reported as unchanged, so importing the same file twice
creates nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from nominations.imports.sheet import RowErrors, name_key, nfc
from nominations.imports.template import template_bytes
from nominations.models import (
    FINAL_STATES,
    Award,
    Nomination,
    NoRuleInForce,
    OrgUnit,
    Person,
    Rating,
    Submission,
    rule_for,
)
from workflow.audit import log as audit
from workflow.base.errors import InvalidInput
from workflow.services.imports import ImportRejected, rows_rejected, sheet_read
from workflow.services.nominations import created_event, duplicate_message, set_initiatives
from workflow.services.submissions import _head_of

NAME, USERNAME, UNIT, AWARD, RATING, SUMMARY, INITIATIVES = (
    "Họ và tên",
    "Tên đăng nhập",
    "Mã đơn vị",
    "Danh hiệu",
    "Xếp loại",
    "Tóm tắt thành tích",
    "Sáng kiến",
)
HEADERS = (NAME, USERNAME, UNIT, AWARD, RATING, SUMMARY, INITIATIVES)
REQUIRED_HEADERS = (NAME, USERNAME, AWARD, RATING, SUMMARY)
_RATINGS = {**{r.value: r.value for r in Rating}, **{name_key(r.label): r.value for r in Rating}}


@dataclass
class PlannedRow:
    row: int
    award: Award
    rating: str
    summary: str
    initiatives: list[str]
    nominee_person: Person | None = None
    nominee_unit: OrgUnit | None = None
    existing: int | None = None  # already in this submission: left unchanged

    @property
    def nominee_name(self) -> str:
        return str(self.nominee_person or self.nominee_unit)


@dataclass
class ImportPlan:
    rows: list[PlannedRow] = field(default_factory=list)
    errors: RowErrors = field(default_factory=RowErrors)

    @property
    def to_create(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.existing is None]

    @property
    def unchanged(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.existing is not None]


def list_template() -> bytes:
    awards = list(Award.objects.order_by("order", "code").values_list("code", flat=True))
    return template_bytes(
        title="Danh sách đề nghị",
        headers=HEADERS,
        sample=["Nguyễn Văn An", "", "", "LDTT", "htxs", "Hoàn thành xuất sắc nhiệm vụ năm 2023.", ""],
        choices={AWARD: awards, RATING: [r.value for r in Rating]},
        notes=[
            "Mỗi dòng một đối tượng được đề nghị; dòng 1 là tiêu đề, giữ nguyên.",
            "Cá nhân: ghi Họ và tên (hoặc Tên đăng nhập nếu đơn vị có người trùng tên).",
            "Tập thể: để trống Họ và tên, Tên đăng nhập; ghi Mã đơn vị (mã của đơn vị mình).",
            "Danh hiệu: mã danh hiệu (LDTT, CSTDCS, TTLDTT, TTLDXS, GIAY_KHEN, ...).",
            "Xếp loại: htxs (hoàn thành xuất sắc), htt (tốt), ht (hoàn thành), kht (không hoàn thành).",
            "Sáng kiến: tên các sáng kiến, đề tài đã được công nhận, cách nhau bằng dấu chấm phẩy (;).",
            "Không dùng công thức, không gộp ô.",
        ],
    )


def _people_of(unit: OrgUnit) -> tuple[dict[str, Person], dict[str, list[Person]]]:
    by_username: dict[str, Person] = {}
    by_name: dict[str, list[Person]] = {}
    for person in Person.objects.filter(unit=unit, is_active=True).order_by("pk"):
        by_username[person.username.casefold()] = person
        by_name.setdefault(name_key(person.full_name), []).append(person)
    return by_username, by_name


def _open_awards(submission: Submission) -> dict[str, tuple[Award, bool]]:
    """Every award by code, with whether a version of its rules is in force for the campaign."""
    result: dict[str, tuple[Award, bool]] = {}
    for award in Award.objects.all():
        try:
            rule_for(award, submission.campaign.ends_on)
            open_ = True
        except NoRuleInForce:
            open_ = False
        result[award.code.casefold()] = (award, open_)
    return result


def submission_import_preview(*, submission: Submission, actor: Person, data: bytes) -> ImportPlan:
    """What importing `data` would create, and every row that is wrong (nothing is written)."""
    _head_of(actor, submission)
    sheet = sheet_read(data, headers=HEADERS, required_headers=REQUIRED_HEADERS)
    unit = submission.unit
    campaign = submission.campaign
    if campaign.units.exists() and not campaign.units.filter(pk=unit.pk).exists():
        raise InvalidInput(_("Đơn vị của bạn không tham gia phong trào này."), field="file")
    by_username, by_name = _people_of(unit)
    awards = _open_awards(submission)
    plan = ImportPlan(errors=sheet.errors)
    errors = plan.errors
    seen: dict[tuple[str, int, int], int] = {}
    for row in sheet.rows:
        n = row.number
        name, username, code = row.text(NAME), row.text(USERNAME), row.text(UNIT)
        person: Person | None = None
        collective: OrgUnit | None = None
        if username:
            person = by_username.get(username.casefold())
            if person is None:
                errors.add(
                    n, USERNAME, _("Không có cán bộ có tên đăng nhập “%(u)s” trong đơn vị.") % {"u": username}
                )
            elif name and name_key(name) != name_key(person.full_name):
                errors.add(
                    n,
                    NAME,
                    _("Họ và tên “%(name)s” không khớp với tên đăng nhập %(u)s (%(real)s).")
                    % {"name": name, "u": username, "real": person.full_name},
                )
        elif name:
            found = by_name.get(name_key(name), [])
            if not found:
                errors.add(n, NAME, _("Không tìm thấy cán bộ tên “%(name)s” trong đơn vị.") % {"name": name})
            elif len(found) > 1:
                errors.add(
                    n,
                    NAME,
                    _("Đơn vị có %(n)s cán bộ tên “%(name)s” (%(users)s): ghi thêm Tên đăng nhập.")
                    % {"n": len(found), "name": name, "users": ", ".join(p.username for p in found)},
                )
            else:
                person = found[0]
        elif code:
            if code.casefold() != unit.code.casefold():
                errors.add(
                    n,
                    UNIT,
                    _("Chỉ đề nghị được tập thể là đơn vị mình (mã %(own)s), không phải “%(code)s”.")
                    % {"own": unit.code, "code": code},
                )
            else:
                collective = unit
        else:
            errors.add(n, NAME, _("Cần Họ và tên (cá nhân) hoặc Mã đơn vị (tập thể)."))
        if code and (username or name) and code.casefold() != unit.code.casefold():
            errors.add(
                n,
                UNIT,
                _("Mã đơn vị “%(code)s” không phải đơn vị của bạn (%(own)s).")
                % {"code": code, "own": unit.code},
            )
        award_code = row.text(AWARD)
        award: Award | None = None
        if not award_code:
            errors.add(n, AWARD, _("Cần mã danh hiệu."))
        elif award_code.casefold() not in awards:
            errors.add(
                n, AWARD, _("Không có danh hiệu mã “%(code)s” (chọn trong danh sách).") % {"code": award_code}
            )
        else:
            award, open_ = awards[award_code.casefold()]
            if not open_:
                errors.add(n, AWARD, _("%(award)s chưa mở xét trong phong trào này.") % {"award": award.name})
            nominee_known = person is not None or collective is not None
            if nominee_known and not award.accepts(individual=person is not None):
                errors.add(
                    n,
                    AWARD,
                    _("%(award)s không xét cho %(kind)s.")
                    % {"award": award.name, "kind": _("cá nhân") if person is not None else _("tập thể")},
                )
        rating_text = row.text(RATING)
        rating = _RATINGS.get(rating_text.casefold()) or _RATINGS.get(name_key(rating_text))
        if not rating_text:
            errors.add(n, RATING, _("Cần xếp loại (htxs, htt, ht, kht)."))
        elif rating is None:
            errors.add(
                n, RATING, _("Xếp loại “%(r)s” không hợp lệ: htxs, htt, ht hoặc kht.") % {"r": rating_text}
            )
        summary = row.text(SUMMARY)
        if not summary:
            errors.add(n, SUMMARY, _("Cần tóm tắt thành tích."))
        elif len(summary) > 20000:
            errors.add(n, SUMMARY, _("Tóm tắt thành tích quá dài (tối đa 20.000 ký tự)."))
        initiatives = [nfc(t)[:300] for t in row.text(INITIATIVES).split(";") if nfc(t)]
        if initiatives and person is None:
            errors.add(n, INITIATIVES, _("Sáng kiến chỉ ghi cho cá nhân."))
        if award is not None and (person is not None or collective is not None):
            key = ("p" if person else "u", (person or collective).pk, award.pk)  # type: ignore[union-attr]
            if key in seen:
                errors.add(
                    n, AWARD, _("Trùng với dòng %(row)s (cùng đối tượng và danh hiệu).") % {"row": seen[key]}
                )
            else:
                seen[key] = n
        if n in errors:
            continue
        assert award is not None and rating is not None
        plan.rows.append(
            PlannedRow(
                row=n,
                award=award,
                rating=rating,
                summary=summary,
                initiatives=initiatives,
                nominee_person=person,
                nominee_unit=collective,
            )
        )
    _mark_existing(plan, submission)
    return plan


def _mark_existing(plan: ImportPlan, submission: Submission) -> None:
    """Rows whose nominee already has a standing nomination for the award in this campaign: in this
    submission it is the same row imported again (unchanged); anywhere else it is a duplicate (an error)."""
    people = [r.nominee_person.pk for r in plan.rows if r.nominee_person]
    standing = (
        Nomination.objects.filter(campaign_id=submission.campaign_id)
        .exclude(state__in=FINAL_STATES)
        .filter(nominee_person_id__in=people)
        .select_related("award", "nominee_person", "nominee_unit")
    )
    units = (
        Nomination.objects.filter(campaign_id=submission.campaign_id, nominee_unit_id=submission.unit_id)
        .exclude(state__in=FINAL_STATES)
        .select_related("award", "nominee_person", "nominee_unit")
    )
    index: dict[tuple[str, int, int], Nomination] = {}
    for nomination in [*standing, *units]:
        kind, pk = (
            ("p", nomination.nominee_person_id)
            if nomination.nominee_person_id
            else ("u", nomination.nominee_unit_id)
        )
        assert pk is not None
        index[(kind, pk, nomination.award_id)] = nomination
    kept: list[PlannedRow] = []
    for row in plan.rows:
        nominee = row.nominee_person or row.nominee_unit
        assert nominee is not None
        key = ("p" if row.nominee_person else "u", nominee.pk, row.award.pk)
        existing = index.get(key)
        if existing is None:
            kept.append(row)
        elif existing.submission_id == submission.pk:
            row.existing = existing.pk
            kept.append(row)
        else:
            plan.errors.add(row.row, AWARD, duplicate_message(existing))
    plan.rows = kept


def submission_import(*, submission: Submission, actor: Person, data: bytes) -> tuple[list[int], list[int]]:
    """Create every row of the sheet in the submission, or nothing: (created ids, unchanged ids).

    The rows are checked by the preview with the rules of `nomination_create`, then written in bulk in one
    transaction — the same rows, rights and one `created` audit event each that `nomination_create` writes
    one by one (2,000 rows one by one took minutes). Each draft's viewflow process is entered at its step
    by its first transition (`process_sync`'s path for nominations made in bulk); until then the unit's
    list is where the drafts are found.
    """
    plan = submission_import_preview(submission=submission, actor=actor, data=data)
    if plan.errors:
        raise rows_rejected(plan.errors)
    unchanged = [r.existing for r in plan.unchanged if r.existing is not None]
    if not plan.to_create:
        return [], unchanged
    try:
        with transaction.atomic():
            Submission.objects.select_for_update(of=("self",)).get(pk=submission.pk)
            created = Nomination.objects.bulk_create(
                [
                    Nomination(
                        campaign=submission.campaign,
                        award=row.award,
                        nominating_unit=submission.unit,
                        nominee_person=row.nominee_person,
                        nominee_unit=row.nominee_unit,
                        summary=row.summary,
                        rating=row.rating,
                        created_by=actor,
                        submission=submission,
                    )
                    for row in plan.to_create
                ],
                batch_size=500,
            )
            for nomination, row in zip(created, plan.to_create, strict=True):
                if row.initiatives:
                    set_initiatives(nomination, row.initiatives, submission.campaign.year)
            audit.record_many(
                [
                    created_event(nomination, actor, data={"submission": submission.pk, "row": row.row})
                    for nomination, row in zip(created, plan.to_create, strict=True)
                ]
            )
    except IntegrityError:
        # A nominee proposed by someone else between the preview and the commit: the constraint refused the
        # whole list; the preview, read again, names the rows.
        again = submission_import_preview(submission=submission, actor=actor, data=data)
        rows = again.errors.as_list() or [
            {"row": 0, "errors": {AWARD: [_("Dữ liệu vừa thay đổi; hãy nhập lại.")]}}
        ]
        raise ImportRejected(
            _("Có dòng trùng với hồ sơ vừa được lập: chưa nhập dòng nào."), rows=rows
        ) from None
    return [n.pk for n in created], unchanged
