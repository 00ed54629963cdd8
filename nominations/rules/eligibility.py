"""Checks made before a nomination reaches the council (DOMAIN.md), from the award rules stored as data.

Each failed check is a `Refusal` naming the rule and its legal basis, so the unit head, the office and
the auditor read *why*, not just *no*.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from nominations.models import (
    AWARDED_STATES,
    FINAL_STATES,
    AnnualRating,
    Award,
    AwardRecord,
    AwardRule,
    Case,
    DossierFile,
    Nomination,
    NoRuleInForce,
    OrgUnit,
    Person,
    Rating,
    State,
    rule_for,
)
from nominations.models.submissions import SubmissionFile
from nominations.rules import unit_ratings
from nominations.rules.refusal import Refusal

L22_DOSSIER = "Luật Thi đua, Khen thưởng 2022, Điều 84"
HOLD_BASIS = "Nghị định 152/2025/NĐ-CP, Điều 4"
UNIQUE_BASIS = "Luật Thi đua, Khen thưởng 2022, Điều 6"

_RATING_ORDER = [Rating.HTXS, Rating.HTT, Rating.HT, Rating.KHT]


def no_rule_in_force(nomination: Nomination) -> Refusal:
    """The award has no version of its rules in force for the campaign: nothing can be checked."""
    return Refusal(
        "rule_in_force",
        _("Chưa có quy định của %(award)s có hiệu lực cho phong trào này.")
        % {"award": nomination.award.name},
        "Danh mục khen thưởng",
    )


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


# The papers the unit submits once for its whole list (L22 Art. 84): a nomination in a submission has
# them through it; one standing alone carries its own copies, as before submissions existed.
SHARED_KINDS = (DossierFile.Kind.SUBMISSION, DossierFile.Kind.EVALUATION_MINUTES)


def required_file_kinds(rule: AwardRule) -> list[str]:
    kinds: list[str] = [
        DossierFile.Kind.SUBMISSION,
        DossierFile.Kind.ACHIEVEMENT_REPORT,
        DossierFile.Kind.EVALUATION_MINUTES,
    ]
    if rule.excellent_or_initiative or rule.initiative_required:
        kinds.append(DossierFile.Kind.PROOF)
    return kinds


def present_file_kinds(nomination: Nomination) -> set[str]:
    """The kinds of paper a nomination's dossier holds: its own files and its submission's shared ones."""
    present = set(nomination.files.values_list("kind", flat=True))
    if nomination.submission_id is not None:
        present |= set(
            SubmissionFile.objects.filter(submission_id=nomination.submission_id).values_list(
                "kind", flat=True
            )
        )
    return present


def missing_file_kinds(rule: AwardRule, present: set[str]) -> list[str]:
    return [kind for kind in required_file_kinds(rule) if kind not in present]


def check_dossier(nomination: Nomination, rule: AwardRule) -> list[Refusal]:
    """L22 Art. 84: the nominee's báo cáo thành tích (and proof where the award needs it), with the
    unit's tờ trình and biên bản bình xét — the submission's, or the nomination's own when it stands alone."""
    missing = missing_file_kinds(rule, present_file_kinds(nomination))
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
        .exclude(nomination__state__in=FINAL_STATES)
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
    refusals += check_members(nomination, rule, pending_ok=True)
    refusals += unit_ratings.check_unit_rating(nomination, rule)
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
    return _counting(others, pending_ok=pending_ok, together_with=together_with).exists()


def _counting(
    nominations: QuerySet[Nomination], *, pending_ok: bool, together_with: Iterable[int]
) -> QuerySet[Nomination]:
    """The nominations for a title that count towards another one's criteria.

    `pending_ok`: any standing one (enough to go to the council). Otherwise decided ones, or one awaiting
    the same decision (`together_with`, proposed): the caller approves them in one transaction, so neither
    stands without the other.
    """
    if pending_ok:
        return nominations.exclude(state__in=FINAL_STATES)
    return nominations.filter(
        Q(state__in=AWARDED_STATES) | Q(pk__in=list(together_with), state=State.PROPOSED)
    )


def check_decided_together(
    nomination: Nomination, rule: AwardRule, *, together_with: Iterable[int] = ()
) -> list[Refusal]:
    """At the decision: a same-year prerequisite, and a collective's members' titles, decided before
    this one or in the same decision (`together_with`) — a standing nomination no longer suffices."""
    if rule.same_year_prerequisite_id and not same_year_prerequisite_met(
        nomination, rule, pending_ok=False, together_with=together_with
    ):
        return [
            Refusal(
                "same_year_prerequisite",
                _(
                    "Chưa thể quyết định %(award)s trước (hoặc tách khỏi) danh hiệu tiên quyết %(prereq)s cùng năm."
                )
                % {
                    "award": nomination.award.name,
                    "prereq": rule.same_year_prerequisite.name if rule.same_year_prerequisite else "",
                },
                rule.legal_basis,
            )
        ]
    return check_members(nomination, rule, pending_ok=False, together_with=together_with)


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


def members_of(unit: OrgUnit) -> QuerySet[Person]:
    """The people of a collective: the active staff of the unit and of the units directly under it."""
    return Person.objects.filter(Q(unit=unit) | Q(unit__parent=unit), is_active=True)


