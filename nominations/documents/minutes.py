"""The minutes of a council session (biên bản họp Hội đồng Thi đua - Khen thưởng).

`build_minutes` gathers what the minutes say — attendance, each item's count and outcome, the chair's
open decisions on ties — and both the session page and `minutes_docx` (python-docx) render it, so the
page and the Word file never disagree. Only aggregates are read: the database holds no choice of a
named member to read.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from nominations.documents import layout
from nominations.documents.layout import xml_text
from nominations.documents.vietnamese import day_text, percent
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

    @property
    def share_text(self) -> str:
        """The yes votes' share of the base in Vietnamese decimals ("88,9%"), or "" without a base."""
        return percent(self.share) if self.share is not None else ""


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

    @property
    def number(self) -> str:
        """The minutes' number and symbol (Decree 30/2020 item 3): one biên bản per session, numbered by it."""
        return f"{self.session.pk:02d}/BB-HĐTĐKT"

    @property
    def passed(self) -> list[ItemLine]:
        return [i for i in self.items if i.result.outcome == CouncilItemResult.Outcome.PROPOSED]

    @property
    def not_passed(self) -> list[ItemLine]:
        return [i for i in self.items if i.result.outcome != CouncilItemResult.Outcome.PROPOSED]


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


def _minutes_header(doc: Any, minutes: Minutes) -> None:
    """Decree 30/2020 items 1–4: the issuing body under its agency (left), the national name with its
    underlined motto (right), the number and symbol, the place and date."""
    a = layout.agency()
    session = minutes.session
    if not minutes.final:
        layout.write(doc, "DỰ THẢO", size=12, bold=True, italic=True, align="right", after=4)
    table = doc.add_table(rows=2, cols=2)
    layout._no_borders(table)
    layout._widths(table, [layout.LEFT_CM, layout.RIGHT_CM])
    left, right = table.rows[0].cells
    layout.write(left, a.name, size=12, align="center", first=True)
    layout.write(left, "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG", size=12, bold=True, align="center")
    layout.short_rule(left, width_cm=layout.LEFT_CM, length_cm=2.6)
    layout.write(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True, align="center", first=True)
    layout.write(right, "Độc lập - Tự do - Hạnh phúc", size=13, bold=True, underline=True, align="center")
    left, right = table.rows[1].cells
    layout.write(left, f"Số: {minutes.number}", size=13, align="center", before=6, first=True)
    layout.write(
        right,
        f"{a.place}, {day_text(session.date)}",
        size=14,
        italic=True,
        align="center",
        before=6,
        first=True,
    )


def _outcome_text(item: ItemLine) -> str:
    r = item.result
    outcome = item.outcome_label
    if r.rank:
        outcome += " — " + _("xếp thứ %(rank)s, chỉ tiêu còn %(places)s") % {
            "rank": r.rank,
            "places": r.quota_places,
        }
    if r.decided_by_chair:
        outcome += " — " + _("theo quyết định của Chủ tịch")
    if r.written:
        outcome += " — " + _("gồm %(n)s phiếu bằng văn bản") % {"n": r.written}
    return outcome


