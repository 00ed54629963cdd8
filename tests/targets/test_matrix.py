"""The office's matrix unit × target × period: statuses, filters, the .xlsx export, its queries."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from tests.builders import core as builders
from tests.targets.support import annual, sheet_rows, stand_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_end(demo: None, monkeypatch: pytest.MonkeyPatch) -> None:
    stand_on(monkeypatch, datetime.date(2024, 1, 15))


def test_the_matrix_shows_met_not_met_missing_and_late(year_end: None) -> None:
    client = builders.signed_in("office1")
    year = client.get(f"/chi-tieu/theo-doi/?campaign={annual().pk}&period=2023-Y").content.decode()
    assert 'id="unit-nsba"' in year
    nsba_row = year.split('id="unit-nsba"')[1].split("</tr>")[0]
    assert "Thiếu" in nsba_row and "Chưa đạt" in nsba_row
    q2 = client.get(f"/chi-tieu/theo-doi/?campaign={annual().pk}&period=2023-Q2&status=late").content.decode()
    assert 'id="unit-nptn"' in q2 and 'id="unit-tkth"' not in q2


def test_the_matrix_reads_in_a_fixed_number_of_queries(
    year_end: None, django_assert_num_queries: Any
) -> None:
    client = builders.signed_in("office1")
    url = f"/chi-tieu/theo-doi/?campaign={annual().pk}&period=2023-Q1"
    client.get(url)
    with django_assert_num_queries(13):
        assert client.get(url).status_code == 200


def test_the_export_is_a_workbook_of_every_period(year_end: None) -> None:
    response = builders.signed_in("office1").get(f"/chi-tieu/theo-doi/xuat/?campaign={annual().pk}")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    rows = sheet_rows(response.content)
    assert rows[1][0] == "Đơn vị"
    statuses = {row[5] for row in rows[2:]}
    assert {"Đạt", "Chưa đạt", "Thiếu"} <= statuses
    # 9 units × (7 + 2 + 1) periods, plus TKTH's yearbook.
    assert len(rows) - 2 == 9 * 10 + 1
    assert (
        builders.signed_in("head-tkth").get(f"/chi-tieu/theo-doi/xuat/?campaign={annual().pk}").status_code
        == 403
    )
