"""The submission pages over HTTP: the unit head's list (import with preview, add, remove, shared papers,
submit all with a confirmation) and the office's view with counts and returning a whole list; and the
dossier's several-files form that keeps what passed."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from nominations.models import DossierFile, Nomination, State, Submission, SubmissionFile
from tests.builders.core import PDF_BYTES, annual_campaign, draft, person, signed_in
from tests.submissions.support import add_staff, row, submission_of, upload, xlsx_bytes

pytestmark = pytest.mark.django_db


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def test_unit_head_opens_the_submission_from_the_page(demo: None) -> None:
    client = signed_in("head-tkth")
    page = client.get("/ho-so-don-vi/")
    assert page.status_code == 200 and "Lập hồ sơ của đơn vị" in page.content.decode()
    response = client.post("/ho-so-don-vi/", {"campaign": annual_campaign().pk})
    submission = Submission.objects.get(unit=person("head-tkth").unit, campaign=annual_campaign())
    assert response.status_code == 302 and response["Location"] == f"/ho-so-don-vi/{submission.pk}/"


def test_import_preview_then_commit_creates_the_rows(demo: None) -> None:
    submission = submission_of()
    staff = add_staff("tkth", 3)
    client = signed_in("head-tkth")
    bad = xlsx_bytes([row(staff[0].full_name), row("Ai Đó Không Có")])
    preview = client.post(f"/ho-so-don-vi/{submission.pk}/nhap/", {"file": upload(bad)})
    body = preview.content.decode()
    assert preview.status_code == 200 and "Ai Đó Không Có" in body and "chưa nhập dòng nào" in body
    assert client.post(f"/ho-so-don-vi/{submission.pk}/nhap/xac-nhan/").status_code == 302
    assert not submission.nominations.exists()  # nothing waited in the session after a preview with errors
    good = xlsx_bytes([row(p.full_name) for p in staff])
    preview = client.post(f"/ho-so-don-vi/{submission.pk}/nhap/", {"file": upload(good)})
    assert "Sẽ thêm 3 đối tượng" in preview.content.decode()
    assert not submission.nominations.exists()
    done = client.post(f"/ho-so-don-vi/{submission.pk}/nhap/xac-nhan/", follow=True)
    assert "Đã nhập 3 đối tượng" in done.content.decode()
    assert submission.nominations.count() == 3


def test_not_a_spreadsheet_is_a_clear_form_error_on_the_page(demo: None) -> None:
    submission = submission_of()
    response = signed_in("head-tkth").post(
        f"/ho-so-don-vi/{submission.pk}/nhap/", {"file": upload(b"hello", "a.xlsx")}
    )
    assert response.status_code == 400 and "không phải bảng tính Excel" in response.content.decode()


def test_shared_files_several_at_once_keep_the_good_ones(demo: None) -> None:
    submission = submission_of()
    client = signed_in("head-tkth")
    response = client.post(
        f"/ho-so-don-vi/{submission.pk}/tai-lieu/",
        {
            "kind-0": "to_trinh",
            "file-0": pdf("to-trinh.pdf"),
            "kind-1": "bien_ban",
            "file-1": SimpleUploadedFile("bien-ban.html", b"<html>no</html>", content_type="text/html"),
            "kind-2": "khac",
            "file-2": pdf("khac.pdf"),
        },
        follow=True,
    )
    body = response.content.decode()
    assert "Đã thêm 2 tài liệu" in body and "bien-ban.html" in body
    assert sorted(SubmissionFile.objects.filter(submission=submission).values_list("kind", flat=True)) == [
        "khac",
        "to_trinh",
    ]
    shared = SubmissionFile.objects.get(submission=submission, kind="to_trinh")
    download = signed_in("office1").get(f"/ho-so-don-vi/{submission.pk}/tai-lieu/{shared.pk}/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    other = signed_in("head-tkkt").get(f"/ho-so-don-vi/{submission.pk}/tai-lieu/{shared.pk}/")
    assert other.status_code == 404


def test_dossier_form_takes_several_files_and_keeps_those_that_passed(demo: None) -> None:
    nomination = draft(files=False)
    client = signed_in("head-tkth")
    response = client.post(
        f"/ho-so/{nomination.pk}/tai-lieu/",
        {
            "kind-0": "bao_cao",
            "file-0": pdf("bao-cao.pdf"),
            "kind-1": "minh_chung",
            "file-1": SimpleUploadedFile("x.exe", b"MZ\x90\x00", content_type="application/octet-stream"),
        },
        follow=True,
    )
    assert "Đã thêm 1 tài liệu" in response.content.decode()
    assert list(nomination.files.values_list("kind", flat=True)) == [DossierFile.Kind.ACHIEVEMENT_REPORT]
    page = client.get(f"/ho-so/{nomination.pk}/sua/").content.decode()
    assert 'name="file-2"' in page and "bao-cao.pdf" in page


def test_submit_all_asks_for_confirmation_and_reports_every_failure(demo: None) -> None:
    submission = submission_of()
    client = signed_in("head-tkth")
    client.post(
        f"/ho-so-don-vi/{submission.pk}/them/",
        {
            "nominee": f"person:{person('staff-tkth-1').pk}",
            "award": _award("LDTT"),
            "rating": "htxs",
            "summary": "x",
        },
    )
    nomination = submission.nominations.get()
    confirm = client.get(f"/ho-so-don-vi/{submission.pk}/gui/")
    assert confirm.status_code == 200 and "Xác nhận gửi" in confirm.content.decode()
    refused = client.post(f"/ho-so-don-vi/{submission.pk}/gui/")
    assert refused.status_code == 409
    assert "Điều 84" in refused.content.decode() and f"Hồ sơ số {nomination.pk}" in refused.content.decode()
    client.post(f"/ho-so/{nomination.pk}/tai-lieu/", {"kind-0": "bao_cao", "file-0": pdf("b.pdf")})
    client.post(
        f"/ho-so-don-vi/{submission.pk}/tai-lieu/",
        {"kind-0": "to_trinh", "file-0": pdf("t.pdf"), "kind-1": "bien_ban", "file-1": pdf("bb.pdf")},
    )
    assert client.post(f"/ho-so-don-vi/{submission.pk}/gui/").status_code == 302
    nomination.refresh_from_db()
    assert nomination.state == State.SUBMITTED


def test_duplicate_row_added_on_the_page_names_the_existing_one(demo: None) -> None:
    submission = submission_of()
    existing = draft(files=False, nominee="staff-tkth-1")
    response = signed_in("head-tkth").post(
        f"/ho-so-don-vi/{submission.pk}/them/",
        {
            "nominee": f"person:{person('staff-tkth-1').pk}",
            "award": _award("LDTT"),
            "rating": "htxs",
            "summary": "x",
        },
    )
    assert response.status_code == 400 and f"Đã có hồ sơ số {existing.pk}" in response.content.decode()


def test_remove_row_withdraws_the_draft(demo: None) -> None:
    submission = submission_of()
    client = signed_in("head-tkth")
    client.post(
        f"/ho-so-don-vi/{submission.pk}/them/",
        {
            "nominee": f"person:{person('staff-tkth-1').pk}",
            "award": _award("LDTT"),
            "rating": "htxs",
            "summary": "x",
        },
    )
    nomination = submission.nominations.get()
    client.post(f"/ho-so-don-vi/{submission.pk}/bo/{nomination.pk}/")
    nomination.refresh_from_db()
    assert nomination.state == State.WITHDRAWN


def test_office_sees_every_unit_with_counts_and_other_heads_see_none(
    demo: None, django_assert_max_num_queries: Any
) -> None:
    for head in ("head-tkth", "head-tkkt"):
        submission_of(head)
    draft(files=False, nominee="staff-tkth-1")
    Nomination.objects.update(
        submission=Submission.objects.get(unit__code="tkth", campaign=annual_campaign())
    )
    office = signed_in("office1")
    office.get("/ho-so-don-vi/")
    with django_assert_max_num_queries(12):
        page = office.get("/ho-so-don-vi/")
    body = page.content.decode()
    assert "Phòng Thống kê Tổng hợp" in body and "Phòng Thống kê Kinh tế" in body
    other = signed_in("head-tkxh").get("/ho-so-don-vi/").content.decode()
    assert "Phòng Thống kê Tổng hợp" not in other
    tkth = Submission.objects.get(unit__code="tkth", campaign=annual_campaign())
    assert signed_in("head-tkxh").get(f"/ho-so-don-vi/{tkth.pk}/").status_code == 404
    assert signed_in("staff-tkth-1").get(f"/ho-so-don-vi/{tkth.pk}/").status_code == 404


def _award(code: str) -> int:
    from nominations.models import Award

    return Award.objects.get(code=code).pk
