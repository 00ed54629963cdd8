"""Dossier files in place (htmx) over HTTP: an `HX-Request` upload or delete answers with the file panel
alone, a refused file named on its own field with the kind chosen kept, 403/404 for someone without the
right; without htmx the same URLs post and redirect as before. Both a nomination's dossier and a unit's
shared papers, through the one panel; and the rows of a unit's list offer what the nomination page does."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from nominations.models import DossierFile, SubmissionFile
from tests.builders.core import PDF_BYTES, draft, person, signed_in
from tests.submissions.support import submission_of
from workflow.models import AuditEvent
from workflow.services import submissions as submission_services
from workflow.services import transitions

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def not_a_pdf(name: str = "anh.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"\x89PNG\r\n\x1a\n", content_type="application/pdf")


def test_an_upload_in_place_answers_with_the_file_panel_alone(demo: None) -> None:
    nomination = draft(files=False)
    response = signed_in("head-tkth").post(
        f"/ho-so/{nomination.pk}/tai-lieu/", {"kind-0": "bao_cao", "file-0": pdf("bao-cao.pdf")}, **HX
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="file-panel"') and "<html" not in body
    assert "bao-cao.pdf" in body and "Đã thêm 1 tài liệu." in body
    assert 'hx-post="/ho-so/' in body and "data-confirm=" in body  # its rows can be deleted in place
    assert list(nomination.files.values_list("kind", flat=True)) == [DossierFile.Kind.ACHIEVEMENT_REPORT]
    assert AuditEvent.objects.filter(nomination=nomination, kind=AuditEvent.Kind.FILE_ADDED).count() == 1


def test_a_refused_file_is_named_on_its_field_and_the_kinds_chosen_stay(demo: None) -> None:
    nomination = draft(files=False)
    response = signed_in("head-tkth").post(
        f"/ho-so/{nomination.pk}/tai-lieu/",
        {"kind-0": "bao_cao", "file-0": pdf("bao-cao.pdf"), "kind-1": "minh_chung", "file-1": not_a_pdf()},
        **HX,
    )
    body = response.content.decode()
    assert response.status_code == 422
    field = body.split('id="file-1"')[1].split("</div>")[0]
    assert 'aria-describedby="file-1-error"' in body and "is-invalid" in body.split('id="file-1"')[0][-200:]
    assert "anh.pdf" in field and 'id="file-1-error"' in field
    kind = body.split('id="kind-1"')[1].split("</select>")[0]
    assert '<option value="minh_chung" selected>' in kind  # the kind chosen for the refused file
    assert "Đã thêm 1 tài liệu." in body and "bao-cao.pdf" in body  # the good one was kept
    assert nomination.files.count() == 1


def test_an_empty_send_in_place_asks_for_a_file_on_the_first_field(demo: None) -> None:
    nomination = draft(files=False)
    response = signed_in("head-tkth").post(f"/ho-so/{nomination.pk}/tai-lieu/", {"kind-0": "bao_cao"}, **HX)
    assert response.status_code == 422
    assert "Chọn ít nhất một tệp." in response.content.decode().split('id="file-0-error"')[1]


def test_a_delete_in_place_answers_with_the_rows_left(demo: None) -> None:
    nomination = draft()
    kept, gone = list(nomination.files.order_by("pk"))[:2]
    response = signed_in("head-tkth").post(f"/ho-so/{nomination.pk}/tai-lieu/{gone.pk}/xoa/", **HX)
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith('<div id="file-panel"')
    assert f'data-file="{kept.pk}"' in body and f'data-file="{gone.pk}"' not in body
    assert f"Đã xóa tệp “{gone.original_name}”." in body
    assert not DossierFile.objects.filter(pk=gone.pk).exists()
    assert AuditEvent.objects.filter(nomination=nomination, kind=AuditEvent.Kind.FILE_REMOVED).count() == 1


@pytest.mark.parametrize("username, status", [("head-tkkt", 404), ("office1", 403)])
def test_someone_without_the_right_gets_no_panel_and_changes_nothing(
    demo: None, username: str, status: int
) -> None:
    """Another unit's head does not see the nomination (404); the office sees it but may not change it."""
    nomination = draft()
    f = nomination.files.first()
    assert f is not None
    client = signed_in(username)
    add = client.post(f"/ho-so/{nomination.pk}/tai-lieu/", {"kind-0": "khac", "file-0": pdf("x.pdf")}, **HX)
    remove = client.post(f"/ho-so/{nomination.pk}/tai-lieu/{f.pk}/xoa/", **HX)
    assert (add.status_code, remove.status_code) == (status, status)
    assert 'id="file-panel"' not in add.content.decode() + remove.content.decode()
    assert DossierFile.objects.filter(pk=f.pk).exists() and not nomination.files.filter(kind="khac").exists()


def test_a_delete_of_a_sent_nomination_is_refused_in_the_panel(demo: None) -> None:
    nomination = draft()
    f = nomination.files.first()
    assert f is not None
    transitions.nomination_submit(nomination=nomination, actor=person("head-tkth"))
    response = signed_in("head-tkth").post(f"/ho-so/{nomination.pk}/tai-lieu/{f.pk}/xoa/", **HX)
    body = response.content.decode()
    assert response.status_code == 409 and 'id="file-panel-error"' in body
    assert "dự thảo hoặc bị trả lại" in body and "file-upload" not in body  # nothing more to change
    assert DossierFile.objects.filter(pk=f.pk).exists()