def _members_holding(
    nomination: Nomination,
    award: Award,
    members: QuerySet[Person],
    *,
    pending_ok: bool,
    together_with: Iterable[int] = (),
) -> set[int]:
    """The members who hold `award` in the campaign's year: on record, or by a nomination for it.

    As for a same-year prerequisite: a standing nomination counts while the collective goes to the
    council (`pending_ok`); its approval needs the members' titles decided, or decided `together_with` it.
    """
    year = nomination.campaign.year
    held = set(
        AwardRecord.objects.filter(person__in=members, award=award, year=year).values_list(
            "person_id", flat=True
        )
    )
    nominated = _counting(
        Nomination.objects.filter(nominee_person__in=members, award=award, campaign__ends_on__year=year),
        pending_ok=pending_ok,
        together_with=together_with,
    )
    held.update(pk for pk in nominated.values_list("nominee_person_id", flat=True) if pk is not None)
    return held


def _names(people: Iterable[Person]) -> str:
    return ", ".join(str(p) for p in people)


def check_members(
    nomination: Nomination, rule: AwardRule, *, pending_ok: bool, together_with: Iterable[int] = ()
) -> list[Refusal]:
    """A collective's criteria on its members in the campaign's year (L22 Art. 27, 28), from the rule's data."""
    if nomination.is_individual or nomination.nominee_unit is None:
        return []
    needs_members = (
        rule.member_award_id
        or rule.member_distinction_id
        or rule.all_members_completed
        or rule.member_discipline_limit
    )
    if not needs_members:
        return []
    basis = rule.legal_basis
    year = nomination.campaign.year
    members = members_of(nomination.nominee_unit)
    people = list(members.order_by("full_name"))
    if not people:
        return [Refusal("members", _("Tập thể chưa có thành viên nào trong danh sách cán bộ."), basis)]
    refusals: list[Refusal] = []
    if rule.member_award is not None and rule.min_member_share is not None:
        held = _members_holding(
            nomination, rule.member_award, members, pending_ok=pending_ok, together_with=together_with
        )
        if len(held) < rule.min_member_share * len(people):
            refusals.append(
                Refusal(
                    "member_share",
                    _(
                        "Cần ít nhất %(share)s%% thành viên đạt %(award)s năm %(year)s; hiện có %(held)s/%(total)s "
                        "(chưa đạt: %(missing)s)."
                    )
                    % {
                        "share": f"{float(rule.min_member_share) * 100:g}".replace(
                            ".", ","
                        ),  # Vietnamese decimal comma
                        "award": rule.member_award.name,
                        "year": year,
                        "held": len(held),
                        "total": len(people),
                        "missing": _names(p for p in people if p.pk not in held),
                    },
                    basis,
                )
            )
    if rule.member_distinction is not None and rule.min_member_distinctions:
        held = _members_holding(
            nomination, rule.member_distinction, members, pending_ok=pending_ok, together_with=together_with
        )
        if len(held) < rule.min_member_distinctions:
            refusals.append(
                Refusal(
                    "member_distinctions",
                    _("Cần ít nhất %(n)s thành viên đạt %(award)s năm %(year)s; hiện có %(held)s.")
                    % {
                        "n": rule.min_member_distinctions,
                        "award": rule.member_distinction.name,
                        "year": year,
                        "held": len(held),
                    },
                    basis,
                )
            )
    if rule.all_members_completed:
        ratings = dict(
            AnnualRating.objects.filter(person__in=members, year=year).values_list("person_id", "rating")
        )
        unrated = [p for p in people if p.pk not in ratings]
        failed = [p for p in people if ratings.get(p.pk) == Rating.KHT]
        if unrated:
            refusals.append(
                Refusal(
                    "members_rated",
                    _("Chưa có kết quả xếp loại năm %(year)s của: %(names)s.")
                    % {"year": year, "names": _names(unrated)},
                    basis,
                )
            )
        if failed:
            refusals.append(
                Refusal(
                    "members_completed",
                    _("Cần 100%% thành viên hoàn thành nhiệm vụ; không hoàn thành năm %(year)s: %(names)s.")
                    % {"year": year, "names": _names(failed)},
                    basis,
                )
            )
    if rule.member_discipline_limit:
        levels = Case.DisciplineLevel.from_level(rule.member_discipline_limit)
        disciplined_ids = set(
            Case.objects.filter(
                person__in=members,
                kind=Case.Kind.DISCIPLINE,
                discipline_level__in=levels,
                opened_on__lte=datetime.date(year, 12, 31),
            )
            .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=datetime.date(year, 1, 1)))
            .values_list("person_id", flat=True)
        )
        disciplined = [p for p in people if p.pk in disciplined_ids]
        if disciplined:
            refusals.append(
                Refusal(
                    "member_discipline",
                    _(
                        "Có thành viên bị kỷ luật từ hình thức %(level)s trở lên trong năm %(year)s: %(names)s."
                    )
                    % {
                        "level": Case.DisciplineLevel(rule.member_discipline_limit).label,
                        "year": year,
                        "names": _names(disciplined),
                    },
                    basis,
                )
            )
    return refusals


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
        .exclude(state__in=FINAL_STATES | {State.DRAFT})
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
        .exclude(state__in=FINAL_STATES | {State.DRAFT})
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
        return [no_rule_in_force(nomination)]
    return [
        *check_recipient(nomination),
        *check_dossier(nomination, rule),
        *check_criteria(nomination, rule),
        *check_holds(nomination),
        *check_unique(nomination),
        *check_quota(nomination, rule),
    ]
