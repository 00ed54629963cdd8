"""Who decides an award, and how: the council's vote, the Director's authority, the forwarded ones.

Read from the award's rule in force (`AwardRule.requires_vote`, `AwardRule.authority`); each refusal
cites the rule's legal basis. Pure functions over the nomination and its rule: no query of their own.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from nominations.models import AwardRule, Nomination
from nominations.rules.eligibility import Refusal


def check_needs_no_vote(nomination: Nomination, rule: AwardRule) -> list[Refusal]:
    """Proposing straight to the decision is for an award the council does not vote on."""
    if not rule.requires_vote:
        return []
    return [
        Refusal(
            "requires_vote",
            _("%(award)s phải được Hội đồng Thi đua - Khen thưởng biểu quyết.")
            % {"award": nomination.award.name},
            rule.legal_basis,
        )
    ]


def check_needs_vote(nomination: Nomination, rule: AwardRule) -> list[Refusal]:
    """Putting on the council's agenda is for an award the council votes on."""
    if rule.requires_vote:
        return []
    return [
        Refusal(
            "requires_vote",
            _("%(award)s không cần Hội đồng biểu quyết: dùng thao tác Đề nghị.")
            % {"award": nomination.award.name},
            rule.legal_basis,
        )
    ]


def check_director_decides(nomination: Nomination, rule: AwardRule) -> list[Refusal]:
    """The Director approves only the awards within the Director's authority."""
    if rule.authority == AwardRule.Authority.DIRECTOR:
        return []
    return [
        Refusal(
            "authority",
            _("%(award)s thuộc thẩm quyền %(body)s: phải trình cấp trên.")
            % {"award": nomination.award.name, "body": rule.forwarded_to or _("cấp trên")},
            rule.legal_basis,
        )
    ]


def check_higher_level_decides(nomination: Nomination, rule: AwardRule) -> list[Refusal]:
    """Only an award beyond the Director's authority is forwarded to the higher level."""
    if rule.authority == AwardRule.Authority.FORWARDED:
        return []
    return [
        Refusal(
            "authority",
            _("%(award)s thuộc thẩm quyền Cục trưởng: không trình cấp trên.")
            % {"award": nomination.award.name},
            rule.legal_basis,
        )
    ]
