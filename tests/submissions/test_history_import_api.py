"""The award history import over HTTP (API.md § "Award history import") and the eligibility checks that
read what it brings in."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from nominations.models import AwardRecord
from nominations.rules import eligibility
from tests.builders import core as builders
from tests.submissions.support import upload, xlsx_bytes
from workflow.services.history_import import HEADERS

pytestmark = pytest.mark.django_db
URL = "/api/award-history/import/"


def sheet(rows: list[list[Any]]) -> Any:
    return {"file": upload(xlsx_bytes(rows, headers=HEADERS))}


def test_office_imports_the_history_and_the_same_file_twice_changes_nothing(api: Any) -> None:
    last = timezone.localdate().year - 1
    rows = [
        ["", "staff-tkkt-2", "", "CSTDCS", 2021, "05/QĐ-CTK", "20/12/2021"],
        [
            builders.person("staff-tkkt-2").full_name,
            "",
            "tkkt",
            "CSTDCS",
            2020,
            "03/QĐ-CTK",
            datetime.date(2020, 12, 18),
        ],
        ["", "", "tkkt", "TTLDTT", last, "09/QĐ-CTK", "2023-12-30"],
        ["", "staff-tkkt-2", "", "LDTT", 2019, "02/QĐ-CTK", "15.12.2019", "Đột xuất"],
        ["", "staff-tkkt-2", "", "BANG_KHEN", 2019, "07/QĐ-UBND", "", "seniority"],
    ]
    before = AwardRecord.objects.count()
    first = api("office1").post(URL, sheet(rows), format="multipart")
    assert first.status_code == 201, first.content
    assert first.json() == {"created": 5, "unchanged": 0}
    again = api("office1").post(URL, sheet(rows), format="multipart")
    assert again.json() == {"created": 0, "unchanged": 5}
    assert AwardRecord.objects.count() == before + 5
    # The method of award (biểu 0603.N): blank is thường xuyên, else by its label or its code.
    methods = dict(
        AwardRecord.objects.filter(person__username="staff-tkkt-2", year=2019).values_list(
            "award__code", "method"
        )
    )
    assert methods == {"LDTT": "ad_hoc", "BANG_KHEN": "seniority"}
    assert AwardRecord.objects.get(person__username="staff-tkkt-2", year=2021).method == "regular"
    wrong = api("office1").post(
        URL, sheet([["", "staff-tkkt-3", "", "LDTT", 2019, "02/QĐ-CTK", "", "hằng tuần"]]), format="multipart"
    )
    assert wrong.status_code == 400 and "Phương thức khen thưởng" in wrong.content.decode()
    record = AwardRecord.objects.get(person__username="staff-tkkt-2", year=2020)
    assert record.decision_date == datetime.date(2020, 12, 18) and record.decision_number == "03/QĐ-CTK"
    assert AwardRecord.objects.get(unit__code="tkkt", award__code="TTLDTT").year == last


def test_imported_history_is_what_the_three_consecutive_years_rule_reads(api: Any) -> None:
    nomination = builders.draft(award="CSTD_TINH", nominee="staff-tkkt-3", files=False)
    rule = eligibility.rule_of(nomination)
    year = nomination.campaign.year
    assert eligibility.missing_prior_years(nomination, rule)
    rows = [
        ["", "staff-tkkt-3", "", "CSTDCS", y, f"{y}/QĐ", ""] for y in range(year - rule.prior_years, year)
    ]
    assert api("office1").post(URL, sheet(rows), format="multipart").status_code == 201
    assert eligibility.missing_prior_years(nomination, rule) == []


def test_bad_history_rows_write_nothing_and_are_named(api: Any) -> None:
    this_year = timezone.localdate().year
    rows = [
        ["", "staff-tkkt-2", "", "CSTDCS", 2021, "05/QĐ-CTK", "20/12/2021"],
        ["", "khong-co-ai", "", "CSTDCS", 2021, "05/QĐ-CTK", ""],
        ["", "staff-tkkt-2", "", "CSTDCS", this_year, "05/QĐ-CTK", ""],
        ["", "staff-tkkt-2", "", "CSTDCS", 2020, "", "31/02/2020"],
        ["", "staff-tkkt-2", "", "TTLDTT", 2019, "x", ""],
        ["", "staff-tkkt-2", "", "CSTDCS", 2021, "05/QĐ-CTK", ""],
    ]
    before = AwardRecord.objects.count()
    response = api("office1").post(URL, sheet(rows), format="multipart")
    assert response.status_code == 400
    errors = {item["row"]: item["errors"] for item in response.json()["rows"]}
    assert set(errors) == {3, 4, 5, 6, 7}
    assert "Tên đăng nhập" in errors[3] and "Năm" in errors[4]
    assert set(errors[5]) == {"Số quyết định", "Ngày quyết định"} and "Danh hiệu" in errors[6]
    assert "dòng 2" in errors[7]["Năm"][0]
    assert AwardRecord.objects.count() == before


def test_only_the_office_imports_the_history(api: Any) -> None:
    rows = [["", "staff-tkkt-2", "", "CSTDCS", 2021, "05/QĐ-CTK", ""]]
    assert api("head-tkkt").post(URL, sheet(rows), format="multipart").status_code == 403
    assert api("auditor").post(URL, sheet(rows), format="multipart").status_code == 403


def test_history_template_downloads(api: Any) -> None:
    response = api("office1").get("/api/award-history/template/")
    assert response.status_code == 200 and response.content.startswith(b"PK")


def test_demo_has_one_submission_per_unit_and_loaddemo_stays_idempotent() -> None:
    import io

    from django.core.management import call_command

    from nominations.models import OrgUnit, Person, Submission

    heads = Person.objects.filter(username__startswith="head-").values_list("unit_id", flat=True)
    assert set(Submission.objects.values_list("unit_id", flat=True)) == set(heads)
    assert Submission.objects.count() == OrgUnit.objects.filter(pk__in=heads).count()
    out = io.StringIO()
    call_command("loaddemo", "--password", "demo-pass-123", stdout=out)
    assert "không có thay đổi nào" in out.getvalue()
