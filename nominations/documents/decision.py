"""Quyết định khen thưởng (Decree 30/2020, Annex III form 1.2 — decision issued directly) with its annex."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from nominations.documents import layout
from nominations.documents.data import DecisionLine, decision_lines
from nominations.documents.vietnamese import amount_in_words, day_text, money, multiple_text
from nominations.models import Award, Campaign, Decision

ND152_FROM = datetime.date(2025, 7, 1)


def law_bases(day: datetime.date) -> list[str]:
    """The law and the decree detailing it, as in force on the document's date."""
    bases = ["Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022"]
    if day >= ND152_FROM:
        bases.append(
            "Nghị định số 152/2025/NĐ-CP của Chính phủ quy định chi tiết thi hành một số điều của "
            "Luật Thi đua, khen thưởng"
        )
    else:
        bases.append(
            "Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi hành "
            "một số điều của Luật Thi đua, khen thưởng"
        )
    return bases


def plan_basis(campaign: Campaign) -> str | None:
    plan = campaign if campaign.plan_number else campaign.parent
    if plan is None or not plan.plan_number:
        return None
    when = f" {day_text(plan.plan_date)}" if plan.plan_date else ""
    return f"Kế hoạch số {plan.plan_number}{when} của {layout.agency().name_in_text} về {_lower_first(plan.name)}"


def numbered(basis: str) -> str:
    """ "Nghị định 24/2023/NĐ-CP" → "Nghị định số 24/2023/NĐ-CP", as a legal basis is cited."""
    for kind in ("Nghị định", "Thông tư", "Quyết định"):
        if basis.startswith(kind + " ") and not basis.startswith(kind + " số "):
            return f"{kind} số {basis[len(kind) + 1 :]}"
    return basis


def campaign_phrase(campaign: Campaign) -> str:
    """How the body names the campaign: "phong trào thi đua “…”"."""
    if campaign.name.lower().startswith("phong trào"):
        return _lower_first(campaign.name)
    return f"phong trào thi đua “{campaign.name}”"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def awards_phrase(awards: Sequence[Award]) -> str:
    """ "danh hiệu “Lao động tiên tiến”, “Chiến sĩ thi đua cơ sở” và Giấy khen của Cục trưởng"."""
    titles = [f"“{a.name}”" for a in awards if a.kind == Award.Kind.TITLE]
    others = [a.name for a in awards if a.kind != Award.Kind.TITLE]
    parts = [f"danh hiệu {', '.join(titles)}"] if titles else []
    parts += others
    return " và ".join(parts)


def decision_summary(decision: Decision, awards: Sequence[Award]) -> str:
    year = decision.campaign.year
    if len(awards) == 1:
        return f"Về việc tặng {awards_phrase(awards)} năm {year}"
    if all(a.kind == Award.Kind.TITLE for a in awards):
        return f"Về việc tặng danh hiệu thi đua năm {year}"
    return f"Về việc tặng danh hiệu thi đua và hình thức khen thưởng năm {year}"


def signature_lines(signer_title: str) -> list[str]:
    return [line.strip() for line in signer_title.splitlines() if line.strip()]


def _annex_rows(lines: Sequence[DecisionLine]) -> tuple[list[list[str]], list[int], list[int]]:
    rows: list[list[str]] = []
    captions: list[int] = []
    roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
    groups: dict[tuple[int, str, bool], list[DecisionLine]] = {}
    for line in lines:
        groups.setdefault((line.award_order, line.award, line.individual), []).append(line)
    number = 0
    for index, ((_order, award, individual), members) in enumerate(sorted(groups.items())):
        kind = "cá nhân" if individual else "tập thể"
        captions.append(len(rows))
        rows.append([f"{roman[index % len(roman)]}. {award.upper()} ({len(members)} {kind})", "", "", "", ""])
        for line in members:
            number += 1
            name = line.name + (" (đã hủy bỏ)" if line.revoked else "")
            rows.append([str(number), name, line.where, multiple_text(line.multiple), money(line.amount)])
    total_row = len(rows)
    total = sum((line.amount for line in lines), Decimal(0))
    rows.append(["", "Tổng cộng", f"{len(lines)} lượt khen thưởng", "", money(total)])
    return rows, captions, [total_row]


