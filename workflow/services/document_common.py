"""What the services of official documents share: their input, the batch's locks, the number, the event.

A decision (`decisions`), an upward submission (`upward_submissions`) and a report (`reports`) are each
one document numbered per year, signed by the Director or a Deputy, that carries a batch of nominations.
A batch is one transaction: every nomination moves through the transition services of
`workflow.services.transitions` (which lock it, check the actor's per-object permission, its state and
the award rules, and write the audit event), and the document is recorded with them — or, if any one
is refused, nothing is written at all. Nothing here sets a state directly.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from nominations import roles
from nominations.documents.layout import agency
from nominations.models import Campaign, Nomination, Person
from nominations.models.decisions import OfficialDocument
from workflow.audit import log as audit
from workflow.base.errors import InvalidInput
from workflow.base.inputs import parse_id
from workflow.models import AuditEvent
from workflow.services.transitions import acting_role

MAX_BATCH = 500


def clean_number(number: Any, field: str = "number") -> str:
    text = str(number or "").strip()
    if not text:
        raise InvalidInput(_("Cần số, ký hiệu văn bản (ví dụ 12/QĐ-CTK)."), field=field)
    if len(text) > 60:
        raise InvalidInput(_("Số, ký hiệu văn bản dài quá 60 ký tự."), field=field)
    return text


def clean_date(day: Any, field: str = "date") -> datetime.date:
    if isinstance(day, datetime.datetime):
        day = day.date()
    if isinstance(day, str):
        try:
            day = datetime.date.fromisoformat(day.strip())
        except ValueError:
            day = None
    if not isinstance(day, datetime.date) or not 2000 <= day.year <= 2100:
        raise InvalidInput(_("Ngày không hợp lệ (YYYY-MM-DD)."), field=field)
    return day


def clean_signer(signer: Any) -> tuple[Person, str]:
    """The signer and the signature block's lines: the Director signs as such, a Deputy "KT." for them."""
    if not isinstance(signer, Person):
        pk = parse_id(signer)
        signer = Person.objects.filter(pk=pk).first() if pk is not None else None
    if signer is None or not signer.is_active:
        raise InvalidInput(_("Chọn người ký (Cục trưởng hoặc Phó Cục trưởng)."), field="signer")
    a = agency()
    if roles.is_director(signer):
        return signer, a.head_title
    if roles.is_deputy_director(signer):
        return signer, f"KT. {a.head_title}\n{a.deputy_title}"
    raise InvalidInput(_("Người ký phải là Cục trưởng hoặc Phó Cục trưởng."), field="signer")


def clean_batch(nominations: Iterable[Any]) -> tuple[int, ...]:
    ids: list[int] = []
    for item in nominations:
        pk = item.pk if isinstance(item, Nomination) else item
        value = parse_id(pk)
        if value is None:
            raise InvalidInput(_("Mã hồ sơ không hợp lệ: %(value)s.") % {"value": pk}, field="nominations")
        if value not in ids:
            ids.append(value)
    if not ids:
        raise InvalidInput(_("Chọn ít nhất một hồ sơ."), field="nominations")
    if len(ids) > MAX_BATCH:
        raise InvalidInput(_("Mỗi văn bản gồm tối đa %(n)s hồ sơ.") % {"n": MAX_BATCH}, field="nominations")
    return tuple(ids)


def lock_batch(ids: Sequence[int]) -> None:
    """Lock the whole batch first, in one order, before any transition runs.

    Each transition's audit event takes the chain head's lock until commit; locking the nominations one
    by one between audit events would let two overlapping batches deadlock (each holding a nomination the
    other waits for, one of them also holding the chain head). Taking every row lock up front, in primary
    key order, makes a second batch wait here, before it holds anything the first one needs.
    """
    list(
        Nomination.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True)
    )


def load_batch(ids: Sequence[int]) -> list[Nomination]:
    lock_batch(ids)
    rows = list(
        Nomination.objects.filter(pk__in=ids)
        .select_related("campaign__parent", "award", "nominating_unit", "nominee_person")
        .order_by("award__order", "nominating_unit__order", "pk")
    )
    if len(rows) != len(ids):
        raise InvalidInput(_("Có hồ sơ không tồn tại trong danh sách đã chọn."), field="nominations")
    return rows


def campaign_of(nominations: Sequence[Nomination]) -> Campaign:
    """One document concerns one campaign: the nominations' own, or the annual plan holding their phases."""
    campaigns = {n.campaign_id: n.campaign for n in nominations}
    if len(campaigns) == 1:
        return next(iter(campaigns.values()))
    roots = {c.parent_id or c.pk for c in campaigns.values()}
    if len(roots) == 1:
        root_id = roots.pop()
        root = campaigns.get(root_id) or next(c.parent for c in campaigns.values() if c.parent_id == root_id)
        if root is not None:
            return root
    raise InvalidInput(_("Một văn bản chỉ gồm hồ sơ của cùng một phong trào thi đua."), field="nominations")


def number_free(model: type[OfficialDocument], number: str, year: int) -> None:
    if model._default_manager.filter(number=number, year=year).exists():
        raise InvalidInput(
            _("Số %(number)s đã được dùng cho văn bản khác trong năm %(year)s.")
            % {"number": number, "year": year},
            field="number",
        )


def document_create(model: type[OfficialDocument], **fields: Any) -> Any:
    try:
        with transaction.atomic():
            return model._default_manager.create(**fields)
    except IntegrityError:
        # Another document took the number between our check and our insert.
        raise InvalidInput(
            _("Số %(number)s vừa được dùng cho văn bản khác.") % {"number": fields["number"]}, field="number"
        ) from None


def document_record(
    *, obj: Any, actor: Any, perm: str, name: str, nominations: Sequence[int], data: dict[str, Any]
) -> None:
    audit.record(
        kind=AuditEvent.Kind.DOCUMENT,
        obj=obj,
        actor=actor,
        actor_role=acting_role(actor, perm),
        transition_name=name,
        data={"number": obj.number, "date": obj.date, "nominations": list(nominations), **data},
    )
