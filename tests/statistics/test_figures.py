"""The figures of biểu 0601.N, 0602.N and 0603.N, each compared with a count the test makes itself from
the rows it creates (or from the demo's source data), and every total checked against its parts."""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

import pytest

from nominations import demo_data
from nominations.models import Award, AwardRecord, Campaign, OrgUnit, Person
from nominations.statistics import FORMS, statistics_table
from tests.builders import draft, drive
from tests.statistics.support import assert_adds_up

YEAR = 2031  # no demo row falls in it
D = datetime.date

PERSON_ROWS = {"leader": "06", "worker": "07", "entrepreneur": "08", "other": "09"}
FORM_OF_CATEGORY = {
    "huan_chuong": "0602",
    "huy_chuong": "0602",
    "danh_hieu_vinh_du": "0602",
    "co_thi_dua_cp": "0602",
    "bang_khen_ttg": "0602",
    "cstd_toan_quoc": "0602",
    "bang_khen": "0603",
    "cstd_bo_tinh": "0603",
    "co_thi_dua": "0603",
}


def _leaf_cells(code: str, year: int) -> dict[tuple[str, str], int]:
    table = statistics_table(code=code, year=year)
    assert_adds_up(table)
    leaves = {r.code for r in table.spec.leaf_rows}
    return {
        (row, column.key): table.value(row, column.key)
        for row in leaves
        for column in table.spec.leaf_columns
        if table.value(row, column.key)
    }


@pytest.mark.django_db
@pytest.mark.parametrize("code", sorted(FORMS))
def test_a_year_without_data_gives_every_row_and_column_as_zero(demo: None, code: str) -> None:
    table = statistics_table(code=code, year=2040)
    assert_adds_up(table)
    spec = FORMS[code]
    assert set(table.values) == {r.code for r in spec.rows}
    assert all(set(v) == {c.key for c in spec.columns} for v in table.values.values())
    assert all(value == 0 for row in table.values.values() for value in row.values())


@pytest.mark.django_db
def test_0601_counts_the_campaigns_launched_in_the_year_by_level_form_and_scope(demo: None) -> None:
    made = [
        ("annual", "agency", "internal"),
        ("phase", "agency", "internal"),
        ("phase", "agency", "internal"),
        ("thematic", "central", "national"),
        ("thematic", "central", "national"),
        ("thematic", "ministry_province", "local"),
        ("thematic", "ministry_province", "sector"),
        ("annual", "ministry_province", "local"),
    ]
    for n, (kind, level, scope) in enumerate(made):
        Campaign.objects.create(
            name=f"Phong trào thử {n}",
            kind=kind,
            launched_level=level,
            scope=scope,
            starts_on=D(YEAR, 1 + n, 1),
            ends_on=D(YEAR + 1, 6, 30),  # still running next year: counted in the year it was launched
        )
    Campaign.objects.create(
        name="Năm trước", kind="annual", starts_on=D(YEAR - 1, 1, 1), ends_on=D(YEAR, 12, 31)
    )

    rows = {"central": "02", "ministry_province": "03", "agency": "04"}
    forms = {"annual": "regular", "phase": "periodic", "thematic": "periodic"}
    expected: Counter[tuple[str, str]] = Counter()
    for kind, level, scope in made:
        expected[(rows[level], forms[kind])] += 1
        expected[(rows[level], scope)] += 1
    assert _leaf_cells("0601", YEAR) == dict(expected)
    table = statistics_table(code="0601", year=YEAR)
    assert table.value("01", "total") == len(made)
    assert _leaf_cells("0601", YEAR + 1) == {}


def _expected_awards(items: list[tuple[str, str]]) -> dict[str, Counter[tuple[str, str]]]:
    """(row, category) items → the leaf cells of each form."""
    expected: dict[str, Counter[tuple[str, str]]] = {"0602": Counter(), "0603": Counter()}
    for row, category in items:
        expected[FORM_OF_CATEGORY[category]][(row, category)] += 1
    return expected