def minutes_docx(minutes: Minutes) -> bytes:
    """The minutes as a Word document in the Decree 30/2020 layout (Annex I): header, number, title,
    the meeting's facts, attendance, the tally and outcome of each item, conclusions, signatures."""
    session = minutes.session
    doc = layout.new_document()
    _minutes_header(doc, minutes)
    layout.title(doc, "BIÊN BẢN", xml_text(_("Họp Hội đồng Thi đua - Khen thưởng") + "\n" + session.name))

    layout.body(doc, "", bold_lead=str(_("I. Thời gian, chủ trì, thư ký")))
    layout.body(
        doc,
        _("Khai mạc: %(opened)s. Kết thúc biểu quyết: %(closed)s.")
        % {"opened": _when(session.opened_at), "closed": _when(session.closed_at)},
    )
    layout.body(
        doc,
        _("Chủ trì: %(chair)s. Thư ký: %(secretary)s.")
        % {
            "chair": minutes.chair.get_full_name() if minutes.chair else "—",
            "secretary": ", ".join(p.get_full_name() for p in minutes.secretaries) or "—",
        },
    )

    layout.body(doc, "", bold_lead=str(_("II. Thành phần tham dự")))
    c = minutes.attendance_counts
    layout.body(
        doc,
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
        },
    )
    layout.grid(
        doc,
        [_("TT"), _("Họ và tên"), _("Chức vụ"), _("Hình thức tham dự"), _("Số nội dung đã bỏ phiếu")],
        [
            [
                str(index),
                line.person.get_full_name() + (f" ({_('Chủ trì')})" if line.is_chair else ""),
                line.person.position,
                line.mode_label,
                _("%(online)s trực tuyến, %(written)s bằng văn bản")
                % {"online": line.online, "written": line.written},
            ]
            for index, line in enumerate(minutes.members, start=1)
        ],
        [1.0, 4.6, 4.0, 3.2, 3.7],
    )

    layout.body(doc, "", bold_lead=str(_("III. Kết quả biểu quyết")))
    layout.body(
        doc,
        _(
            "Phiếu được bỏ kín: hệ thống chỉ ghi nhận thành viên nào đã bỏ phiếu và tổng số phiếu mỗi loại, "
            "không ghi nhận thành viên nào chọn gì."
        ),
        italic=True,
    )
    if minutes.items:
        layout.grid(
            doc,
            [
                _("TT"),
                _("Đối tượng"),
                _("Đơn vị đề nghị"),
                _("Danh hiệu, hình thức"),
                _("Tán thành"),
                _("Không tán thành"),
                _("Không biểu quyết"),
                _("Kết quả"),
            ],
            [
                [
                    str(item.index),
                    str(item.nomination.nominee),
                    str(item.nomination.nominating_unit),
                    item.nomination.award.name,
                    f"{item.result.yes}"
                    + (f" ({item.share_text} {item.base_label})" if item.share_text else ""),
                    str(item.result.no),
                    str(item.result.abstain),
                    _outcome_text(item),
                ]
                for item in minutes.items
            ],
            [0.8, 2.9, 2.4, 2.3, 2.2, 1.5, 1.5, 2.9],
            size=11,
            center_columns=(0, 4, 5, 6),
        )
    else:
        layout.body(doc, _("Chưa có kết quả biểu quyết."))

    if minutes.ties:
        layout.body(doc, "", bold_lead=str(_("IV. Quyết định của Chủ tịch Hội đồng khi bằng phiếu")))
        for tie in minutes.ties:
            layout.body(
                doc,
                _(
                    "%(when)s — %(chair)s quyết định công khai chọn: %(chosen)s (trong số bằng phiếu: %(tied)s)."
                )
                % {
                    "when": _when(tie.decided_at),
                    "chair": tie.chair.get_full_name(),
                    "chosen": ", ".join(str(n.nominee) for n in tie.chosen) or "—",
                    "tied": ", ".join(str(n.nominee) for n in tie.tied),
                }
                + (f" {tie.comment}" if tie.comment else ""),
            )

    if minutes.final:
        layout.body(doc, "", bold_lead=str(_("Kết luận")))
        layout.body(
            doc,
            _("Hội đồng đề nghị khen thưởng: %(names)s.")
            % {
                "names": "; ".join(
                    f"{i.nomination.nominee} ({i.nomination.award.name})" for i in minutes.passed
                )
                or "—"
            },
        )
        layout.body(
            doc,
            _("Không đạt: %(names)s.")
            % {
                "names": "; ".join(
                    f"{i.nomination.nominee} ({i.nomination.award.name})" for i in minutes.not_passed
                )
                or "—"
            },
        )
        layout.body(
            doc,
            _("Biên bản lập xong lúc %(when)s, đã thông qua trước Hội đồng.")
            % {"when": _when(session.closed_at)},
        )

    signatures = doc.add_table(rows=1, cols=2)
    layout._no_borders(signatures)
    layout._widths(signatures, [8.0, 8.5])
    left, right = signatures.rows[0].cells
    layout.write(left, "THƯ KÝ", bold=True, align="center", before=12, first=True)
    layout.write(right, "CHỦ TỊCH HỘI ĐỒNG", bold=True, align="center", before=12, first=True)
    for cell in (left, right):
        for _blank in range(4):
            layout.write(cell, "")
    layout.write(left, ", ".join(p.get_full_name() for p in minutes.secretaries), bold=True, align="center")
    layout.write(right, minutes.chair.get_full_name() if minutes.chair else "", bold=True, align="center")
    return layout.to_bytes(doc, title=f"Biên bản {minutes.number}", day=session.date)
