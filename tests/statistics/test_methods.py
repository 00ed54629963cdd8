"""The method of an award (phương thức khen thưởng): derived from the campaign unless the Director's
decision or the office says otherwise, and counted in biểu 0603.N rows 11–17."""

from __future__ import annotations

import datetime

import pytest

from nominations.models import Award, AwardRecord, Campaign, Decision
from nominations.statistics import statistics_table
from tests.builders import core as builders
from tests.builders.core import draft, drive
from tests.builders.decisions import DAY, phase_two, proposed
from tests.statistics.support import assert_adds_up
from workflow.base.errors import InvalidInput
from workflow.services import decisions as services

pytestmark = pytest.mark.django_db
YEAR = 2032  # no demo row falls in it
D = datetime.date


def _method_rows(year: int) -> dict[str, int]:
    table = statistics_table(code="0603", year=year)
    assert_adds_up(table)
    return {row: table.value(row, "total") for row in ("11", "12", "13", "14", "15", "16", "17")}


def test_an_award_of_a_thematic_campaign_is_thematic_even_without_its_history_row(demo: None) -> None:
    campaign = Campaign.objects.create(
        name="Phong trào thử", kind="thematic", starts_on=D(YEAR, 1, 1), ends_on=D(YEAR, 12, 31)
    )
    for year in (YEAR - 2, YEAR - 1):  # Bằng khen needs two years of CSTĐCS before
        AwardRecord.objects.create(
            person=builders.person("staff-tkkt-2"), award=Award.objects.get(code="CSTDCS"), year=year
        )
    granted = drive(draft(award="BANG_KHEN", nominee="staff-tkkt-2", campaign=campaign), "granted")
    record = AwardRecord.objects.get(nomination=granted)
    assert record.method == "thematic"
    expected = {row: 0 for row in ("11", "12", "13", "14", "15", "16", "17")} | {"12": 1}
    assert _method_rows(YEAR) == expected
    record.delete()  # a granted nomination without its history row is counted from the campaign
    assert _method_rows(YEAR) == expected


def test_a_decision_gives_its_method_to_the_award_history_else_the_campaigns() -> None:
    director = builders.person("director")
    annual = proposed(nominee="staff-tkth-2")
    derived = services.decision_issue(
        nominations=[annual], actor=director, number="31/QĐ-CTK", date=DAY, signer=director
    )
    assert derived.method == "regular"  # the annual plan's award
    assert AwardRecord.objects.get(nomination=annual).method == "regular"

    phase = proposed(nominee="staff-prtc-3", campaign=phase_two())
    chosen = services.decision_issue(
        nominations=[phase], actor=director, number="32/QĐ-CTK", date=DAY, signer=director, method="ad_hoc"
    )
    assert Decision.objects.get(pk=chosen.pk).method == "ad_hoc"
    assert AwardRecord.objects.get(nomination=phase).method == "ad_hoc"

    other = proposed(nominee="staff-tkkt-3", campaign=phase_two())
    with pytest.raises(InvalidInput):
        services.decision_issue(
            nominations=[other], actor=director, number="33/QĐ-CTK", date=DAY, signer=director, method="x"
        )
    assert not Decision.objects.filter(number="33/QĐ-CTK").exists()
