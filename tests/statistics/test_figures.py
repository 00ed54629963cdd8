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
from tests.builders.core import draft, drive
from tests.statistics.support import assert_adds_up

YEAR = 2031  # no demo row falls in it
D = datetime.date

PERSON_ROWS = {
    "ministry_leader": "06",
    "department_leader": "07",
    "entrepreneur": "08",
    "other_leader": "09",
    "worker": "10",
}
# 0603.N rows 11–17, written out here rather than read from the code under test.
METHOD_ROWS = {
    "regular": "11",
    "thematic": "12",
    "ad_hoc": "13",
    "foreign": "14",
    "dedication": "15",
    "seniority": "16",
    "resistance": "17",
}
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
    "ky_niem_chuong": "0603",
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


def _years(starts_on: datetime.date, ends_on: datetime.date) -> str:
    """The duration row, counted here by whole months of the period (its last day included)."""
    months = 0
    day = starts_on
    while day <= ends_on:
        month = day.month % 12 + 1
        day = day.replace(year=day.year + (day.month == 12), month=month)
        months += 1 if day <= ends_on + datetime.timedelta(days=1) else 0
    return (
        "06"
        if months < 12
        else "07"
        if months == 12
        else "08"
        if months < 36
        else "09"
        if months < 60
        else "10"
    )


@pytest.mark.django_db
def test_0601_counts_the_campaigns_launched_in_the_year_by_level_scope_duration_and_method(
    demo: None,
) -> None:
    made = [  # kind, level, scope, first day, last day
        ("annual", "agency", "agency", D(YEAR, 1, 1), D(YEAR, 12, 31)),
        ("phase", "agency", "agency", D(YEAR, 1, 1), D(YEAR, 6, 30)),
        ("phase", "agency", "agency", D(YEAR, 7, 1), D(YEAR, 12, 31)),
        ("thematic", "central", "national", D(YEAR, 3, 1), D(YEAR + 2, 2, 28)),
        ("thematic", "central", "national", D(YEAR, 3, 1), D(YEAR + 4, 2, 28)),
        ("thematic", "ministry_province", "ministry_local", D(YEAR, 5, 1), D(YEAR + 5, 4, 30)),
        ("thematic", "ministry_province", "bloc", D(YEAR, 5, 1), D(YEAR, 5, 31)),
        ("annual", "ministry_province", "ministry_local", D(YEAR, 1, 1), D(YEAR, 12, 31)),
    ]
    for n, (kind, level, scope, first, last) in enumerate(made):
        Campaign.objects.create(
            name=f"Phong trào thử {n}",
            kind=kind,
            launched_level=level,
            scope=scope,
            starts_on=first,
            ends_on=last,
        )
    Campaign.objects.create(
        name="Năm trước", kind="annual", starts_on=D(YEAR - 1, 1, 1), ends_on=D(YEAR, 12, 31)
    )

    scopes = {"national": "02", "ministry_local": "03", "bloc": "04", "agency": "05"}
    methods = {"annual": "12", "phase": "11", "thematic": "11"}
    expected: Counter[tuple[str, str]] = Counter()
    for kind, level, scope, first, last in made:
        for row in (scopes[scope], _years(first, last), methods[kind]):
            expected[(row, level)] += 1
    assert {row for row, _level in expected} >= {
        "02",
        "03",
        "04",
        "05",
        "06",
        "07",
        "08",
        "09",
        "10",
        "11",
        "12",
    }
    assert _leaf_cells("0601", YEAR) == dict(expected)
    table = statistics_table(code="0601", year=YEAR)
    assert table.value("01", "total") == len(made)
    assert _leaf_cells("0601", YEAR + 1) == {}


def _expected_awards(items: list[tuple[str, str, str]]) -> dict[str, Counter[tuple[str, str]]]:
    """(recipient row, category, method) items → the leaf cells of each form (0603.N also by method)."""
    expected: dict[str, Counter[tuple[str, str]]] = {"0602": Counter(), "0603": Counter()}
    for row, category, method in items:
        form = FORM_OF_CATEGORY[category]
        expected[form][(row, category)] += 1
        if form == "0603":
            expected[form][(METHOD_ROWS[method], category)] += 1
    return expected


