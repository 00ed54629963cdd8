"""Changes to the award rules are sensitive: each is logged in the audit chain."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from nominations.models import AwardRule, Role
from workflow.audit import log as audit
from workflow.models import AuditEvent


def award_rule_save(*, rule: AwardRule, actor: Any, changed_fields: list[str], created: bool) -> AwardRule:
    with transaction.atomic():
        rule.full_clean()
        rule.save()
        audit.record(
            kind=AuditEvent.Kind.RULE_CHANGED,
            obj=rule,
            actor=actor,
            actor_role=Role.ADMINISTRATOR,
            transition_name="created" if created else "changed",
            data={
                "award": rule.award.code,
                "effective_from": rule.effective_from,
                "fields": {
                    name: getattr(rule, name + "_id", None)
                    if hasattr(rule, name + "_id")
                    else getattr(rule, name)
                    for name in changed_fields
                },
            },
        )
    return rule
