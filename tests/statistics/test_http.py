"""The statistics over HTTP: the page, the downloads and the API, for each role."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook
from rest_framework.test import APIClient

from nominations.statistics import FORMS, statistics_table
from tests.builders.core import signed_in

READERS = ["office1", "director", "deputy", "auditor"]
OTHERS = ["head-tkth", "staff-tkth-1", "secretary", "council2", "admin"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Api = Callable[[str], APIClient]


@pytest.mark.django_db
@pytest.mark.parametrize("username", READERS)
def test_the_readers_of_reports_see_the_page_and_download_the_forms(demo: None, username: str) -> None:
    client = signed_in(username)
    page = client.get("/thong-ke/", {"form": "0603", "year": 2023})
    assert page.status_code == 200
    html = page.content.decode()
    assert "0603.N/BNV-TĐKT" in html and 'class="table-responsive"' in html
    assert "/thong-ke/0603/2023/tai-ve.xlsx" in html
    assert 'href="/thong-ke/"' in html  # the navigation entry
    download = client.get("/thong-ke/0603/2023/tai-ve.xlsx")
    assert download.status_code == 200 and download["Content-Type"] == XLSX
    assert "bieu-0603-n-2023.xlsx" in download["Content-Disposition"]
    docx = client.get("/thong-ke/0601/2023/tai-ve.docx")
    assert docx.status_code == 200 and docx.content.startswith(b"PK")


@pytest.mark.django_db
@pytest.mark.parametrize("username", OTHERS)
def test_anyone_else_is_refused_the_page_the_downloads_and_the_api(
    demo: None, api: Api, username: str
) -> None:
    client = signed_in(username)
    assert client.get("/thong-ke/").status_code == 403
    assert client.get("/thong-ke/0601/2023/tai-ve.xlsx").status_code == 403
    assert 'href="/thong-ke/"' not in client.get("/").content.decode()
    assert api(username).get("/api/statistics/").status_code == 403
    assert api(username).get("/api/statistics/0602/", {"year": 2023}).status_code == 403
    assert api(username).get("/api/statistics/0602/", {"year": 2023, "format": "xlsx"}).status_code == 403


@pytest.mark.django_db
def test_without_login_the_api_answers_401_and_the_page_asks_to_sign_in(demo: None) -> None:
    assert APIClient().get("/api/statistics/").status_code == 401
    response = Client().get("/thong-ke/")
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


@pytest.mark.django_db
def test_the_api_lists_the_three_forms(demo: None, api: Api) -> None:
    assert api("auditor").get("/api/statistics/").json() == [
        {"code": "0601", "form": "0601.N/BNV-TĐKT", "title": "Số phong trào thi đua"},
        {"code": "0602", "form": "0602.N/BNV-TĐKT", "title": "Số lượng khen thưởng cấp Nhà nước"},
        {"code": "0603", "form": "0603.N/BNV-TĐKT", "title": "Số lượng khen thưởng cấp bộ, ban, ngành, tỉnh"},
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("code", sorted(FORMS))
def test_the_api_gives_the_form_of_a_year_as_json(
    demo: None, api: Api, code: str, django_assert_num_queries: Any
) -> None:
    client = api("director")
    client.get(f"/api/statistics/{code}/", {"year": 2023})
    queries = 3 if code == "0601" else 4  # token and groups, then one count (two for the awards' forms)
    with django_assert_num_queries(queries):
        body = client.get(f"/api/statistics/{code}/", {"year": 2023}).json()
    table = statistics_table(code=code, year=2023)
    assert body["form"] == FORMS[code].form and body["year"] == 2023
    assert body["reporting_unit"] == table.reporting_unit and body["receiving_unit"] == table.receiving_unit
    assert [c["key"] for c in body["columns"]] == [c.key for c in FORMS[code].columns]
    assert [c["number"] for c in body["columns"]] == list(range(1, len(FORMS[code].columns) + 1))
    assert {r["code"]: r["values"] for r in body["rows"]} == table.values
    assert all(r["unit_of_measure"] for r in body["rows"])


@pytest.mark.django_db
def test_the_api_gives_the_xlsx_with_format_xlsx(demo: None, api: Api) -> None:
    response = api("office1").get("/api/statistics/0602/", {"year": 2023, "format": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None and sheet["A1"].value == "Biểu số: 0602.N/BNV-TĐKT"


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["abc", "1999", "2101", "20x3"])
def test_a_bad_year_is_a_400_with_a_message(demo: None, api: Api, year: str) -> None:
    for params in ({"year": year}, {"year": year, "format": "xlsx"}):
        response = api("office1").get("/api/statistics/0601/", params)
        assert response.status_code == 400
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["year"]
    page = signed_in("office1").get("/thong-ke/", {"form": "0601", "year": year})
    assert page.status_code == 400 and "is-invalid" in page.content.decode()


@pytest.mark.django_db
def test_a_bad_format_or_an_unknown_form_is_refused(demo: None, api: Api) -> None:
    assert api("office1").get("/api/statistics/0601/", {"year": 2023, "format": "csv"}).status_code == 400
    assert api("office1").get("/api/statistics/0999/", {"year": 2023}).status_code == 404
    assert signed_in("office1").get("/thong-ke/0999/2023/tai-ve.xlsx").status_code == 404
    assert signed_in("office1").get("/thong-ke/0601/2023/tai-ve.csv").status_code == 404


@pytest.mark.django_db
def test_a_year_without_data_answers_zeros_not_an_error(demo: None, api: Api) -> None:
    body = api("auditor").get("/api/statistics/0602/", {"year": 2045}).json()
    assert body["year"] == 2045
    assert all(v == 0 for row in body["rows"] for v in row["values"].values())
    page = signed_in("auditor").get("/thong-ke/", {"form": "0601", "year": 2045})
    assert page.status_code == 200
