"""The base salary table (the administrator's): every change logged like a rule change."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from nominations.models import BaseSalary, Role
from workflow.audit import log as audit
from workflow.models import AuditEvent


def base_salary_save(
    *, salary: BaseSalary, actor: Any, changed_fields: list[str], created: bool
) -> BaseSalary:
    """Save a base salary row, logged like a rule change: it sets every later decision's amounts."""
    with transaction.atomic():
        salary.full_clean()
        salary.save()
        audit.record(
            kind=AuditEvent.Kind.RULE_CHANGED,
            obj=salary,
            actor=actor,
            actor_role=Role.ADMINISTRATOR,
            transition_name="created" if created else "changed",
            data={
                "amount": salary.amount,
                "effective_from": salary.effective_from,
                "legal_basis": salary.legal_basis,
                "fields": changed_fields,
            },
        )
    return salary


def base_salary_delete(*, salary: BaseSalary, actor: Any) -> None:
    with transaction.atomic():
        audit.record(
            kind=AuditEvent.Kind.RULE_CHANGED,
            obj=salary,
            actor=actor,
            actor_role=Role.ADMINISTRATOR,
            transition_name="deleted",
            data={"amount": salary.amount, "effective_from": salary.effective_from},
        )
        salary.delete()
