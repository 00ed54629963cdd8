"""Commitments (đăng ký thi đua): what a unit and its people aim for in a campaign, and reminders.

Each write runs in one transaction with its audit event, like the transitions.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nominations import roles
from nominations.models import Award, Campaign, Commitment, OrgUnit, Person, Role
from nominations.selectors.commitments import (
    campaign_units,
    commitment_deadline,
    unit_heads,
    units_not_registered,
)
from workflow.audit import log as audit
from workflow.base.errors import InvalidInput, NotPermitted, RuleNotMet
from workflow.base.inputs import require_id
from workflow.base.language import site_language
from workflow.models import AuditEvent, Notification
from workflow.notify import notifications
from workflow.services.common import require_active, site_url


def _awards_by_code(codes: Iterable[Any], *, individual: bool, field: str) -> list[Award]:
    wanted = {str(code).strip() for code in codes if str(code).strip()}
    awards = {a.code: a for a in Award.objects.filter(code__in=wanted)}
    unknown = sorted(wanted - set(awards))
    if unknown:
        raise InvalidInput(_("Không có danh hiệu mã %(codes)s.") % {"codes": ", ".join(unknown)}, field=field)
    for award in awards.values():
        if not award.accepts(individual=individual):
            raise InvalidInput(
                _("%(award)s không xét cho đối tượng này (%(kind)s).")
                % {"award": award.name, "kind": award.get_recipient_display()},
                field=field,
            )
    return sorted(awards.values(), key=lambda a: (a.order, a.code))


def commitments_register(
    *,
    actor: Person,
    campaign: Campaign,
    unit_awards: Iterable[Any],
    people_awards: Mapping[Any, Iterable[Any]],
) -> list[Commitment]:
    """A unit head registers what their unit and each of its people aim for in `campaign`.

    `unit_awards` and each value of `people_awards` (keyed by person id) are award codes. The call
    states the unit's whole registration: titles left out are withdrawn. Refused after the deadline.
    """
    require_active(actor)
    if not roles.heads_a_unit(actor):
        raise NotPermitted(_("Chỉ trưởng đơn vị mới đăng ký thi đua cho đơn vị mình."))
    unit = actor.unit
    assert unit is not None
    if not campaign_units(campaign).filter(pk=unit.pk).exists():
        raise InvalidInput(_("Đơn vị của bạn không tham gia phong trào này."), field="campaign")
    deadline = commitment_deadline(campaign)
    if timezone.localdate() > deadline:
        raise RuleNotMet(
            _("Đã hết hạn đăng ký thi đua của phong trào này (hạn cuối: %(day)s).")
            % {"day": f"{deadline:%d/%m/%Y}"}
        )
    collective = _awards_by_code(unit_awards, individual=False, field="unit_awards")
    person_ids: dict[int, list[Award]] = {}
    for key, codes in people_awards.items():
        pk = require_id(key, field="people", message=_("Cán bộ không hợp lệ."))
        person_ids[pk] = _awards_by_code(codes, individual=True, field="people")
    people = {p.pk: p for p in Person.objects.filter(pk__in=person_ids, unit=unit, is_active=True)}
    if set(person_ids) - set(people):
        raise InvalidInput(_("Chỉ đăng ký cho cán bộ thuộc đơn vị mình."), field="people")
    wanted: set[tuple[int | None, int]] = {(None, a.pk) for a in collective}
    wanted |= {(pk, a.pk) for pk, awards in person_ids.items() for a in awards}

    with transaction.atomic():
        # One registration of a unit at a time: the unit's row orders concurrent submissions.
        OrgUnit.objects.select_for_update().get(pk=unit.pk)
        existing = {
            (c.person_id, c.award_id): c for c in Commitment.objects.filter(campaign=campaign, unit=unit)
        }
        removed = [c for key, c in existing.items() if key not in wanted]
        added = [
            Commitment(campaign=campaign, unit=unit, person_id=pk, award_id=award_id, registered_by=actor)
            for pk, award_id in sorted(wanted - set(existing), key=lambda k: (k[0] or 0, k[1]))
        ]
        if removed:
            Commitment.objects.filter(pk__in=[c.pk for c in removed]).delete()
        Commitment.objects.bulk_create(added)
        codes = dict(Award.objects.values_list("pk", "code"))
        usernames = {pk: p.username for pk, p in people.items()}
        usernames.update(
            dict(
                Person.objects.filter(pk__in=[c.person_id for c in removed if c.person_id]).values_list(
                    "pk", "username"
                )
            )
        )

        def describe(person_id: int | None, award_id: int) -> str:
            return f"{usernames.get(person_id, '?') if person_id else unit.code}:{codes[award_id]}"

        with site_language():
            comment = _("Đăng ký thi đua của %(unit)s") % {"unit": unit.name}
        audit.record(
            kind=AuditEvent.Kind.OTHER,
            obj=campaign,
            actor=actor,
            actor_role=Role.UNIT_HEAD,
            comment=comment,
            data={
                "action": "commitments_registered",
                "unit": unit.code,
                "added": [describe(c.person_id, c.award_id) for c in added],
                "removed": [describe(c.person_id, c.award_id) for c in removed],
            },
        )
    return list(Commitment.objects.filter(campaign=campaign, unit=unit).select_related("award", "person"))


def commitment_reminders_send(*, today: datetime.date | None = None, within_days: int = 10) -> int:
    """Remind the heads of units that have not registered, for campaigns whose deadline is near.

    Each head is reminded once per campaign and deadline (the outbox's dedupe key), however often this
    runs; a deadline moved later earns a new reminder. Returns how many reminders were queued.
    """
    today = today or timezone.localdate()
    campaigns = Campaign.objects.filter(
        commitment_deadline__gte=today, commitment_deadline__lte=today + datetime.timedelta(days=within_days)
    ).order_by("commitment_deadline", "pk")
    keys: list[str] = []
    with transaction.atomic():
        for campaign in campaigns:
            deadline = commitment_deadline(campaign)
            for unit in units_not_registered(campaign=campaign):
                key = f"commitment-reminder:{campaign.pk}:{unit.pk}:{deadline.isoformat()}"
                heads = [p for p in unit_heads(unit) if p.email]
                fresh = [
                    p for p in heads if not Notification.objects.filter(dedupe_key=f"{key}:{p.pk}").exists()
                ]
                if not fresh:
                    continue
                with site_language():
                    subject = _("[Thi đua] Nhắc đăng ký thi đua: %(campaign)s") % {"campaign": campaign.name}
                    body = _(
                        "Đơn vị %(unit)s chưa đăng ký thi đua trong phong trào “%(campaign)s”.\n"
                        "Hạn cuối: %(deadline)s.\nĐăng ký tại: %(url)s"
                    ) % {
                        "unit": unit.name,
                        "campaign": campaign.name,
                        "deadline": f"{deadline:%d/%m/%Y}",
                        "url": site_url("participation:commitment_register", campaign.pk),
                    }
                notifications.queue(recipients=fresh, subject=subject, body=body, dedupe_key=key)
                keys.extend(f"{key}:{p.pk}" for p in fresh)
    if keys:
        notifications.deliver_keyed(keys)
    return len(keys)