def build_decision_docx(decision: Decision) -> bytes:
    a = layout.agency()
    lines = decision_lines(decision)
    awards = list(Award.objects.filter(pk__in=decision.items.values("nomination__award")).order_by("order"))
    individuals = len({line.nominee_key for line in lines if line.individual})
    collectives = len({line.nominee_key for line in lines if not line.individual})
    total = sum((line.amount for line in lines), Decimal(0))
    summary = decision_summary(decision, awards)

    doc = layout.new_document()
    layout.header(doc, number=decision.number, day=decision.date)
    layout.title(doc, "QUYẾT ĐỊNH", summary)
    layout.write(doc, f"{a.head_title} {a.name}", bold=True, align="center", after=6)
    bases = [*law_bases(decision.date)]
    if decision.base_salary_basis:
        bases.append(
            f"{numbered(decision.base_salary_basis)} quy định mức lương cơ sở đối với cán bộ, công chức, viên chức "
            "và lực lượng vũ trang"
        )
    plan = plan_basis(decision.campaign)
    if plan:
        bases.append(plan)
    bases.append(f"kết quả bình xét của Hội đồng Thi đua - Khen thưởng {a.name_in_text}")
    for basis in bases:
        layout.body(doc, f"Căn cứ {basis};", italic=True, before=3)
    layout.body(doc, f"Theo đề nghị của Trưởng {_lower_first(a.office_unit)}.", italic=True, before=3)
    layout.write(doc, "QUYẾT ĐỊNH:", bold=True, align="center", before=12, after=6)

    who = []
    if individuals:
        who.append(f"{individuals} cá nhân")
    if collectives:
        who.append(f"{collectives} tập thể")
    layout.body(
        doc,
        f"Tặng {awards_phrase(awards)} cho {' và '.join(who)} thuộc "
        f"{a.name_in_text} đã có thành tích trong {campaign_phrase(decision.campaign)} "
        "(có danh sách kèm theo).",
        bold_lead="Điều 1. ",
    )
    layout.body(
        doc,
        f"Tiền thưởng kèm theo được tính theo mức lương cơ sở {money(decision.base_salary)} đồng"
        f"{' (' + decision.base_salary_basis + ')' if decision.base_salary_basis else ''}, "
        "làm tròn lên hàng chục nghìn đồng; tổng số tiền thưởng là "
        f"{money(total)} đồng (Bằng chữ: {amount_in_words(total)}), chi từ Quỹ thi đua, khen thưởng của "
        f"{a.name_in_text}.",
        bold_lead="Điều 2. ",
    )
    layout.body(
        doc,
        f"Quyết định này có hiệu lực kể từ ngày ký. Trưởng {_lower_first(a.office_unit)}, Thủ trưởng các đơn "
        "vị thuộc Cục và các cá nhân, tập thể có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.",
        bold_lead="Điều 3. ",
    )
    layout.signature(
        doc,
        recipients=["Như Điều 3;", "Lãnh đạo Cục;", a.archive],
        title_lines=signature_lines(decision.signer_title),
        signer_name=decision.signer.get_full_name(),
    )

    layout.new_page(doc)
    layout.write(doc, "DANH SÁCH", bold=True, align="center")
    layout.write(doc, "CÁ NHÂN, TẬP THỂ ĐƯỢC KHEN THƯỞNG", bold=True, align="center")
    layout.write(
        doc,
        f"(Kèm theo Quyết định số {decision.number} {day_text(decision.date)} của "
        f"{a.head_title_in_text} {a.name_in_text})",
        italic=True,
        align="center",
    )
    layout.short_rule(doc, width_cm=layout.TEXT_WIDTH_CM, length_cm=4.5)
    layout.write(doc, "", after=6)
    rows, captions, bold_rows = _annex_rows(lines)
    layout.grid(
        doc,
        ["TT", "Họ và tên / Tên tập thể", "Chức vụ, đơn vị", "Hệ số", "Số tiền (đồng)"],
        rows,
        [1.1, 5.0, 5.6, 1.6, 3.2],
        right_columns=(3, 4),
        bold_rows=bold_rows,
        merged_rows=captions,
    )
    layout.write(doc, f"Bằng chữ: {amount_in_words(total)}.", italic=True, before=6)
    layout.write(
        doc,
        f"Mức lương cơ sở: {money(decision.base_salary)} đồng; tiền thưởng = hệ số × lương cơ sở, "
        "làm tròn lên hàng chục nghìn đồng.",
        size=12,
        italic=True,
    )
    return layout.to_bytes(doc, title=f"Quyết định số {decision.number}", day=decision.date)
