"""Yearly ratings in bulk: template → preview with per-row errors → commit all or nothing, idempotent, audited."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from rest_framework.test import APIClient

from nominations.models import AnnualRating
from tests.builders import core as builders
from tests.targets.support import sheet_rows
from workflow.models import AuditEvent
from workflow.services import ratings_import

pytestmark = pytest.mark.django_db
HEADER = ["Tên đăng nhập", "Họ và tên", "Năm", "Xếp loại"]


def xlsx(rows: list[list[Any]], header: list[str] = HEADER) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("xep-loai.xlsx", out.getvalue())


def test_the_template_lists_the_units_people_with_their_ratings(demo: None) -> None:
    client = builders.signed_in("head-tkth")
    response = client.get("/chi-tieu/xep-loai-ca-nhan/?template=1&year=2023")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    rows = sheet_rows(response.content)
    assert list(rows[0]) == HEADER
    usernames = {row[0] for row in rows[1:]}
    assert "staff-tkth-1" in usernames and not any(str(u).endswith("tkkt-1") for u in usernames)
    assert ("staff-tkth-1", "HTXS") in {(row[0], row[3]) for row in rows[1:]}


def test_the_preview_names_row_column_and_message_and_writes_nothing(demo: None) -> None:
    before = list(AnnualRating.objects.order_by("pk").values_list("pk", "rating"))
    upload = xlsx(
        [
            ["staff-tkth-2", "", 2023, "HTXS"],
            ["staff-tkkt-1", "", 2023, "HTT"],  # another unit
            ["staff-tkth-3", "", "năm ngoái", "HTT"],
            ["staff-tkth-3", "", 2023, "Giỏi"],
            ["khong-co-ai", "", 2023, "HT"],
            ["staff-tkth-2", "", 2023, "HT"],  # the same person and year twice
        ]
    )
    checked = ratings_import.preview(actor=builders.person("head-tkth"), upload=upload)
    found = {(e.row, e.column) for e in checked.errors}
    assert found == {
        (3, "Tên đăng nhập"),
        (4, "Năm"),
        (5, "Xếp loại"),
        (6, "Tên đăng nhập"),
        (7, "Tên đăng nhập"),
    }
    assert any("đơn vị khác" in e.message for e in checked.errors)
    assert not checked.ok
    _checked, changed = ratings_import.commit(actor=builders.person("head-tkth"), upload=upload)
    assert changed == 0
    assert list(AnnualRating.objects.order_by("pk").values_list("pk", "rating")) == before


def test_the_commit_writes_every_row_once_and_a_second_commit_changes_nothing(demo: None) -> None:
    head = builders.person("head-tkth")
    rows = [["staff-tkth-2", "", 2023, "HTXS"], ["staff-tkth-3", "", 2024, "htt"]]
    events = AuditEvent.objects.count()
    checked, changed = ratings_import.commit(actor=head, upload=xlsx(rows))
    assert checked.ok and changed == 2
    assert AnnualRating.objects.get(person__username="staff-tkth-2", year=2023).rating == "htxs"
    assert AnnualRating.objects.get(person__username="staff-tkth-3", year=2024).rating == "htt"
    event = AuditEvent.objects.order_by("-id").first()
    assert event is not None
    assert event.transition == "annual_ratings_import" and len(event.data["changed"]) == 2
    _again, changed_again = ratings_import.commit(actor=head, upload=xlsx(rows))
    assert changed_again == 0 and AuditEvent.objects.count() == events + 1


def test_the_page_previews_then_commits_what_it_showed(demo: None) -> None:
    client = builders.signed_in("head-tkth")
    shown = client.post(
        "/chi-tieu/xep-loai-ca-nhan/", {"step": "preview", "file": xlsx([["staff-tkth-2", "", 2023, "KHT"]])}
    )
    assert "Ghi tất cả" in shown.content.decode()
    assert AnnualRating.objects.get(person__username="staff-tkth-2", year=2023).rating != "kht"
    done = client.post("/chi-tieu/xep-loai-ca-nhan/", {"step": "commit"}, follow=True)
    assert "1 xếp loại thay đổi" in done.content.decode()
    assert AnnualRating.objects.get(person__username="staff-tkth-2", year=2023).rating == "kht"
    bad = client.post(
        "/chi-tieu/xep-loai-ca-nhan/", {"step": "preview", "file": SimpleUploadedFile("a.xlsx", b"not excel")}
    )
    assert "Không đọc được tệp" in bad.content.decode()


def test_the_api_previews_and_commits_and_refuses_a_sheet_with_errors(
    demo: None, api: Callable[[str], APIClient]
) -> None:
    client = api("head-tkth")
    preview = client.post(
        "/api/rating-imports/preview/", {"file": xlsx([["staff-tkth-2", "", 2023, "HT"]])}, format="multipart"
    )
    assert preview.status_code == 200 and preview.json()["ok"] is True and preview.json()["changed"] == 0
    assert preview.json()["ratings"][0]["username"] == "staff-tkth-2" and preview.json()["rows"] == []
    refused = client.post(
        "/api/rating-imports/commit/", {"file": xlsx([["staff-tkkt-1", "", 2023, "HT"]])}, format="multipart"
    )
    assert refused.status_code == 400
    [row] = refused.json()["rows"]
    assert row["row"] == 2 and "đơn vị khác" in row["errors"]["Tên đăng nhập"][0]
    wrong_header = client.post(
        "/api/rating-imports/preview/", {"file": xlsx([], header=["a", "b"])}, format="multipart"
    )
    assert wrong_header.status_code == 400 and "tiêu đề" in str(wrong_header.json())
    other_unit = client.post(
        "/api/rating-imports/preview/", {"file": xlsx([]), "unit": "tkkt"}, format="multipart"
    )
    assert other_unit.status_code == 403
    office = api("office1").post(
        "/api/rating-imports/commit/",
        {"file": xlsx([["staff-tkkt-1", "", 2023, "HT"]]), "unit": "tkkt"},
        format="multipart",
    )
    assert office.status_code == 200 and office.json()["committed"] is True
    assert (
        api("staff-tkth-1")
        .post("/api/rating-imports/preview/", {"file": xlsx([])}, format="multipart")
        .status_code
        == 403
    )
