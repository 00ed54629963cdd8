"""Reports of a campaign: drafted, then issued, carrying its approved and granted nominations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nominations import roles
from nominations.access import Perm
from nominations.documents.data import campaign_counts
from nominations.models import Campaign, Report, ReportItem, Role
from nominations.selectors.decisions import reportable_nominations
from workflow.base.errors import InvalidInput, NotPermitted, WrongState
from workflow.services.document_common import (
    clean_date,
    clean_number,
    clean_signer,
    document_create,
    document_record,
    lock_batch,
    number_free,
)
from workflow.services.transitions import Step, run_transitions


def _require_role(actor: Any, wanted: Sequence[str], action: str) -> None:
    if not roles.has_any_role(actor, wanted):
        raise NotPermitted(_("Bạn không có quyền %(action)s.") % {"action": action})


def report_create(
    *,
    campaign: Campaign,
    actor: Any,
    number: Any,
    date: Any,
    signer: Any,
    recipients: str | Sequence[str] | None = None,
) -> Report:
    """A draft report of a campaign or phase; it carries nothing until it is issued."""
    _require_role(actor, [Role.OFFICE_STAFF], _("lập báo cáo thi đua, khen thưởng"))
    number = clean_number(number)
    day = clean_date(date)
    signer, signer_title = clean_signer(signer)
    if not isinstance(campaign, Campaign):
        raise InvalidInput(_("Chọn phong trào hoặc đợt thi đua."), field="campaign")
    lines = recipients.splitlines() if isinstance(recipients, str) else list(recipients or [])
    cleaned = [str(line).strip() for line in lines if str(line).strip()]
    fields: dict[str, Any] = {}
    if cleaned:
        fields["recipients"] = "\n".join(cleaned)
    with transaction.atomic():
        number_free(Report, number, day.year)
        report = document_create(
            Report,
            number=number,
            date=day,
            campaign=campaign,
            signer=signer,
            signer_title=signer_title,
            created_by=actor,
            **fields,
        )
        document_record(
            obj=report, actor=actor, perm=Perm.REVIEW, name="report_drafted", nominations=[], data={}
        )
    return report


def report_issue(*, report: Report, actor: Any, comment: str = "") -> Report:
    """Issue the report: its campaign's approved and granted nominations move to `reported`, all or none."""
    _require_role(actor, [Role.OFFICE_STAFF], _("ban hành báo cáo thi đua, khen thưởng"))
    with transaction.atomic():
        locked = Report.objects.select_for_update().select_related("campaign").get(pk=report.pk)
        if locked.is_issued:
            raise WrongState(_("Báo cáo %(number)s đã được ban hành.") % {"number": locked.number})
        ids = list(reportable_nominations(locked.campaign).values_list("pk", flat=True))
        lock_batch(ids)
        carried = list(  # re-read under the locks: only what is still approved or granted now
            reportable_nominations(locked.campaign)
            .filter(pk__in=ids)
            .order_by("award__order", "nominating_unit__order", "pk")
        )
        reported = run_transitions("report", steps=[Step(n, comment=comment) for n in carried], actor=actor)
        items = [
            ReportItem(report=locked, nomination=nomination, position=position)
            for position, nomination in enumerate(reported, start=1)
        ]
        ReportItem.objects.bulk_create(items)
        locked.counts = campaign_counts(locked.campaign)
        locked.state = Report.ReportState.ISSUED
        locked.issued_by = actor
        locked.issued_at = timezone.now()
        locked.save(update_fields=["counts", "state", "issued_by", "issued_at"])
        document_record(
            obj=locked,
            actor=actor,
            perm=Perm.REVIEW,
            name="report_issued",
            nominations=[n.pk for n in carried],
            data={"counts_total": locked.counts.get("total", 0)},
        )
    return locked