@pytest.mark.django_db
def test_0602_and_0603_count_the_award_history_and_the_granted_nominations_of_the_year(demo: None) -> None:
    Person.objects.filter(username="head-tkxh").update(statistics_category="other_leader")
    Person.objects.filter(username="staff-tkxh-3").update(statistics_category="ministry_leader")
    records = [
        ("person", "head-tkxh", "BANG_KHEN_TTG", "regular"),
        ("person", "staff-tkxh-2", "BANG_KHEN_TTG", "ad_hoc"),
        ("person", "staff-tkxh-3", "HUAN_CHUONG_LD3", "dedication"),
        ("person", "staff-tkxh-2", "CSTD_TOAN_QUOC", "regular"),
        ("unit", "tkxh", "CO_THI_DUA_CP", "regular"),
        ("unit", "tkxh", "BANG_KHEN", "thematic"),
        ("person", "head-tkxh", "BANG_KHEN", "ad_hoc"),
        ("person", "staff-tkxh-2", "CSTD_TINH", "regular"),
        ("unit", "nsba", "CO_THI_DUA", "regular"),
        ("person", "staff-tkxh-3", "BANG_KHEN", "foreign"),
        ("person", "staff-tkxh-1", "BANG_KHEN", "dedication"),
        ("person", "staff-nsba-1", "BANG_KHEN", "seniority"),
        ("person", "staff-nsba-2", "BANG_KHEN", "resistance"),
        ("person", "staff-nsba-3", "BANG_KHEN", "resistance"),
        ("person", "staff-tkxh-2", "LDTT", "regular"),  # the office's own title: in neither form
        ("unit", "nsba", "GIAY_KHEN", "regular"),
    ]
    for kind, key, code, method in records:
        nominee: dict[str, Any] = (
            {"person": Person.objects.get(username=key)}
            if kind == "person"
            else {"unit": OrgUnit.objects.get(code=key)}
        )
        AwardRecord.objects.create(
            award=Award.objects.get(code=code), year=YEAR, decision_number="1/QĐ", method=method, **nominee
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
    items: list[tuple[str, str, str]] = []
    for kind, key, code, method in records:
        if categories[code]:
            items.append(("02" if kind == "unit" else PERSON_ROWS[people[key]], categories[code], method))
    items.append((PERSON_ROWS[people["staff-tkkt-2"]], "bang_khen_ttg", "regular"))
    expected = _expected_awards(items)
    assert _leaf_cells("0602", YEAR) == dict(expected["0602"])
    assert _leaf_cells("0603", YEAR) == dict(expected["0603"])
    state = statistics_table(code="0602", year=YEAR)
    assert state.value("01", "total") == sum(expected["0602"].values())
    assert state.value("05", "total") == sum(n for (row, _c), n in expected["0602"].items() if row != "02")
    ministry = statistics_table(code="0603", year=YEAR)
    in_0603 = [r for r in records if FORM_OF_CATEGORY.get(categories[r[2]]) == "0603"]
    assert ministry.value("01", "total") == len(in_0603)
    for method, row in METHOD_ROWS.items():
        assert ministry.value(row, "total") == sum(1 for r in in_0603 if r[3] == method), method


@pytest.mark.django_db
def test_the_2023_forms_match_the_demo_data(demo: None) -> None:
    # 0601: the annual plan and its phases are the office's own; the thematic movements as the demo says.
    expected_0601: Counter[tuple[str, str]] = Counter()
    expected_0601[("05", "agency")] += 1 + len(demo_data.PHASES)  # scope: the office itself
    expected_0601[("12", "agency")] += 1  # the annual plan: thường xuyên
    expected_0601[("07", "agency")] += 1  # …for one year
    for _name, first, last in demo_data.PHASES:
        expected_0601[("11", "agency")] += 1
        expected_0601[(_years(first, last), "agency")] += 1
    scopes = {"national": "02", "ministry_local": "03", "bloc": "04", "agency": "05"}
    for name, last, _notice in demo_data.THEMATIC:
        level, scope = demo_data.THEMATIC_LEVELS[name]
        expected_0601[(scopes[scope], level)] += 1
        expected_0601[("11", level)] += 1
        expected_0601[(_years(D(2023, 1, 1), last), level)] += 1
    assert _leaf_cells("0601", 2023) == dict(expected_0601)

    heads = {f"head-{code}" for code, *_rest in demo_data.UNITS}
    items = []
    history = [(*row, "regular") for row in demo_data.STATISTICS_HISTORY]
    for kind, key, code, _number, _day, method in [*history, *demo_data.STATISTICS_METHOD_HISTORY]:
        if kind == "unit":
            row = "02"
        elif key in demo_data.LEADERS:
            row = PERSON_ROWS[demo_data.LEADER_CATEGORY]
        else:
            row = PERSON_ROWS[demo_data.HEAD_CATEGORY] if key in heads else PERSON_ROWS["worker"]
        items.append((row, demo_data.AWARD_STATISTICS[code], method))
    for _username, code, year, _number in demo_data.HISTORY:
        if year == 2023 and code in demo_data.AWARD_STATISTICS:  # pragma: no cover - none today
            items.append((PERSON_ROWS["worker"], demo_data.AWARD_STATISTICS[code], "regular"))
    expected = _expected_awards(items)
    assert expected["0602"] and expected["0603"], "the demo fills both forms"
    assert {r for r, _c in expected["0603"]} >= set(METHOD_ROWS.values()), "every method has awards"
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
