"""Tờ trình đề nghị khen thưởng: awards beyond the Director's authority, proposed to the body deciding them."""

from __future__ import annotations

from nominations.documents import layout
from nominations.documents.data import nominee_name, nominee_position, submission_nominations
from nominations.documents.decision import (
    awards_phrase,
    campaign_phrase,
    law_bases,
    plan_basis,
    signature_lines,
)
from nominations.models import UpwardSubmission


def build_submission_docx(submission: UpwardSubmission) -> bytes:
    a = layout.agency()
    nominations = submission_nominations(submission)
    awards = sorted({n.award_id: n.award for n in nominations}.values(), key=lambda a: (a.order, a.code))
    year = submission.campaign.year
    individuals = len({n.nominee_person_id for n in nominations if n.is_individual})
    collectives = len({n.nominee_unit_id for n in nominations if not n.is_individual})
    who = []
    if individuals:
        who.append(f"{individuals} cá nhân")
    if collectives:
        who.append(f"{collectives} tập thể")

    doc = layout.new_document()
    layout.header(doc, number=submission.number, day=submission.date)
    layout.title(doc, "TỜ TRÌNH", f"Về việc đề nghị khen thưởng năm {year}")
    layout.write(doc, f"Kính gửi: {submission.addressee_name}.", align="center", after=6)
    bases = [*law_bases(submission.date)]
    plan = plan_basis(submission.campaign)
    if plan:
        bases.append(plan)
    for basis in bases:
        layout.body(doc, f"Căn cứ {basis};", before=3)
    layout.body(
        doc,
        f"Căn cứ kết quả bình xét của Hội đồng Thi đua - Khen thưởng {a.name_in_text}, {a.name_in_text} "
        f"kính trình {submission.addressee_name} xem xét, đề nghị tặng {awards_phrase(awards)} cho "
        f"{' và '.join(who)} đã có thành tích xuất sắc trong "
        f"{campaign_phrase(submission.campaign)}, cụ thể như sau:",
    )
    rows = [
        [str(i), nominee_name(n), nominee_position(n), n.award.name, n.summary]
        for i, n in enumerate(nominations, start=1)
    ]
    layout.write(doc, "", after=3)
    layout.grid(
        doc,
        ["TT", "Họ và tên / Tên tập thể", "Chức vụ, đơn vị", "Hình thức đề nghị", "Tóm tắt thành tích"],
        rows,
        [1.0, 3.8, 3.9, 3.3, 4.5],
    )
    layout.body(
        doc,
        "Hồ sơ kèm theo gồm: biên bản họp và kết quả bỏ phiếu của Hội đồng Thi đua - Khen thưởng; báo cáo "
        "thành tích của cá nhân, tập thể được đề nghị; các văn bản chứng minh thành tích theo quy định.",
    )
    layout.body(doc, f"Kính trình {submission.addressee_name} xem xét, quyết định./.")
    layout.signature(
        doc,
        recipients=["Như trên;", "Lãnh đạo Cục;", a.archive],
        title_lines=signature_lines(submission.signer_title),
        signer_name=submission.signer.get_full_name(),
    )
    return layout.to_bytes(doc, title=f"Tờ trình số {submission.number}", day=submission.date)
