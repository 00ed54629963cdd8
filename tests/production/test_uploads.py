"""Dossier uploads over the real pages and the API: the type is read from the content, the size is
limited, names are made safe, files are only ever downloads, and nothing serves MEDIA_ROOT directly."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.views.static import serve
from docx import Document
from rest_framework.test import APIClient

from nominations.models import DossierFile, Nomination
from tests.api.conftest import token_for
from tests.builders import core as builders

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
# Starts like a PDF (so it is accepted as one) but carries HTML: it must still never render as a page.
POLYGLOT = builders.PDF_BYTES + b"<html><script>alert(1)</script></html>"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def word_file() -> bytes:
    doc = Document()
    doc.add_paragraph("Báo cáo thành tích")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def empty_draft() -> Nomination:
    return builders.draft(award="LDTT", nominee="staff-tkth-2", files=False)


def api_client(username: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(username)}")
    return client


def upload_on_page(nomination: Nomination, name: str, content: bytes, kind: str = "to_trinh") -> str:
    """The unit head adds a file on the edit page; returns the page shown after the redirect."""
    response = builders.signed_in("head-tkth").post(
        reverse("dossier_file_add", args=[nomination.pk]),
        {"kind": kind, "file": SimpleUploadedFile(name, content)},
        follow=True,
    )
    assert response.status_code == 200
    return str(response.content.decode())


def upload_over_api(nomination: Nomination, name: str, content: bytes, kind: str = "to_trinh") -> Any:
    return api_client("head-tkth").post(
        f"/api/nominations/{nomination.pk}/attachments/",
        {"file": SimpleUploadedFile(name, content), "kind": kind},
        format="multipart",
    )


def files_on_disk(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- the type comes from the content ------------------------------------------------------------------
def test_html_named_pdf_is_refused_on_the_page_and_over_the_api_and_nothing_is_written(_media: Path) -> None:
    nomination = empty_draft()
    page = upload_on_page(nomination, "bao-cao.pdf", HTML)
    assert "Chỉ nhận tệp PDF hoặc văn bản Word, Excel, OpenDocument" in page
    response = upload_over_api(nomination, "bao-cao.pdf", HTML)
    assert response.status_code == 400
    assert "nhận dạng theo nội dung tệp" in response.json()["file"][0]
    assert not nomination.files.exists()
    assert files_on_disk(_media) == []


def test_html_named_pdf_refuses_the_whole_creation_form_with_a_form_error() -> None:
    response = builders.signed_in("head-tkth").post(
        reverse("nomination_create"),
        builders.creation_form(file_to_trinh=SimpleUploadedFile("to-trinh.pdf", HTML, content_type=PDF)),
    )
    assert response.status_code == 400
    assert "Chỉ nhận tệp PDF" in response.context["form"].errors["file_to_trinh"][0]
    assert not Nomination.objects.filter(nominee_person__username="staff-tkth-2").exists()


def test_a_real_pdf_renamed_docx_is_stored_and_served_as_a_pdf() -> None:
    nomination = empty_draft()
    upload_on_page(nomination, "to-trinh.docx", builders.PDF_BYTES)
    response = upload_over_api(nomination, "bao-cao.docx", builders.PDF_BYTES, kind="bao_cao")
    assert response.status_code == 201, response.content
    assert response.json()["content_type"] == PDF
    for row in nomination.files.all():
        assert row.content_type == PDF
        assert row.file.name.endswith(".pdf")
        download = builders.signed_in("office1").get(
            reverse("dossier_file_download", args=[nomination.pk, row.pk])
        )
        assert download["Content-Type"] == PDF
        assert re.search(r'filename="[^"]+\.pdf"', download["Content-Disposition"])


def test_a_word_file_named_pdf_is_stored_as_word() -> None:
    nomination = empty_draft()
    response = upload_over_api(nomination, "bien-ban.pdf", word_file(), kind="bien_ban")
    assert response.status_code == 201, response.content
    row = nomination.files.get()
    assert (row.content_type, Path(row.file.name).suffix) == (DOCX, ".docx")


def test_a_pdf_carrying_html_is_only_ever_a_pdf_download() -> None:
    nomination = empty_draft()
    assert upload_over_api(nomination, "trang.html", POLYGLOT).status_code == 201
    row = nomination.files.get()
    for response in (
        builders.signed_in("office1").get(reverse("dossier_file_download", args=[nomination.pk, row.pk])),
        api_client("office1").get(f"/api/nominations/{nomination.pk}/attachments/{row.pk}/"),
    ):
        assert response.status_code == 200
        assert response["Content-Type"] == PDF
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]
        assert b"".join(response.streaming_content) == POLYGLOT


# --- size --------------------------------------------------------------------------------------------
def test_a_file_over_the_size_limit_is_a_clear_form_error_and_a_400(settings: Any, _media: Path) -> None:
    settings.DOSSIER_MAX_BYTES = 4096
    big = builders.PDF_BYTES + b"0" * 5000
    nomination = empty_draft()
    page = upload_on_page(nomination, "lon.pdf", big)
    assert "Tệp quá lớn" in page and "tối đa 4,0" in page
    response = upload_over_api(nomination, "lon.pdf", big)
    assert response.status_code == 400
    assert response.json()["file"][0].startswith("Tệp quá lớn")
    # just under the limit is accepted
    assert upload_over_api(nomination, "vua.pdf", builders.PDF_BYTES + b"0" * 4000).status_code == 201
    assert nomination.files.count() == 1
    assert len(files_on_disk(_media)) == 1


# --- names -------------------------------------------------------------------------------------------
HOSTILE_NAMES = [
    "../../etc/passwd.pdf",
    "..\\..\\Windows\\system32\\evil.pdf",
    "/tmp/absolute.pdf",
    "Báo cáo thành tích Đợt 1 (bản cuối).pdf",
    "<script>alert(1)</script>.pdf",
    '"; filename=evil.html.pdf',
    "x" * 300 + ".pdf",
    "«»?*.pdf",
]


@pytest.mark.parametrize("through", ["page", "api"])
def test_file_names_are_made_safe_and_stay_inside_the_media_root(through: str, _media: Path) -> None:
    nomination = empty_draft()
    for name in HOSTILE_NAMES:
        if through == "page":
            upload_on_page(nomination, name, builders.PDF_BYTES)
        else:
            assert upload_over_api(nomination, name, builders.PDF_BYTES).status_code == 201
    rows = list(nomination.files.order_by("pk"))
    assert len(rows) == len(HOSTILE_NAMES)
    for row in rows:
        stored = Path(row.file.path).resolve()
        assert stored.is_relative_to((_media / "dossiers").resolve())
        assert re.fullmatch(r"[A-Za-z0-9_-]{1,90}\.pdf", stored.name), stored.name
        assert "/" not in row.original_name and "\\" not in row.original_name
        download = builders.signed_in("head-tkth").get(
            reverse("dossier_file_download", args=[nomination.pk, row.pk])
        )
        disposition = download["Content-Disposition"]
        assert re.fullmatch(r'attachment; filename="[A-Za-z0-9_-]+\.pdf"', disposition), disposition
    assert sorted(p.resolve() for p in files_on_disk(_media)) == sorted(Path(r.file.path) for r in rows)
    assert not (_media.parent / "etc").exists()
    names = {row.original_name: Path(row.file.name).name for row in rows}
    assert names["Báo cáo thành tích Đợt 1 (bản cuối).pdf"].startswith("Bao-cao-thanh-tich-Dot-1-ban-cuoi")
    assert names["passwd.pdf"].startswith("passwd")
    assert names["«»?*.pdf"].startswith("tai-lieu")


def test_the_unicode_name_is_kept_for_display_and_the_download_name_is_its_ascii_form() -> None:
    nomination = empty_draft()
    response = upload_over_api(nomination, "Tờ trình số 12 Đợt 2.pdf", builders.PDF_BYTES)
    assert response.json()["name"] == "Tờ trình số 12 Đợt 2.pdf"
    page = (
        builders.signed_in("head-tkth")
        .get(reverse("nomination_detail", args=[nomination.pk]))
        .content.decode()
    )
    assert "Tờ trình số 12 Đợt 2.pdf" in page
    row = nomination.files.get()
    download = api_client("office1").get(f"/api/nominations/{nomination.pk}/attachments/{row.pk}/")
    assert download["Content-Disposition"] == 'attachment; filename="To-trinh-so-12-Dot-2.pdf"'


# --- downloads ---------------------------------------------------------------------------------------
def test_only_those_who_see_the_nomination_download_its_files() -> None:
    nomination = builders.draft(award="LDTT", nominee="staff-tkth-2")
    row = nomination.files.first()
    assert row is not None
    page_url = reverse("dossier_file_download", args=[nomination.pk, row.pk])
    api_url = f"/api/nominations/{nomination.pk}/attachments/{row.pk}/"
    for username in ("head-tkth", "office1", "auditor"):
        assert builders.signed_in(username).get(page_url).status_code == 200
        assert api_client(username).get(api_url).status_code == 200
    assert builders.signed_in("head-tkkt").get(page_url).status_code == 404
    assert api_client("head-tkkt").get(api_url).status_code == 404
    assert Client().get(page_url).status_code == 302  # to the login page
    assert APIClient().get(api_url).status_code == 401
    other = builders.draft(award="LDTT", nominee="staff-tkth-3", files=False)
    # a file id under the wrong nomination is not found either
    assert (
        builders.signed_in("office1")
        .get(reverse("dossier_file_download", args=[other.pk, row.pk]))
        .status_code
        == 404
    )
    assert api_client("office1").get(f"/api/nominations/{other.pk}/attachments/{row.pk}/").status_code == 404


def _patterns(resolver: URLResolver, prefix: str = "") -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            found += _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            found.append((prefix + str(entry.pattern), entry.callback))
    return found


def test_no_url_serves_the_media_root_directly(settings: Any) -> None:
    patterns = _patterns(get_resolver())
    assert all(callback is not serve for _route, callback in patterns)
    assert not [route for route, _callback in patterns if "media" in route]
    nomination = builders.draft(award="LDTT", nominee="staff-tkth-2")
    row = nomination.files.first()
    assert row is not None and Path(row.file.path).exists()
    office = builders.signed_in("office1")
    for url in (
        f"/media/{row.file.name}",
        f"{settings.MEDIA_URL}{row.file.name}",
        f"/static/../media/{row.file.name}",
        f"/{row.file.name}",
    ):
        response = office.get(url)
        assert response.status_code == 404, url
        assert builders.PDF_BYTES not in b"".join(getattr(response, "streaming_content", [response.content]))


def test_uploads_are_stored_outside_the_static_files(settings: Any) -> None:
    media = Path(settings.MEDIA_ROOT).resolve()
    for public in (Path(settings.STATIC_ROOT), *map(Path, settings.STATICFILES_DIRS)):
        assert not media.is_relative_to(public.resolve())


def test_a_media_root_inside_the_static_root_stops_the_start_up(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"MEDIA_ROOT", "STATIC_ROOT"}}
    env.update(
        DEBUG="true", STATIC_ROOT=str(tmp_path / "static"), MEDIA_ROOT=str(tmp_path / "static" / "media")
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "MEDIA_ROOT" in result.stderr and "must not contain one another" in result.stderr


# --- a file gone from the disk -----------------------------------------------------------------------
def test_a_file_missing_from_the_disk_is_a_clear_message_not_a_server_error() -> None:
    nomination = builders.draft(award="LDTT", nominee="staff-tkth-2", files=False)
    builders.nomination_services.dossier_file_add(
        nomination=nomination,
        actor=builders.person("head-tkth"),
        upload=builders.pdf("Tờ trình.pdf"),
        kind=DossierFile.Kind.SUBMISSION,
    )
    row = nomination.files.get()
    os.remove(row.file.path)

    office = builders.signed_in("office1")
    page = office.get(reverse("dossier_file_download", args=[nomination.pk, row.pk]))
    assert page.status_code == 404
    text = page.content.decode()
    assert "Tệp “Tờ trình.pdf” của hồ sơ không còn trên máy chủ" in text
    assert reverse("nomination_detail", args=[nomination.pk]) in text  # a way back
    detail = office.get(reverse("nomination_detail", args=[nomination.pk]))
    assert detail.status_code == 200 and "Tờ trình.pdf" in detail.content.decode()

    response = api_client("office1").get(f"/api/nominations/{nomination.pk}/attachments/{row.pk}/")
    assert response.status_code == 404
    assert "không còn trên máy chủ" in response.json()["detail"]
    assert api_client("office1").get(f"/api/nominations/{nomination.pk}/").status_code == 200
