"""Tables that sort and page (django-tables2), for the lists whose rows come from one plain queryset.

The nomination lists keep their own two-read pagination (ids, then rows: `workflow.views.nominations.paged`)
and their pinned query counts; django-tables2 is used where a list is a single queryset with its related
rows joined, so sorting and paging cost nothing beyond the page's own count and rows.
"""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from nominations.models import Complaint

PAGE_SIZE = 50


class ComplaintTable(tables.Table):
    number = tables.Column(accessor="pk", verbose_name="#", order_by=("pk",))
    nomination = tables.Column(verbose_name=_("Hồ sơ"), order_by=("nomination__award__name", "pk"))
    lodged_by = tables.Column(verbose_name=_("Người khiếu nại"))
    lodged_at = tables.DateTimeColumn(verbose_name=_("Thời điểm"), format="d/m/Y H:i")
    state = tables.Column(verbose_name=_("Tình trạng"))

    class Meta:
        model = Complaint
        fields = ("number", "nomination", "lodged_by", "lodged_at", "state")
        order_by = ("-lodged_at",)
        # data-label: on a phone each row is a card whose cells name their column (app.css .table-stack).
        attrs = {
            "class": "table table-sm table-striped table-stack complaints",
            "td": {"data-label": lambda column: column.header},
        }
        empty_text = _("Chưa có khiếu nại nào.")

    def __init__(self, *args: Any, reads_all: bool, **kwargs: Any) -> None:
        # Only the office and the auditor may see who lodged a complaint.
        super().__init__(*args, exclude=() if reads_all else ("lodged_by",), **kwargs)

    def render_number(self, record: Complaint) -> SafeString:
        url = reverse("participation:complaint_detail", args=[record.pk])
        return format_html('<a href="{}">#{}</a>', url, record.pk)

    def render_nomination(self, record: Complaint) -> str:
        return f"{record.nomination.nominee} — {record.nomination.award.name}"

    def render_state(self, record: Complaint) -> str:
        return str(record.get_state_display())
