"""Periodic results: reported by the unit head (page and API), late ones marked, the office returns,
confirms and reopens; bad input gets a clear message and writes nothing; units see only their own."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from rest_framework.test import APIClient

from nominations.models import TargetEvidence, TargetResult
from tests.builders import core as builders
from tests.targets.support import clear_results, stand_on, target
from workflow.models import AuditEvent
from workflow.services import targets as services

pytestmark = pytest.mark.django_db
Q1_ON_TIME = datetime.date(2023, 4, 4)  # 31/3 + 5 working days = 7/4
Q1_LATE = datetime.date(2023, 4, 20)


@pytest.fixture
def q1(monkeypatch: pytest.MonkeyPatch, demo: None) -> None:
    clear_results("tkth", "tkkt")
    stand_on(monkeypatch, Q1_ON_TIME)


def post_report(client: Any, target_code: str, period: str, **fields: Any) -> Any:
    t = target(target_code)
    data = {"campaign": t.campaign_id, "target": t.pk, "period": period}
    data.update({f"t{t.pk}-{k}": v for k, v in fields.items()})
    return client.post("/chi-tieu/bao-cao/", data, follow=True)


def test_a_unit_head_reports_a_result_on_the_page_with_evidence(q1: None) -> None:
    client = builders.signed_in("head-tkth")
    page = client.get("/chi-tieu/?period=2023-Q1")
    assert page.status_code == 200
    assert "Hoàn thành 100% nhiệm vụ" in page.content.decode()
    response = post_report(
        client,
        "chuong-trinh",
        "2023-Q1",
        value="100",
        comment="Đủ chương trình",
        files=builders.pdf("bc-quy-1.pdf"),
    )
    assert response.status_code == 200
    result = TargetResult.objects.get(unit__code="tkth", target=target("chuong-trinh"), period="2023-Q1")
    assert (result.met, result.late, result.state) == (True, False, TargetResult.State.REPORTED)
    assert result.due_on == datetime.date(2023, 4, 7)
    evidence = TargetEvidence.objects.get(result=result)
    assert evidence.original_name == "bc-quy-1.pdf"
    download = client.get(f"/chi-tieu/minh-chung/{evidence.pk}/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    # Served as every uploaded file is: sandboxed, never sniffed, never cached.
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert (download["X-Content-Type-Options"], download["Cache-Control"]) == ("nosniff", "private, no-store")
    assert builders.signed_in("head-tkkt").get(f"/chi-tieu/minh-chung/{evidence.pk}/").status_code == 404
    event = AuditEvent.objects.get(object_type="nominations.targetresult", object_id=str(result.pk))
    assert (event.transition, event.actor.username, event.data["period"]) == (
        "target_report",
        "head-tkth",
        "2023-Q1",
    )


def test_a_report_after_the_deadline_is_accepted_and_marked_late(
    demo: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    clear_results("tkth")
    stand_on(monkeypatch, Q1_LATE)
    result = services.result_report(
        actor=builders.person("head-tkth"), target=target("chuong-trinh"), period="2023-Q1", value="100"
    )
    assert result.late and result.met


@pytest.mark.parametrize(
    ("code", "period", "fields", "message"),
    [
        ("chuong-trinh", "2023-Q1", {"value": "nhiều"}, "tỷ lệ phần trăm"),
        ("chuong-trinh", "2023-Q1", {"value": "120"}, "từ 0 đến 100"),
        ("vi-thu", "2023-Y", {"value": "1.5"}, "số bậc nguyên"),
        ("nien-giam", "2023-H1", {"value": "100"}, "cần ngày hoàn thành"),
        ("chuong-trinh", "2022-Q4", {"value": "100"}, "ngoài thời gian"),
        ("chuong-trinh", "2023-M01", {"value": "100"}, "không theo dõi"),
        ("chuong-trinh", "Q1", {"value": "100"}, "không hợp lệ"),
        ("nien-giam", "2023-H1", {"delivered_on": "31/12/2099"}, "sau hôm nay"),
        ("nien-giam", "2023-H1", {"delivered_on": "30/02/2023"}, "dd/mm/yyyy"),
    ],
)
def test_bad_input_is_a_clear_message_on_the_page_and_a_400_from_the_api_and_writes_nothing(
    q1: None, api: Callable[[str], APIClient], code: str, period: str, fields: dict[str, str], message: str
) -> None:
    before = (TargetResult.objects.count(), AuditEvent.objects.count())
    page = post_report(builders.signed_in("head-tkth"), code, period, **fields)
    assert page.status_code == 200 and message in page.content.decode()
    response = api("head-tkth").post(
        "/api/target-results/", {"target": target(code).pk, "period": period, **fields}, format="json"
    )
    assert response.status_code == 400, response.content
    assert message in str(response.json())
    assert (TargetResult.objects.count(), AuditEvent.objects.count()) == before


def test_a_file_that_is_not_a_document_is_refused(q1: None, api: Callable[[str], APIClient]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    html = SimpleUploadedFile(
        "x.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )
    response = api("head-tkth").post(
        "/api/target-results/",
        {"target": target("chuong-trinh").pk, "period": "2023-Q1", "value": "100", "files": [html]},
        format="multipart",
    )
    assert response.status_code == 400 and "PDF" in str(response.json())
    assert not TargetResult.objects.filter(unit__code="tkth").exists()


def test_the_office_confirms_then_an_edit_is_refused_until_reopened_all_audited(
    q1: None, api: Callable[[str], APIClient]
) -> None:
    head, office = api("head-tkth"), api("office1")
    created = head.post(
        "/api/target-results/", {"target": target("chuong-trinh").pk, "period": "2023-Q1", "value": "99"}
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["met"] is False
    assert head.post(f"/api/target-results/{pk}/confirm/").status_code == 403
    assert office.post(f"/api/target-results/{pk}/confirm/").json()["state"] == "confirmed"
    again = head.post(
        "/api/target-results/", {"target": target("chuong-trinh").pk, "period": "2023-Q1", "value": "100"}
    )
    assert again.status_code == 409 and "mở lại" in again.json()["detail"]
    assert office.post(f"/api/target-results/{pk}/reopen/", {"reason": ""}).status_code == 400
    assert (
        office.post(
            f"/api/target-results/{pk}/reopen/", {"reason": "Số liệu quý 1 được điều chỉnh"}
        ).status_code
        == 200
    )
    fixed = head.post(
        "/api/target-results/", {"target": target("chuong-trinh").pk, "period": "2023-Q1", "value": "100"}
    )
    assert fixed.status_code == 201 and fixed.json()["met"] is True
    steps = list(
        AuditEvent.objects.filter(object_type="nominations.targetresult", object_id=str(pk))
        .order_by("seq")
        .values_list("transition", flat=True)
    )
    assert steps == ["target_report", "target_confirm", "target_reopen", "target_correct"]


def test_the_office_returns_a_report_with_a_reason_and_the_head_is_told(
    q1: None, django_capture_on_commit_callbacks: Any
) -> None:
    result = services.result_report(
        actor=builders.person("head-tkth"), target=target("chuong-trinh"), period="2023-Q1", value="100"
    )
    office = builders.signed_in("office1")
    assert "Xác nhận kết quả" in office.get(f"/chi-tieu/ket-qua/{result.pk}/").content.decode()
    mail.outbox.clear()
    empty = office.post(f"/chi-tieu/ket-qua/{result.pk}/return/", {"reason": " "}, follow=True)
    assert "Cần nêu lý do" in empty.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        office.post(f"/chi-tieu/ket-qua/{result.pk}/return/", {"reason": "Thiếu minh chứng"})
    result.refresh_from_db()
    assert (result.state, result.return_reason) == (TargetResult.State.RETURNED, "Thiếu minh chứng")
    assert any("Thiếu minh chứng" in m.body for m in mail.outbox)
    page = builders.signed_in("head-tkth").get("/chi-tieu/?period=2023-Q1").content.decode()
    assert "Thiếu minh chứng" in page


def test_a_unit_sees_only_its_own_results_through_page_api_and_admin(
    demo: None, api: Callable[[str], APIClient]
) -> None:
    other = TargetResult.objects.filter(unit__code="tkkt").first()
    assert other is not None
    assert builders.signed_in("head-tkth").get(f"/chi-tieu/ket-qua/{other.pk}/").status_code == 404
    assert api("head-tkth").get(f"/api/target-results/{other.pk}/").status_code == 404
    assert api("head-tkth").post(f"/api/target-results/{other.pk}/confirm/").status_code == 404
    listed = api("head-tkth").get("/api/target-results/?page_size=500").json()
    assert {row["unit"] for row in listed["results"]} == {"tkth"}
    assert builders.signed_in("head-tkth").get("/chi-tieu/theo-doi/").status_code == 403
    assert api("staff-tkth-1").get("/api/target-results/").json()["count"] == 0
    from django.contrib.admin.sites import site
    from django.test import RequestFactory

    from nominations.models import TargetResult as Model

    request = RequestFactory().get("/admin/")
    request.user = builders.person("head-tkth")
    assert set(site._registry[Model].get_queryset(request).values_list("unit__code", flat=True)) == {"tkth"}


def test_reminders_go_once_to_units_that_have_not_reported(
    demo: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    clear_results("tkth")
    stand_on(monkeypatch, datetime.date(2023, 4, 5))  # Q1's deadline (7/4) is 2 days away
    mail.outbox.clear()
    call_command("send_target_reminders", "--today", "2023-04-05", stdout=__import__("io").StringIO())
    first = [m for m in mail.outbox if "Nhắc báo cáo" in m.subject]
    assert first and all("head-tkth" in " ".join(m.to) or m.to for m in first)
    recipients = {address for m in first for address in m.to}
    assert builders.person("head-tkth").email in recipients
    assert builders.person("head-tkkt").email not in recipients  # the demo's results are in
    mail.outbox.clear()
    call_command("send_target_reminders", "--today", "2023-04-05", stdout=__import__("io").StringIO())
    assert not [m for m in mail.outbox if "Nhắc báo cáo" in m.subject]


def test_the_deadline_counts_working_days_and_skips_the_holidays_on_record(q1: None) -> None:
    from workflow.models import Holiday

    assert services.report_due(datetime.date(2023, 3, 31), 5) == datetime.date(2023, 4, 7)
    Holiday.objects.create(day=datetime.date(2023, 4, 5), name="Nghỉ bù (minh họa)")
    result = services.result_report(
        actor=builders.person("head-tkth"), target=target("chuong-trinh"), period="2023-Q1", value="100"
    )
    assert result.due_on == datetime.date(2023, 4, 10)
