"""A collective's titles read its members (L22 Art. 27, 28), from the award rules stored as data.

TTLĐTT: ≥ 70% of members LĐTT, no member disciplined at "cảnh cáo" or above. TTLĐXS: the same, at least
one member CSTĐCS, and every member rated as having completed their duties. Each refusal names the rule
and its legal basis, and says which members fall short; everything runs through the real services.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from nominations.models import (
    AnnualRating,
    Award,
    AwardRecord,
    AwardRule,
    Case,
    Nomination,
    OrgUnit,
    Person,
    State,
)
from nominations.rules.eligibility import members_of
from tests.builders import core as builders
from tests.rules.test_eligibility_rules import approve, refused, submit
from workflow.base.errors import RuleNotMet

pytestmark = pytest.mark.django_db

YEAR = 2023
TTLDTT_BASIS = "Luật Thi đua, Khen thưởng 2022, Điều 28; Nghị định 98/2023/NĐ-CP"
TTLDXS_BASIS = "Luật Thi đua, Khen thưởng 2022, Điều 27; Nghị định 98/2023/NĐ-CP"


def unit(code: str = "tkxh") -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def members(code: str = "tkxh") -> list[Person]:
    return list(members_of(unit(code)).order_by("username"))


def record(people: list[Person], award: str) -> None:
    for person in people:
        AwardRecord.objects.create(person=person, award=Award.objects.get(code=award), year=YEAR)


def collective(award: str = "TTLDTT", code: str = "tkxh", **options: object) -> Nomination:
    return builders.draft(
        award=award,
        unit_nominee=True,
        head=f"head-{code}",
        rating="htxs" if award == "TTLDXS" else "htt",
        members_qualified=False,
        **options,  # type: ignore[arg-type]
    )


def rate_everyone(code: str = "tkxh", rating: str = "htt") -> None:
    for person in members(code):
        AnnualRating.objects.update_or_create(person=person, year=YEAR, defaults={"rating": rating})


def test_the_members_of_a_unit_are_its_active_staff(demo: None) -> None:
    # tkxh: its head, a council member and three staff; a member who left no longer counts.
    people = members()
    assert len(people) == 5
    assert {p.unit.code for p in people if p.unit} == {"tkxh"}
    leaver = people[-1]
    leaver.is_active = False
    leaver.save(update_fields=["is_active"])
    assert len(members()) == 4


def test_ttldtt_needs_70_percent_of_members_ldtt_naming_those_without(demo: None) -> None:
    people = members()
    record(people[:3], "LDTT")  # 3 of 5 = 60%
    nomination = collective()
    assert refused(submit(nomination), nomination) == {"member_share": TTLDTT_BASIS}
    with pytest.raises(RuleNotMet) as caught:
        submit(nomination)()
    message = str(caught.value)
    assert "3/5" in message and "70%" in message
    for person in people[3:]:
        assert person.full_name in message
    for person in people[:3]:
        assert person.full_name not in message


def test_ttldtt_with_four_of_five_members_ldtt_can_be_submitted(demo: None) -> None:
    record(members()[:4], "LDTT")  # 80%
    assert submit(collective())().state == State.SUBMITTED


def test_members_ldtt_nominations_standing_in_the_same_year_count_before_the_council(demo: None) -> None:
    """At the year-end review the members' LĐTT and the unit's title are proposed together."""
    people = members()
    for person in people[:4]:
        builders.draft(award="LDTT", nominee=person.username, rating="htt")
    assert submit(collective())().state == State.SUBMITTED


def test_a_withdrawn_ldtt_nomination_of_a_member_does_not_count(demo: None) -> None:
    people = members()
    record(people[:3], "LDTT")
    withdrawn = builders.in_state("withdrawn", award="LDTT", nominee=people[3].username, rating="htt")
    assert withdrawn.state == State.WITHDRAWN
    nomination = collective()
    assert refused(submit(nomination), nomination) == {"member_share": TTLDTT_BASIS}


def test_a_member_disciplined_with_a_warning_that_year_stops_ttldtt(demo: None) -> None:
    people = members()
    record(people, "LDTT")
    Case.objects.create(
        kind=Case.Kind.DISCIPLINE,
        person=people[1],
        discipline_level=Case.DisciplineLevel.WARNING,
        opened_on=datetime.date(2023, 3, 1),
        closed_on=datetime.date(2023, 4, 1),  # decided and closed: no open case, but it happened that year
    )
    nomination = collective()
    assert refused(submit(nomination), nomination) == {"member_discipline": TTLDTT_BASIS}


@pytest.mark.parametrize(
    ("level", "opened", "closed"),
    [
        (
            Case.DisciplineLevel.REPRIMAND,
            datetime.date(2023, 3, 1),
            datetime.date(2023, 4, 1),
        ),  # below the bar
        (
            Case.DisciplineLevel.HIGHER,
            datetime.date(2021, 3, 1),
            datetime.date(2022, 12, 31),
        ),  # an earlier year
    ],
)
def test_a_lighter_or_earlier_discipline_does_not_stop_ttldtt(
    demo: None, level: str, opened: datetime.date, closed: datetime.date
) -> None:
    people = members()
    record(people, "LDTT")
    Case.objects.create(
        kind=Case.Kind.DISCIPLINE,
        person=people[1],
        discipline_level=level,
        opened_on=opened,
        closed_on=closed,
    )
    assert submit(collective())().state == State.SUBMITTED


def test_ttldxs_needs_a_member_cstdcs(demo: None) -> None:
    record(members(), "LDTT")
    rate_everyone()
    nomination = collective("TTLDXS")
    assert refused(submit(nomination), nomination) == {"member_distinctions": TTLDXS_BASIS}
    record(members()[:1], "CSTDCS")
    assert submit(nomination)().state == State.SUBMITTED


def test_ttldxs_needs_every_member_rated_and_none_failing(demo: None) -> None:
    people = members()
    record(people, "LDTT")
    record(people[:1], "CSTDCS")
    AnnualRating.objects.filter(person__in=people, year=YEAR).delete()
    nomination = collective("TTLDXS")
    assert refused(submit(nomination), nomination) == {"members_rated": TTLDXS_BASIS}
    rate_everyone()
    AnnualRating.objects.filter(person=people[2], year=YEAR).update(rating="kht")
    assert refused(submit(nomination), nomination) == {"members_completed": TTLDXS_BASIS}
    AnnualRating.objects.filter(person=people[2], year=YEAR).update(rating="ht")
    assert submit(nomination)().state == State.SUBMITTED


def test_the_demo_rates_every_member_of_every_unit_for_2023(demo: None) -> None:
    for code in ("tkth", "tkxh", "prtc", "nsba"):
        assert AnnualRating.objects.filter(person__in=members_of(unit(code)), year=YEAR).count() == len(
            members(code)
        )


def test_the_approval_needs_the_members_ldtt_decided_or_decided_together(demo: None) -> None:
    people = members()
    record(people[:3], "LDTT")
    member_ldtt = builders.in_state("proposed", award="LDTT", nominee=people[3].username, rating="htt")
    nomination = builders.to_state(collective(), State.PROPOSED)
    # Standing LĐTT nominations were enough to reach the council, not to be decided before them.
    assert refused(approve(nomination), nomination) == {"member_share": TTLDTT_BASIS}
    assert approve(nomination, together_with=(member_ldtt.pk,))().state == State.APPROVED
    assert approve(member_ldtt)().state == State.APPROVED


def test_individual_nominations_are_not_read_against_members(demo: None) -> None:
    """staff-nsba-2 has an open discipline case in the demo: it stops their own nomination, not a colleague's."""
    assert (
        submit(builders.draft(award="LDTT", nominee="staff-nsba-1", rating="htt"))().state == State.SUBMITTED
    )


def test_a_rule_names_the_members_award_together_with_its_share(demo: None) -> None:
    award = Award.objects.create(code="TT_MOI", name="Danh hiệu mới", kind="title", recipient="collective")
    ldtt = Award.objects.get(code="LDTT")
    rule = AwardRule(
        award=award,
        effective_from=datetime.date(2023, 1, 1),
        legal_basis="L",
        authority="director",
        member_award=ldtt,
    )
    with pytest.raises(ValidationError) as caught:
        rule.clean()
    assert "min_member_share" in caught.value.message_dict
    rule.min_member_share = Decimal("0.7")
    rule.clean()
    rule.member_distinction = Award.objects.get(code="CSTDCS")
    with pytest.raises(ValidationError) as caught:
        rule.clean()
    assert "min_member_distinctions" in caught.value.message_dict
