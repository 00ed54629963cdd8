"""Checks made before a nomination reaches the council (DOMAIN.md), from the award rules stored as data.

Each failed check is a `Refusal` naming the rule and its legal basis, so the unit head, the office and
the auditor read *why*, not just *no*.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from nominations.models import (
    AwardRecord,
    AwardRule,
    Case,
    DossierFile,
    Nomination,
    NoRuleInForce,
    Rating,
    State,
    rule_for,
)

L22_DOSSIER = "Luật Thi đua, Khen thưởng 2022, Điều 84"
HOLD_BASIS = "Nghị định 152/2025/NĐ-CP, Điều 4"
NOTICE_BASIS = "Luật Thi đua, Khen thưởng 2022, Điều 5 (công khai); thời gian công khai của phong trào"
UNIQUE_BASIS = "Luật Thi đua, Khen thưởng 2022, Điều 6"

# States in which a nomination still stands (it counts against the quota, blocks a duplicate,
# and can satisfy a same-year prerequisite once it succeeds).
INACTIVE_STATES = frozenset(
    {
        State.WITHDRAWN,
        State.INELIGIBLE,
        State.COUNCIL_FAILED,
        State.DECLINED,
        State.NOT_GRANTED,
        State.REVOKED,
    }
)
SUCCEEDED_STATES = frozenset({State.APPROVED, State.GRANTED, State.REPORTED})
_RATING_ORDER = [Rating.HTXS, Rating.HTT, Rating.HT, Rating.KHT]


@dataclass(frozen=True)
class Refusal:
    rule: str
    message: str
    legal_basis: str

    def __str__(self) -> str:
        return f"{self.message} ({self.legal_basis})"


def rule_of(nomination: Nomination) -> AwardRule:
    return rule_for(nomination.award, nomination.campaign.ends_on)


def _nominee_filter(nomination: Nomination, prefix: str = "") -> Q:
    if nomination.is_individual:
        return Q(**{f"{prefix}person_id": nomination.nominee_person_id})
    return Q(**{f"{prefix}unit_id": nomination.nominee_unit_id})


def _same_nominee(nomination: Nomination) -> Q:
    if nomination.is_individual:
        return Q(nominee_person_id=nomination.nominee_person_id)
    return Q(nominee_unit_id=nomination.nominee_unit_id)


def required_file_kinds(rule: AwardRule) -> list[str]:
    kinds: list[str] = [
        DossierFile.Kind.SUBMISSION,
        DossierFile.Kind.ACHIEVEMENT_REPORT,
        DossierFile.Kind.EVALUATION_MINUTES,
    ]
    if rule.excellent_or_initiative or rule.initiative_required:
        kinds.append(DossierFile.Kind.PROOF)
    return kinds


def check_dossier(nomination: Nomination, rule: AwardRule) -> list[Refusal]:
    present = set(nomination.files.values_list("kind", flat=True))
    missing = [kind for kind in required_file_kinds(rule) if kind not in present]
    if not missing:
        return []
    labels = ", ".join(str(DossierFile.Kind(kind).label) for kind in missing)
    return [Refusal("dossier_complete", _("Hồ sơ còn thiếu: %(labels)s.") % {"labels": labels}, L22_DOSSIER)]


def check_recipient(nomination: Nomination) -> list[Refusal]:
    if nomination.award.accepts(individual=nomination.is_individual):
        return []
    return [
        Refusal(
            "recipient",
            _("%(award)s không xét cho đối tượng này (%(kind)s).")
            % {"award": nomination.award.name, "kind": nomination.award.get_recipient_display()},
            "Luật Thi đua, Khen thưởng 2022",
        )
    ]


def _recognised_initiatives(nomination: Nomination) -> list[int]:
    """Recognised initiatives cited here and not already supporting another standing nomination."""
    cited = list(nomination.initiatives.filter(recognised=True).values_list("pk", flat=True))
    if not cited:
        return []
    used = set(
        Nomination.initiatives.through.objects.filter(initiative_id__in=cited)
        .exclude(nomination_id=nomination.pk)
        .exclude(nomination__state__in=INACTIVE_STATES)
        .values_list("initiative_id", flat=True)
    )
    return [pk for pk in cited if pk not in used]


def check_criteria(nomination: Nomination, rule: AwardRule) -> list[Refusal]:
    refusals: list[Refusal] = []
    basis = rule.legal_basis
    if rule.min_rating and (
        not nomination.rating
        or _RATING_ORDER.index(Rating(nomination.rating)) > _RATING_ORDER.index(Rating(rule.min_rating))
    ):
        refusals.append(
            Refusal(
                "min_rating",
                _("Cần xếp loại tối thiểu: %(rating)s.") % {"rating": Rating(rule.min_rating).label},
                basis,
            )
        )
    if (
        rule.excellent_or_initiative
        and nomination.rating != Rating.HTXS
        and not _recognised_initiatives(nomination)
    ):
        refusals.append(
            Refusal(
                "excellent_or_initiative",
                _(
                    "Cần hoàn thành xuất sắc nhiệm vụ hoặc có sáng kiến, đề tài được công nhận (mỗi sáng kiến chỉ "
                    "dùng cho một lần đề nghị khen thưởng)."
                ),
                basis,
            )
        )
    if rule.initiative_required and not _recognised_initiatives(nomination):
        refusals.append(
            Refusal(
                "initiative_required",
                _("Cần có sáng kiến được công nhận, chưa dùng để đề nghị khen thưởng khác."),
                basis,
            )
        )
    if rule.same_year_prerequisite_id and not same_year_prerequisite_met(nomination, rule, pending_ok=True):
        refusals.append(
            Refusal(
                "same_year_prerequisite",
                _("Cần danh hiệu %(award)s cùng năm (đã đạt, hoặc được đề nghị trong cùng phong trào).")
                % {"award": rule.same_year_prerequisite.name if rule.same_year_prerequisite else ""},
                basis,
            )
        )
    if rule.prior_award_id and rule.prior_years:
        missing = missing_prior_years(nomination, rule)
        if missing:
            refusals.append(
                Refusal(
                    "prior_years",
                    _("Cần %(n)s năm liên tục đạt %(award)s trước năm %(year)s; còn thiếu năm: %(missing)s.")
                    % {
                        "n": rule.prior_years,
                        "award": rule.prior_award.name if rule.prior_award else "",
                        "year": nomination.campaign.year,
                        "missing": ", ".join(str(y) for y in missing),
                    },
                    basis,
                )
            )
    return refusals


def same_year_prerequisite_met(
    nomination: Nomination, rule: AwardRule, *, pending_ok: bool, together_with: Iterable[int] = ()
) -> bool:
    """Met by an award of the same year on record, or a nomination for it in the same campaign.

    `pending_ok`: a standing (not yet decided) nomination is enough to go to the council; approval
    needs it decided, or decided `together_with` this one in the same decision.
    """
    prerequisite = rule.same_year_prerequisite_id
    assert prerequisite is not None
    if AwardRecord.objects.filter(
        _nominee_filter(nomination), award_id=prerequisite, year=nomination.campaign.year
    ).exists():
        return True
    others = Nomination.objects.filter(
        _same_nominee(nomination), award_id=prerequisite, campaign__ends_on__year=nomination.campaign.year
    ).exclude(pk=nomination.pk)
    if pending_ok:
        return others.exclude(state__in=INACTIVE_STATES).exists()
    # Decided together: the prerequisite is itself awaiting the same decision (proposed), and the
    # caller approves both in one transaction, so neither stands without the other.
    return others.filter(
        Q(state__in=SUCCEEDED_STATES) | Q(pk__in=list(together_with), state=State.PROPOSED)
    ).exists()


def missing_prior_years(nomination: Nomination, rule: AwardRule) -> list[int]:
    year = nomination.campaign.year
    assert rule.prior_award is not None
    if not rule.prior_award.accepts(individual=nomination.is_individual):
        return []  # e.g. a Bằng khen for a collective: the individual prerequisite does not apply
    wanted = set(range(year - rule.prior_years, year))
    have = set(
        AwardRecord.objects.filter(
            _nominee_filter(nomination), award_id=rule.prior_award.pk, year__in=wanted
        ).values_list("year", flat=True)
    )
    return sorted(wanted - have)


def add_working_days(day: datetime.date, days: int) -> datetime.date:
    """`days` working days (Monday to Friday) after `day`. Public holidays are not modelled."""
    while days > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def check_notice_period(nomination: Nomination, today: datetime.date) -> list[Refusal]:
    """Results are published for the campaign's notice period before the decision (0 = none).

    The period starts the day the nomination is proposed (its results published) and runs for
    `notice_days` whole working days after it; the decision can be made from the day after.
    """
    days = nomination.campaign.notice_days
    if not days or nomination.state != State.PROPOSED:
        return []
    published = timezone.localdate(nomination.state_changed_at)
    ends = add_working_days(published, days)
    if today > ends:
        return []
    return [
        Refusal(
            "notice_period",
            _(
                "Kết quả đang trong thời gian công khai %(days)s ngày làm việc (đến hết ngày %(ends)s): "
                "chưa thể quyết định khen thưởng."
            )
            % {"days": days, "ends": ends.strftime("%d/%m/%Y")},
            NOTICE_BASIS,
        )
    ]


def check_holds(nomination: Nomination) -> list[Refusal]:
    open_cases = Case.objects.filter(_nominee_filter(nomination), closed_on__isnull=True)
    kinds = sorted({str(Case.Kind(kind).label) for kind in open_cases.values_list("kind", flat=True)})
    if not kinds:
        return []
    return [
        Refusal(
            "no_pending_case",
            _("Đối tượng đang có vụ việc chưa kết thúc: %(kinds)s.") % {"kinds": ", ".join(kinds)},
            HOLD_BASIS,
        )
    ]


def check_unique(nomination: Nomination) -> list[Refusal]:
    """One nomination per nominee, award and campaign: the first one submitted stands.

    Drafts do not count — two drafts made by mistake must not block each other's submission.
    """
    duplicate = (
        Nomination.objects.filter(
            _same_nominee(nomination), campaign_id=nomination.campaign_id, award_id=nomination.award_id
        )
        .exclude(pk=nomination.pk)
        .exclude(state__in=INACTIVE_STATES | {State.DRAFT})
        .exists()
    )
    if not duplicate:
        return []
    return [
        Refusal(
            "one_per_campaign",
            _("Đối tượng đã có hồ sơ đề nghị %(award)s trong phong trào này.")
            % {"award": nomination.award.name},
            UNIQUE_BASIS,
        )
    ]


def check_quota(nomination: Nomination, rule: AwardRule) -> list[Refusal]:
    if rule.quota is None:
        return []
    standing = (
        Nomination.objects.filter(
            campaign_id=nomination.campaign_id,
            award_id=nomination.award_id,
            nominating_unit_id=nomination.nominating_unit_id,
        )
        .exclude(pk=nomination.pk)
        .exclude(state__in=INACTIVE_STATES | {State.DRAFT})
        .count()
    )
    if standing < rule.quota:
        return []
    return [
        Refusal(
            "quota",
            _("Đơn vị đã đủ chỉ tiêu %(quota)s hồ sơ %(award)s trong phong trào này.")
            % {"quota": rule.quota, "award": nomination.award.name},
            rule.legal_basis,
        )
    ]


def check_submission(nomination: Nomination) -> list[Refusal]:
    """Everything a nomination must satisfy to be submitted (and again when the office evaluates it)."""
    try:
        rule = rule_of(nomination)
    except NoRuleInForce:
        return [
            Refusal(
                "rule_in_force",
                _("Chưa có quy định của %(award)s có hiệu lực cho phong trào này.")
                % {"award": nomination.award.name},
                "Danh mục khen thưởng",
            )
        ]
    return [
        *check_recipient(nomination),
        *check_dossier(nomination, rule),
        *check_criteria(nomination, rule),
        *check_holds(nomination),
        *check_unique(nomination),
        *check_quota(nomination, rule),
    ]
