"""Vietnamese first, English on request: the pages in both languages, the catalogues, viewflow's Vietnamese,
and the texts that stay Vietnamese whatever the reader chose (mail, the audit log's comments, documents)."""

from __future__ import annotations

import gettext
import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from viewflow.workflow.models import Process, Task

from nominations.models import State
from tests.builders import core as builders
from tests.builders import council as cb
from tests.builders.decisions import DAY, proposed
from workflow.models import AuditEvent
from workflow.services import decisions as decision_services
from workflow.services import reports as report_services

CATALOGUES = [
    path for root in settings.LOCALE_PATHS for path in sorted(Path(root).glob("*/LC_MESSAGES/*.po"))
]
OUR_CATALOGUE = {
    language: Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"
    for language in ("vi", "en")
}


# --- a small reader of .po files (enough for makemessages' output) ----------------------------------------
def _unquote(text: str) -> str:
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes[m.group(1)], text.strip()[1:-1])


def read_po(path: Path) -> list[dict[str, Any]]:
    """The entries of a catalogue: msgctxt, msgid, msgid_plural, msgstr {index: text}, flags, obsolete."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry: dict[str, Any] = {
            "msgctxt": None,
            "msgid": None,
            "msgid_plural": None,
            "msgstr": {},
            "flags": set(),
        }
        entry["obsolete"] = any(line.startswith("#~") for line in block.splitlines())
        key: tuple[str, int | None] | None = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#") or not line.strip():
                continue
            elif match := re.match(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")$', line):
                word, index, text = match.groups()
                if word == "msgstr":
                    key = ("msgstr", int(index) if index is not None else None)
                    entry["msgstr"][key[1]] = _unquote(text)
                else:
                    key = (word, None)
                    entry[word] = _unquote(text)
            else:
                assert key is not None, f"{path}: {line!r}"
                if key[0] == "msgstr":
                    entry["msgstr"][key[1]] += _unquote(line)
                else:
                    entry[key[0]] += _unquote(line)
        if entry["msgid"] is not None or entry["obsolete"]:
            entries.append(entry)
    return entries


def header(entries: list[dict[str, Any]]) -> dict[str, str]:
    (head,) = [e for e in entries if e["msgid"] == "" and e["msgctxt"] is None]
    return dict(line.split(": ", 1) for line in head["msgstr"][None].splitlines() if ": " in line)


def messages(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in entries if e["msgid"] and not e["obsolete"]]


PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w+\}")


# --- the catalogues ----------------------------------------------------------------------------------------
def test_every_message_of_the_english_catalogue_is_translated_and_none_is_fuzzy() -> None:
    entries = read_po(OUR_CATALOGUE["en"])
    assert header(entries)["Language"] == "en"
    assert header(entries)["Plural-Forms"].startswith("nplurals=2;")
    found = messages(entries)
    assert len(found) > 1000
    assert [e["msgid"] for e in found if "fuzzy" in e["flags"]] == []
    assert [e["msgid"] for e in entries if e["obsolete"]] == []
    untranslated = [e["msgid"] for e in found if not all(e["msgstr"].values())]
    assert untranslated == []
    plural = [e for e in found if e["msgid_plural"] is not None]
    assert plural and all(sorted(e["msgstr"]) == [0, 1] for e in plural)


def test_english_translations_keep_every_placeholder_of_the_vietnamese() -> None:
    wrong = []
    for e in messages(read_po(OUR_CATALOGUE["en"])):
        wanted = sorted(PLACEHOLDER.findall(e["msgid"]))
        wrong += [
            (e["msgid"], text) for text in e["msgstr"].values() if sorted(PLACEHOLDER.findall(text)) != wanted
        ]
    assert wrong == []


def test_english_translations_are_english_not_copies_of_the_vietnamese() -> None:
    # Proper names and the Vietnamese examples of what to type stay as they are.
    kept = re.compile(r"ThiĐua|Tiếng Việt|Ninh Thuận|QĐ-CTK|PHÓ CỤC TRƯỞNG|CỤC TRƯỞNG")
    vietnamese = re.compile(
        r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.IGNORECASE
    )
    copies, mixed = [], []
    for e in messages(read_po(OUR_CATALOGUE["en"])):
        for text in e["msgstr"].values():
            if text == e["msgid"] and text not in {"ThiĐua", "English"}:
                copies.append(text)
            if vietnamese.search(kept.sub("", text)):
                mixed.append(text)
    assert copies == [] and mixed == []


def test_the_vietnamese_catalogue_is_the_identity_of_the_same_messages() -> None:
    vi, en = read_po(OUR_CATALOGUE["vi"]), read_po(OUR_CATALOGUE["en"])
    assert header(vi)["Language"] == "vi"
    assert header(vi)["Plural-Forms"].startswith("nplurals=1;")
    assert {(e["msgctxt"], e["msgid"]) for e in messages(vi)} == {
        (e["msgctxt"], e["msgid"]) for e in messages(en)
    }
    assert [
        e["msgid"] for e in messages(vi) if set(e["msgstr"].values()) != {e["msgid"]} or "fuzzy" in e["flags"]
    ] == []


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_the_compiled_catalogue_is_up_to_date_with_its_po_file(po: Path, tmp_path: Path) -> None:
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt (GNU gettext) is not installed")
    fresh = tmp_path / "django.mo"
    subprocess.run([msgfmt, "--check", "-o", str(fresh), str(po)], check=True, capture_output=True)
    committed = po.with_suffix(".mo")
    assert committed.exists(), f"{committed} is missing: run manage.py compilemessages"
    if fresh.read_bytes() != committed.read_bytes():
        # Another msgfmt version may lay the same catalogue out differently: then the messages must agree.
        with fresh.open("rb") as a, committed.open("rb") as b:
            fresh_messages = gettext.GNUTranslations(a)._catalog  # type: ignore[attr-defined]
            committed_messages = gettext.GNUTranslations(b)._catalog  # type: ignore[attr-defined]
        assert committed_messages == fresh_messages, f"{committed} is stale: run manage.py compilemessages"


def test_viewflow_speaks_vietnamese_from_its_own_catalogue() -> None:
    with translation.override("vi"):
        assert str(Process._meta.verbose_name) == "Quy trình"
        assert str(Task._meta.verbose_name) == "Công việc"
        assert _("Assign") == "Nhận việc"
    with translation.override("en"):
        assert str(Process._meta.verbose_name) == "Process"


def test_labels_that_are_both_a_state_and_an_action_read_as_such_in_english() -> None:
    with translation.override("en"):
        assert State.ON_HOLD.label == "On hold"
        assert translation.pgettext("transition", "Tạm dừng xét") == "Put on hold"
        assert State.DECLINED.label == "Not awarded"
        assert translation.pgettext("transition", "Không khen thưởng") == "Decline the award"
    with translation.override("vi"):
        assert translation.pgettext("transition", "Tạm dừng xét") == State.ON_HOLD.label == "Tạm dừng xét"


# --- the pages in both languages ---------------------------------------------------------------------------
def switch(client: Client, language: str, page: str) -> str:
    """Post the language switch of base.html, as the browser does, and return where it leads."""
    html = client.get(page).content.decode()
    (back,) = re.findall(r'<input name="next" type="hidden" value="([^"]*)">', html)
    response = client.post("/i18n/setlang/", {"language": language, "next": back})
    assert response.status_code == 302
    return str(response["Location"])


PAGES = [
    # who, page, a Vietnamese text, its English translation
    (None, "home", "Quy trình thi đua, khen thưởng", "Emulation and commendation process"),
    (None, "login", "Tên đăng nhập", "Username"),
    ("head-tkth", "nomination_list", "Hồ sơ đề nghị khen thưởng", "Award nominations"),
    ("office1", "dashboard", "Theo dõi hồ sơ đề nghị khen thưởng", "Tracking award nominations"),
    (
        "secretary",
        "council:list",
        "Phiên họp Hội đồng Thi đua - Khen thưởng",
        "Sessions of the Emulation and Commendation Council",
    ),
]


@pytest.mark.parametrize(("username", "name", "vietnamese", "english"), PAGES)
def test_a_page_answers_in_vietnamese_by_default_and_in_english_after_the_switch(
    demo: None, username: str | None, name: str, vietnamese: str, english: str
) -> None:
    client = Client()
    if username:
        client.force_login(builders.person(username))
    page = reverse(name)
    first = client.get(page)
    assert first.status_code == 200
    html = first.content.decode()
    assert '<html lang="vi">' in html and vietnamese in html and english not in html

    target = switch(client, "en", page)
    assert target == f"/en{page}"
    html = client.get(target).content.decode()
    assert '<html lang="en">' in html and english in html and vietnamese not in html
    if username:  # the menu and the logout button follow
        assert ">My tasks</a>" in html and "Log out" in html and "Việc của tôi" not in html

    back = switch(client, "vi", target)
    assert back == page
    html = client.get(back).content.decode()
    assert '<html lang="vi">' in html and vietnamese in html


def test_an_action_refused_in_english_names_the_action_and_the_state_in_english(demo: None) -> None:
    nomination = builders.to_state(builders.draft(award="LDTT", nominee="staff-tkth-2"), State.SUBMITTED)
    client = Client()
    client.force_login(builders.person("office1"))
    switch(client, "en", reverse("home"))
    with translation.override("en"):
        hold = reverse("nomination_action", args=[nomination.pk, "hold"])
        detail = reverse("nomination_detail", args=[nomination.pk])
    assert hold.startswith("/en/")
    page = client.get(hold)
    assert page.status_code == 200 and "Put on hold" in page.content.decode()
    response = client.post(hold, {"hold-comment": "Awaiting the inspection's conclusion"})
    assert response.status_code == 302 and response["Location"] == detail
    html = client.get(detail).content.decode()
    assert "Done: Put on hold." in html and "On hold" in html

    again = client.post(hold, {"hold-comment": "Twice"})
    assert again.status_code == 409
    assert "Cannot “Put on hold” while the nomination is in the state “On hold”." in again.content.decode()


# --- what stays Vietnamese whatever the reader chose ----------------------------------------------------------
def test_mail_caused_by_an_english_page_is_written_in_vietnamese_with_vietnamese_links(
    demo: None, django_capture_on_commit_callbacks: Any
) -> None:
    nomination = builders.draft(award="LDTT", nominee="staff-tkth-2")
    client = Client()
    client.force_login(builders.person("head-tkth"))
    switch(client, "en", reverse("home"))
    with translation.override("en"):
        submit = reverse("nomination_action", args=[nomination.pk, "submit"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(submit)
    assert response.status_code == 302
    to_office = [m for m in mail.outbox if m.to == [builders.person("office1").email]]
    assert len(to_office) == 1
    assert "Việc mới — Phòng TC-HC kiểm tra, thẩm định" in to_office[0].subject
    assert f"{settings.SITE_URL.rstrip('/')}/ho-so/{nomination.pk}/" in to_office[0].body
    assert "/en/" not in to_office[0].body and "New task" not in to_office[0].subject


def test_the_count_written_into_the_audit_log_is_vietnamese_when_the_secretary_reads_english(
    demo: None,
) -> None:
    nomination = cb.evaluated()
    session = cb.session_with([nomination])
    cb.vote(session, nomination, cb.spread(yes=9))
    client = Client()
    client.force_login(builders.person("secretary"))
    switch(client, "en", reverse("council:detail", args=[session.pk]))
    with translation.override("en"):
        close = reverse("council:close", args=[session.pk])
    response = client.post(close)
    assert response.status_code == 302
    event = AuditEvent.objects.get(nomination_id=nomination.pk, transition="close_vote")
    assert event.comment.startswith("Kết quả kiểm phiếu: 9 tán thành")
    with translation.override("en"):
        page = client.get(reverse("council:detail", args=[session.pk])).content.decode()
    assert "Minutes of the Council meeting" in page and "1 online, 0 in writing" in page

    with translation.override("en"):
        minutes = client.get(reverse("council:minutes", args=[session.pk]))
    text = "\n".join(p.text for p in Document(io.BytesIO(minutes.content)).paragraphs)
    # The Decree 30/2020 title: the kind, then its summary on the next line — in Vietnamese still.
    assert "BIÊN BẢN\nHọp Hội đồng Thi đua - Khen thưởng" in text and "MINUTES" not in text


def test_the_report_downloaded_from_an_english_page_is_the_vietnamese_document(demo: None) -> None:
    session = builders.session()
    director, office = builders.person("director"), builders.person("office1")
    proposed(nominee="staff-tkkt-3", session=session)
    declined = proposed(nominee="staff-ttth-1", session=session)
    decision_services.decision_decline(nomination=declined, actor=director, reason="Chưa tiêu biểu")
    report = report_services.report_create(
        campaign=builders.annual_campaign(), actor=office, number="45/BC-CTK", date=DAY, signer=director
    )
    client = Client()
    client.force_login(office)
    switch(client, "en", reverse("decisions:report", args=[report.pk]))
    with translation.override("en"):
        page = client.get(reverse("decisions:report", args=[report.pk])).content.decode()
        download = client.get(reverse("decisions:report_download", args=[report.pk, "docx"]))
    assert "Report no. 45/BC-CTK" in page and "Not awarded" in page
    assert download.status_code == 200
    doc = Document(io.BytesIO(download.content))
    cells = {cell.text for table in doc.tables for row in table.rows for cell in row.cells}
    assert {"Đề nghị khen thưởng", "Không khen thưởng"} <= cells
    assert not {"Recommended for award", "Not awarded"} & cells
