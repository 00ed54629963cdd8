"""Công khai: a council result is published to all staff for a notice period before the decision.

The period is set per campaign in working days (`Campaign.notice_days`, 0 = none). The Director may not
approve while it runs, nor while a complaint lodged in it is unresolved.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from nominations.models import Complaint, Nomination, NoticePublication
from nominations.rules.eligibility import HOLD_BASIS, Refusal

# Commendation must be "accurate, public, transparent, fair and timely" (L22 Art. 5, principles); the
# period is counted from the day after publication (Civil Code 2015, Art. 147).
NOTICE_BASIS = "Luật Thi đua, Khen thưởng 2022, Điều 5 (nguyên tắc công khai, minh bạch)"
PERIOD_BASIS = "Bộ luật Dân sự 2015, Điều 147"


def latest_notice(nomination: Nomination) -> NoticePublication | None:
    """The publication that counts: the one made last (after the latest vote)."""
    return NoticePublication.objects.filter(nomination=nomination).order_by("-id").first()


def check_notice_over(nomination: Nomination, today: datetime.date) -> list[Refusal]:
    """Refusals if the nomination's notice period still runs on `today`, or a complaint is open.

    One query: a complaint is always lodged against a publication, so no publication means none.
    """
    refusals: list[Refusal] = []
    open_complaints = Complaint.objects.filter(nomination=OuterRef("nomination"), state=Complaint.State.OPEN)
    notice = (
        NoticePublication.objects.filter(nomination=nomination)
        .annotate(open_complaints=Exists(open_complaints))
        .order_by("-id")
        .first()
    )
    if notice is None:
        return refusals
    if notice.is_running(today):
        refusals.append(
            Refusal(
                "notice_period",
                _(
                    "Kết quả đang được công khai %(days)s ngày làm việc, đến hết ngày %(end)s: chỉ được quyết định "
                    "khen thưởng từ ngày %(from)s."
                )
                % {
                    "days": notice.notice_days,
                    "end": f"{notice.ends_on:%d/%m/%Y}",
                    "from": f"{notice.decision_allowed_from:%d/%m/%Y}",
                },
                f"{NOTICE_BASIS}; {PERIOD_BASIS}",
            )
        )
    if getattr(notice, "open_complaints", False):
        refusals.append(
            Refusal(
                "open_complaint",
                _("Hồ sơ đang có khiếu nại chưa được giải quyết."),
                HOLD_BASIS,
            )
        )
    return refusals