@pytest.mark.django_db
def test_0602_and_0603_count_the_award_history_and_the_granted_nominations_of_the_year(demo: None) -> None:
    Person.objects.filter(username="head-tkxh").update(statistics_category="leader")
    Person.objects.filter(username="staff-tkxh-3").update(statistics_category="other")
    records = [
        ("person", "head-tkxh", "BANG_KHEN_TTG"),
        ("person", "staff-tkxh-2", "BANG_KHEN_TTG"),
        ("person", "staff-tkxh-3", "HUAN_CHUONG_LD3"),
        ("person", "staff-tkxh-2", "CSTD_TOAN_QUOC"),
        ("unit", "tkxh", "CO_THI_DUA_CP"),
        ("unit", "tkxh", "BANG_KHEN"),
        ("person", "head-tkxh", "BANG_KHEN"),
        ("person", "staff-tkxh-2", "CSTD_TINH"),
        ("unit", "nsba", "CO_THI_DUA"),
        ("person", "staff-tkxh-2", "LDTT"),  # the office's own title: in neither form
        ("unit", "nsba", "GIAY_KHEN"),
    ]
    for kind, key, code in records:
        nominee: dict[str, Any] = (
            {"person": Person.objects.get(username=key)}
            if kind == "person"
            else {"unit": OrgUnit.objects.get(code=key)}
        )
        AwardRecord.objects.create(
            award=Award.objects.get(code=code), year=YEAR, decision_number="1/QĐ", **nominee
        )
    AwardRecord.objects.create(
        award=Award.objects.get(code="BANG_KHEN_TTG"),
        year=YEAR - 1,
        person=Person.objects.get(username="head-tkxh"),
    )
    # A State award proposed and granted through the services, in a campaign of the year.
    campaign = Campaign.objects.create(
        name="Tổng kết thử", kind="annual", starts_on=D(YEAR, 1, 1), ends_on=D(YEAR, 12, 31)
    )
    granted = drive(draft(award="BANG_KHEN_TTG", nominee="staff-tkkt-2", campaign=campaign), "granted")
    assert granted.state == "granted"

    categories = dict(Award.objects.values_list("code", "statistics_category"))
    people = dict(Person.objects.values_list("username", "statistics_category"))
    items: list[tuple[str, str]] = []
    for kind, key, code in records:
        if categories[code]:
            items.append(("02" if kind == "unit" else PERSON_ROWS[people[key]], categories[code]))
    items.append((PERSON_ROWS[people["staff-tkkt-2"]], "bang_khen_ttg"))
    expected = _expected_awards(items)
    assert _leaf_cells("0602", YEAR) == dict(expected["0602"])
    assert _leaf_cells("0603", YEAR) == dict(expected["0603"])
    state = statistics_table(code="0602", year=YEAR)
    assert state.value("01", "total") == sum(expected["0602"].values())
    assert state.value("05", "total") == sum(n for (row, _c), n in expected["0602"].items() if row != "02")


@pytest.mark.django_db
def test_the_2023_forms_match_the_demo_data(demo: None) -> None:
    # 0601: the annual plan and its phases are the office's own; the thematic movements as the demo says.
    expected_0601: Counter[tuple[str, str]] = Counter()
    rows = {"central": "02", "ministry_province": "03", "agency": "04"}
    expected_0601[("04", "regular")] += 1
    expected_0601[("04", "internal")] += 1
    expected_0601[("04", "periodic")] += len(demo_data.PHASES)
    expected_0601[("04", "internal")] += len(demo_data.PHASES)
    for name, _end, _notice in demo_data.THEMATIC:
        level, scope = demo_data.THEMATIC_LEVELS[name]
        expected_0601[(rows[level], "periodic")] += 1
        expected_0601[(rows[level], scope)] += 1
    assert _leaf_cells("0601", 2023) == dict(expected_0601)

    leaders = {*demo_data.LEADERS, *(f"head-{code}" for code, *_rest in demo_data.UNITS)}
    items = []
    for kind, key, code, _number, _day in demo_data.STATISTICS_HISTORY:
        row = "02" if kind == "unit" else ("06" if key in leaders else "07")
        items.append((row, demo_data.AWARD_STATISTICS[code]))
    for _username, code, year, _number in demo_data.HISTORY:
        if year == 2023 and code in demo_data.AWARD_STATISTICS:  # pragma: no cover - none today
            items.append(("07", demo_data.AWARD_STATISTICS[code]))
    expected = _expected_awards(items)
    assert expected["0602"] and expected["0603"], "the demo fills both forms"
    assert _leaf_cells("0602", 2023) == dict(expected["0602"])
    assert _leaf_cells("0603", 2023) == dict(expected["0603"])


@pytest.mark.django_db
def test_a_revoked_or_not_granted_award_is_not_counted(demo: None) -> None:
    campaign = Campaign.objects.create(
        name="Tổng kết thử", kind="annual", starts_on=D(YEAR, 1, 1), ends_on=D(YEAR, 12, 31)
    )
    drive(draft(award="BANG_KHEN_TTG", nominee="staff-tkkt-2", campaign=campaign), "not_granted")
    drive(draft(award="BANG_KHEN_TTG", nominee="staff-tkkt-3", campaign=campaign), "forwarded")
    assert _leaf_cells("0602", YEAR) == {}