def test_without_javascript_the_same_urls_post_and_redirect(demo: None) -> None:
    nomination = draft(files=False)
    client = signed_in("head-tkth")
    added = client.post(
        f"/ho-so/{nomination.pk}/tai-lieu/",
        {"kind-0": "bao_cao", "file-0": pdf("b.pdf"), "back": f"/ho-so/{nomination.pk}/"},
    )
    assert added.status_code == 302 and added["Location"] == f"/ho-so/{nomination.pk}/"
    f = nomination.files.get()
    asked = client.post(f"/ho-so/{nomination.pk}/tai-lieu/{f.pk}/xoa/")
    assert asked.status_code == 200 and 'id="confirm-remove"' in asked.content.decode()
    gone = client.post(f"/ho-so/{nomination.pk}/tai-lieu/{f.pk}/xoa/", {"confirmed": "1"})
    assert gone.status_code == 302 and gone["Location"] == f"/ho-so/{nomination.pk}/sua/"
    assert not nomination.files.exists()
    elsewhere = client.post(
        f"/ho-so/{nomination.pk}/tai-lieu/",
        {"kind-0": "bao_cao", "file-0": pdf("b.pdf"), "back": "https://x.example/"},
    )
    assert elsewhere["Location"] == f"/ho-so/{nomination.pk}/sua/"  # never leaves the site


def test_the_nomination_page_offers_the_panel_to_who_may_change_it(demo: None) -> None:
    nomination = draft()
    head = signed_in("head-tkth").get(f"/ho-so/{nomination.pk}/").content.decode()
    office = signed_in("office1").get(f"/ho-so/{nomination.pk}/").content.decode()
    assert 'id="file-upload"' in head and 'class="file-remove"' in head and "js/confirm.js" in head
    assert 'id="file-panel"' in office and 'id="file-upload"' not in office and "file-remove" not in office
    assert nomination.files.first().original_name in office  # type: ignore[union-attr]


def test_shared_papers_in_place_update_the_missing_column_out_of_band(demo: None) -> None:
    submission = submission_of()
    nomination = draft(files=False)
    nomination.submission = submission
    nomination.save(update_fields=["submission"])
    client = signed_in("head-tkth")
    response = client.post(
        f"/ho-so-don-vi/{submission.pk}/tai-lieu/",
        {"kind-0": "to_trinh", "file-0": pdf("to-trinh.pdf")},
        **HX,
    )
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith('<div id="file-panel"')
    assert "to-trinh.pdf" in body
    assert '<div id="nominees-block" hx-swap-oob="true">' in body
    row = body.split(f'data-nomination="{nomination.pk}"')[1]
    missing = row.split('class="missing"')[1].split(">", 1)[1].split("</td>")[0]
    assert "Tờ trình" not in missing
    shared = SubmissionFile.objects.get(submission=submission)
    gone = client.post(f"/ho-so-don-vi/{submission.pk}/tai-lieu/{shared.pk}/xoa/", **HX)
    assert gone.status_code == 200 and f'data-file="{shared.pk}"' not in gone.content.decode()
    assert not SubmissionFile.objects.filter(pk=shared.pk).exists()
    submission_services.submission_file_add(
        submission=submission, actor=person("head-tkth"), upload=pdf("bb.pdf"), kind="bien_ban"
    )
    row = SubmissionFile.objects.get(submission=submission)
    assert (
        signed_in("office1").post(f"/ho-so-don-vi/{submission.pk}/tai-lieu/{row.pk}/xoa/", **HX).status_code
        == 403
    )
    assert (
        signed_in("head-tkkt").post(f"/ho-so-don-vi/{submission.pk}/tai-lieu/{row.pk}/xoa/", **HX).status_code
        == 404
    )


def test_the_rows_of_a_list_offer_what_the_nomination_page_offers(demo: None) -> None:
    submission = submission_of()
    nomination = draft()
    nomination.submission = submission
    nomination.save(update_fields=["submission"])
    row = signed_in("head-tkth").get(f"/ho-so-don-vi/{submission.pk}/").content.decode()
    cells = row.split(f'data-nomination="{nomination.pk}"')[1].split("</tr>")[0]
    assert f"/ho-so/{nomination.pk}/sua/" in cells  # edit: Perm.CHANGE on this nomination, editable
    assert f"/ho-so/{nomination.pk}/thao-tac/submit/" in cells
    assert "/thao-tac/withdraw/" not in cells and f"/bo/{nomination.pk}/" in cells  # a draft is taken off
    transitions.nomination_submit(nomination=nomination, actor=person("head-tkth"))
    office = signed_in("office1").get(f"/ho-so-don-vi/{submission.pk}/").content.decode()
    cells = office.split(f'data-nomination="{nomination.pk}"')[1].split("</tr>")[0]
    assert f"/ho-so/{nomination.pk}/thao-tac/return/" in cells and "/sua/" not in cells
    assert "/thao-tac/mark_ineligible/" in cells  # irreversible: a link to the page that asks


def test_nothing_is_offered_on_a_row_to_someone_holding_nothing_on_it(demo: None) -> None:
    submission = submission_of()
    nomination = draft()
    nomination.submission = submission
    nomination.save(update_fields=["submission"])
    page = signed_in("auditor").get(f"/ho-so-don-vi/{submission.pk}/")  # reads the agency, changes nothing
    assert page.status_code == 200
    cells = page.content.decode().split(f'data-nomination="{nomination.pk}"')[1].split("</tr>")[0]
    assert "/thao-tac/" not in cells and "/sua/" not in cells and "/bo/" not in cells
    assert 'id="file-upload"' not in page.content.decode()
