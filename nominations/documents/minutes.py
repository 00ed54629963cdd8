"""The minutes of a council session (biên bản họp Hội đồng Thi đua - Khen thưởng).

`build_minutes` gathers what the minutes say — attendance, each item's count and outcome, the chair's
open decisions on ties — and both the session page and `minutes_docx` (python-docx) render it, so the
page and the Word file never disagree. Only aggregates are read: the database holds no choice of a
named member to read.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from nominations.documents.layout import xml_text
from nominations.documents.vietnamese import percent_text
from nominations.models import (
    Attendance,
    AwardRule,
    BallotParticipation,
    CouncilItemResult,
    CouncilSession,
    Nomination,
    NoRuleInForce,
    Person,
    Role,
    rule_for,
)

AGENCY = "CỤC THỐNG KÊ TỈNH NINH THUẬN"
PLACE = "Ninh Thuận"


@dataclass
class MemberLine:
    person: Person
    mode: str
    mode_label: str
    online: int
    written: int
    is_chair: bool


@dataclass
class ItemLine:
    index: int
    nomination: Nomination
    result: CouncilItemResult
    base_label: str
    share: Decimal | None
    outcome_label: str
    secret: bool


@dataclass
class TieLine:
    decided_at: Any
    chair: Person
    tied: list[Nomination]
    chosen: list[Nomination]
    comment: str


@dataclass
class Minutes:
    session: CouncilSession
    chair: Person | None
    secretaries: list[Person]
    members: list[MemberLine]
    items: list[ItemLine]
    ties: list[TieLine] = field(default_factory=list)
    attendance_counts: dict[str, int] = field(default_factory=dict)

    @property
    def final(self) -> bool:
        return self.session.is_closed


def _rule(nomination: Nomination, cache: dict[tuple[int, Any], AwardRule | None]) -> AwardRule | None:
    key = (nomination.award_id, nomination.campaign.ends_on)
    if key not in cache:
        try:
            cache[key] = rule_for(nomination.award, nomination.campaign.ends_on)
        except NoRuleInForce:
            cache[key] = None
    return cache[key]


def build_minutes(session: CouncilSession) -> Minutes:
    members = list(session.members.select_related("unit").prefetch_related("groups").order_by("username"))
    modes = dict(Attendance.objects.filter(session=session).values_list("member_id", "mode"))
    counts: Counter[tuple[int, str]] = Counter(
        BallotParticipation.objects.filter(session=session).values_list("member_id", "method")
    )
    mode_labels = dict(Attendance.Mode.choices)
    lines = [
        MemberLine(
            person=p,
            mode=modes.get(p.pk, ""),
            mode_label=str(mode_labels.get(modes.get(p.pk, ""), _("Chưa ghi nhận"))),
            online=counts[(p.pk, BallotParticipation.Method.ONLINE)],
            written=counts[(p.pk, BallotParticipation.Method.WRITTEN)],
            is_chair=p.pk == session.chair_id,
        )
        for p in members
    ]
    attendance_counts = Counter(line.mode or "unrecorded" for line in lines)
    results = list(
        CouncilItemResult.objects.filter(session=session)
        .select_related(
            "nomination__award",
            "nomination__campaign",
            "nomination__nominee_person",
            "nomination__nominee_unit",
        )
        .select_related("nomination__nominating_unit")
        .order_by("nomination_id")
    )
    items: list[ItemLine] = []
    rules: dict[tuple[int, Any], AwardRule | None] = {}
    for index, result in enumerate(results, start=1):
        rule = _rule(result.nomination, rules)
        all_members = rule is None or rule.threshold_base == AwardRule.ThresholdBase.ALL_MEMBERS
        base = result.members if all_members else result.cast
        items.append(
            ItemLine(
                index=index,
                nomination=result.nomination,
                result=result,
                base_label=str(_("tổng số thành viên") if all_members else _("số phiếu biểu quyết")),
                share=(Decimal(result.yes * 100) / Decimal(base)).quantize(Decimal("0.1")) if base else None,
                outcome_label=str(result.get_outcome_display()),
                secret=bool(rule and rule.secret_ballot),
            )
        )
    by_pk = {line.nomination.pk: line.nomination for line in items}
    ties = [
        TieLine(
            decided_at=t.decided_at,
            chair=t.chair,
            tied=[by_pk[pk] for pk in t.tied if pk in by_pk],
            chosen=[by_pk[pk] for pk in t.chosen if pk in by_pk],
            comment=t.comment,
        )
        for t in session.tie_breaks.select_related("chair")
    ]
    return Minutes(
        session=session,
        chair=next((line.person for line in lines if line.is_chair), None),
        secretaries=[line.person for line in lines if line.person.has_role(Role.COUNCIL_SECRETARY)],
        members=lines,
        items=items,
        ties=ties,
        attendance_counts=dict(attendance_counts),
    )


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y") if value else "—"


def minutes_docx(minutes: Minutes) -> bytes:
    """The minutes as a Word document."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    session = minutes.session
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"  # type: ignore[attr-defined]
    normal.font.size = Pt(13)  # type: ignore[attr-defined]

    header = doc.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    left.text = f"{AGENCY}\n{_('HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG')}"
    right.text = _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc")
    for cell in (left, right):
        for paragraph in cell.paragraphs:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            for run in paragraph.runs:
                run.bold = True
    dated = doc.add_paragraph(
        _("%(place)s, ngày %(d)s tháng %(m)s năm %(y)s")
        % {"place": PLACE, "d": f"{session.date:%d}", "m": f"{session.date:%m}", "y": session.date.year}
    )
    dated.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(_("BIÊN BẢN HỌP HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG"))
    run.bold = True
    sub = doc.add_paragraph(xml_text(session.name))
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if not minutes.final:
        doc.add_paragraph(_("(Dự thảo — phiên họp chưa kết thúc, chưa có kết quả biểu quyết.)"))

    doc.add_heading(_("I. Thời gian, chủ trì, thư ký"), level=2)
    doc.add_paragraph(
        _("Khai mạc: %(opened)s. Kết thúc biểu quyết: %(closed)s.")
        % {"opened": _when(session.opened_at), "closed": _when(session.closed_at)}
    )
    doc.add_paragraph(
        xml_text(
            _("Chủ trì: %(chair)s. Thư ký: %(secretary)s.")
            % {
                "chair": minutes.chair.get_full_name() if minutes.chair else "—",
                "secretary": ", ".join(p.get_full_name() for p in minutes.secretaries) or "—",
            }
        )
    )

    doc.add_heading(_("II. Thành phần tham dự"), level=2)
    c = minutes.attendance_counts
    doc.add_paragraph(
        _(
            "Tổng số thành viên: %(total)s; có mặt: %(present)s; trực tuyến: %(remote)s; "
            "gửi phiếu bằng văn bản: %(written)s; vắng mặt: %(absent)s; chưa ghi nhận: %(unrecorded)s."
        )
        % {
            "total": len(minutes.members),
            "present": c.get(Attendance.Mode.PRESENT, 0),
            "remote": c.get(Attendance.Mode.REMOTE, 0),
            "written": c.get(Attendance.Mode.WRITTEN, 0),
            "absent": c.get(Attendance.Mode.ABSENT, 0),
            "unrecorded": c.get("unrecorded", 0),
        }
    )
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells,
        [_("TT"), _("Họ và tên"), _("Chức vụ"), _("Hình thức tham dự"), _("Số nội dung đã bỏ phiếu")],
        strict=True,
    ):
        cell.text = str(text)
    for index, line in enumerate(minutes.members, start=1):
        cells = table.add_row().cells
        cells[0].text = str(index)
        cells[1].text = xml_text(
            line.person.get_full_name() + (f" ({_('Chủ trì')})" if line.is_chair else "")
        )
        cells[2].text = xml_text(line.person.position)
        cells[3].text = line.mode_label
        cells[4].text = _("%(online)s trực tuyến, %(written)s bằng văn bản") % {
            "online": line.online,
            "written": line.written,
        }

    doc.add_heading(_("III. Kết quả biểu quyết"), level=2)
    doc.add_paragraph(
        _(
            "Phiếu được bỏ kín: hệ thống chỉ ghi nhận thành viên nào đã bỏ phiếu và tổng số phiếu mỗi loại, "
            "không ghi nhận thành viên nào chọn gì."
        )
    )
    if minutes.items:
        table = doc.add_table(rows=1, cols=8)
        table.style = "Table Grid"
        heads = [
            _("TT"),
            _("Đối tượng"),
            _("Đơn vị đề nghị"),
            _("Danh hiệu, hình thức"),
            _("Tán thành"),
            _("Không tán thành"),
            _("Không biểu quyết"),
            _("Kết quả"),
        ]
        for cell, text in zip(table.rows[0].cells, heads, strict=True):
            cell.text = str(text)
        for item in minutes.items:
            r = item.result
            cells = table.add_row().cells
            cells[0].text = str(item.index)
            cells[1].text = xml_text(item.nomination.nominee)
            cells[2].text = xml_text(item.nomination.nominating_unit)
            cells[3].text = xml_text(item.nomination.award.name)
            share = f" ({percent_text(item.share)} {item.base_label})" if item.share is not None else ""
            cells[4].text = f"{r.yes}{share}"
            cells[5].text = str(r.no)
            cells[6].text = str(r.abstain)
            outcome = item.outcome_label
            if r.rank:
                outcome += " — " + _("xếp thứ %(rank)s, chỉ tiêu còn %(places)s") % {
                    "rank": r.rank,
                    "places": r.quota_places,
                }
            if r.written:
                outcome += " — " + _("gồm %(n)s phiếu bằng văn bản") % {"n": r.written}
            cells[7].text = outcome
    else:
        doc.add_paragraph(_("Chưa có kết quả biểu quyết."))

    if minutes.ties:
        doc.add_heading(_("IV. Quyết định của Chủ tịch Hội đồng khi bằng phiếu"), level=2)
        for tie in minutes.ties:
            doc.add_paragraph(
                xml_text(
                    _(
                        "%(when)s — %(chair)s quyết định công khai chọn: %(chosen)s (trong số bằng phiếu: %(tied)s)."
                    )
                    % {
                        "when": _when(tie.decided_at),
                        "chair": tie.chair.get_full_name(),
                        "chosen": ", ".join(str(n.nominee) for n in tie.chosen) or "—",
                        "tied": ", ".join(str(n.nominee) for n in tie.tied),
                    }
                    + (f" {tie.comment}" if tie.comment else "")
                )
            )

    signatures = doc.add_table(rows=2, cols=2)
    signatures.rows[0].cells[0].text = _("THƯ KÝ")
    signatures.rows[0].cells[1].text = _("CHỦ TỊCH HỘI ĐỒNG")
    signatures.rows[1].cells[0].text = "\n\n\n" + xml_text(
        ", ".join(p.get_full_name() for p in minutes.secretaries)
    )
    signatures.rows[1].cells[1].text = "\n\n\n" + xml_text(
        minutes.chair.get_full_name() if minutes.chair else ""
    )
    for row in signatures.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
