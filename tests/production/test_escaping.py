"""Typed text is data everywhere it goes: escaped on every page, plain in mail, literal in Word files,
never a formula in Excel, and control characters (pasted from Word) never break a document.

One nomination is taken from the unit's form to a decision and a report with hostile text in every field a
person types: the nominee's name and position and the unit's name (as an administrator would type them),
the summary, a return reason, the assessment, the council session's name, the decision number.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from docx import Document
from openpyxl import load_workbook

from nominations.models import CouncilSession, Decision, Nomination, OrgUnit, Person, Report, State
from tests.builders import core as builders
from tests.builders import council as council_builders
from tests.builders.participation import proposed_on_notice
from workflow.models import Notification
from workflow.notify import notifications
from workflow.services import complaints, council_sessions, delegations
from workflow.services import decisions as decision_services
from workflow.services import reports as report_services
from workflow.services import transitions as t

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
ATTR = '"><img src=x onerror=alert(1)>'
RAW = (SCRIPT, "<img src=x", "onerror=alert(1)>")
# \x0b is the line break Word puts in copied text, \x01 a stray control character: XML refuses both.
NAME = f"-1+1 Lê Văn {SCRIPT}{ATTR}\x0b"
POSITION = "@SUM(A1) Chuyên viên"
UNIT = f"=1+2 Phòng {ATTR}"
SUMMARY = f"Thành tích nổi bật {SCRIPT}\n{ATTR}"
REASON = f"Bổ sung biên bản {SCRIPT}{ATTR}"
ASSESSMENT = f"+Đạt {SCRIPT}"
SESSION = f"Phiên họp {SCRIPT}{ATTR}\x01"
NUMBER = '=9/QĐ "><img src=x onerror=alert(1)>'
COMPLAINT = f"Kết quả chưa đúng {SCRIPT}{ATTR}"


def in_xml(text: str) -> str:
    """What a document can hold of `text`: Word's line break becomes a line break, other controls go."""
    return text.replace("\x0b", "\n").replace("\x01", "")


def type_hostile_names() -> None:
    """The administrator types the nominee's name and position and the unit's name."""
    Person.objects.filter(username="staff-tkth-2").update(full_name=NAME, position=POSITION)
    OrgUnit.objects.filter(code="tkth").update(name=UNIT)


@pytest.fixture
def hostile(
    demo: None, settings: Any, tmp_path: Any, django_capture_on_commit_callbacks: Any
) -> dict[str, Any]:
    """Everything typed is hostile; the nomination goes from the unit's form to an issued report."""
    settings.MEDIA_ROOT = tmp_path
    type_hostile_names()
    head, office, secretary, director = (
        builders.person(u) for u in ("head-tkth", "office1", "secretary", "director")
    )
    with django_capture_on_commit_callbacks(execute=True):
        created = builders.signed_in("head-tkth").post(
            reverse("nomination_create"),
            builders.creation_form(
                summary=SUMMARY,
                **{f"file_{k}": builders.pdf(f"{k}.pdf") for k in ("to_trinh", "bao_cao", "bien_ban")},
            ),
        )
        assert created.status_code == 302, created.content.decode()[:2000]
        nomination = Nomination.objects.get(nominee_person__username="staff-tkth-2")
        t.nomination_submit(nomination=nomination, actor=head)
        returned = builders.signed_in("office1").post(
            reverse("nomination_action", args=[nomination.pk, "return"]), {"return-comment": REASON}
        )
        assert returned.status_code == 302, returned.content.decode()[:2000]
        t.nomination_resubmit(nomination=nomination, actor=head)
        t.nomination_evaluate(nomination=nomination, actor=office, score=90, assessment=ASSESSMENT)
        session = council_sessions.council_session_create(
            actor=secretary,
            name=SESSION,
            date="2023-12-20",
            members=[builders.person(u).pk for u in council_builders.NINE],
        )
        council_sessions.council_agenda_add(session=session, nomination=nomination, actor=secretary)
        council_sessions.council_session_open(session=session, actor=secretary)
        council_builders.vote(session, nomination, council_builders.spread(yes=9))
        council_builders.close(session)
        proposed_pages = {
            "decisions_home": builders.signed_in("director").get(reverse("decisions:home")),
        }
        decision = decision_services.decision_issue(
            nominations=[nomination], actor=director, number=NUMBER, date="2024-01-10", signer=director
        )
        report = report_services.report_create(
            campaign=nomination.campaign, actor=office, number="3/BC-CTK", date="2024-01-20", signer=director
        )
        report_services.report_issue(report=report, actor=office)
    nomination.refresh_from_db()
    assert nomination.state == State.REPORTED
    return {
        "nomination": nomination,
        "session": CouncilSession.objects.get(pk=session.pk),
        "decision": Decision.objects.get(pk=decision.pk),
        "report": Report.objects.get(pk=report.pk),
        "proposed_pages": proposed_pages,
    }


def assert_escaped(html: str, *, shown: tuple[str, ...] = (SCRIPT, ATTR), where: str = "") -> None:
    for raw in RAW:
        assert raw not in html, f"{where}: {raw!r} reached the page unescaped"
    for text in shown:
        assert escape(text) in html, f"{where}: {text!r} is not shown (escaped) at all"


# --- pages -----------------------------------------------------------------------------------------------
def test_every_page_that_shows_typed_text_escapes_it(hostile: dict[str, Any]) -> None:
    n, session = hostile["nomination"], hostile["session"]
    decision, report = hostile["decision"], hostile["report"]
    pages: list[tuple[str, str, tuple[str, ...]]] = [
        ("office1", reverse("nomination_detail", args=[n.pk]), (SCRIPT, ATTR)),  # name, summary, timeline
        ("head-tkth", reverse("nomination_detail", args=[n.pk]), (SCRIPT, ATTR)),
        ("office1", reverse("nomination_list"), (SCRIPT, ATTR)),
        ("head-tkth", reverse("nomination_list"), (SCRIPT, ATTR)),
        ("office1", reverse("dashboard"), (SCRIPT, ATTR)),
        ("office1", reverse("nomination_action", args=[n.pk, "revoke"]), (SCRIPT, ATTR)),
        ("auditor", reverse("audit_log"), (SCRIPT, ATTR)),  # the return reason
        ("office1", reverse("audit_log"), (SCRIPT, ATTR)),
        ("secretary", reverse("council:list"), (SCRIPT, ATTR)),  # the session's name
        ("secretary", reverse("council:detail", args=[session.pk]), (SCRIPT, ATTR)),
        ("council3", reverse("my_sessions"), (SCRIPT, ATTR)),
        ("council3", reverse("council:detail", args=[session.pk]), (SCRIPT, ATTR)),
        ("director", reverse("decisions:decision", args=[decision.pk]), (SCRIPT, ATTR)),
        ("director", reverse("decisions:home"), (ATTR,)),  # the decision number in the list
        ("office1", reverse("decisions:report", args=[report.pk]), (SCRIPT, ATTR)),
        ("auditor", reverse("admin:nominations_nomination_changelist"), (SCRIPT, ATTR)),
        ("auditor", reverse("admin:nominations_nomination_change", args=[n.pk]), (SCRIPT, ATTR)),
        ("admin", reverse("admin:nominations_person_changelist") + "?q=staff-tkth-2", (SCRIPT, ATTR)),
        ("office1", f"/api/nominations/{n.pk}/?format=api", (SCRIPT, ATTR)),  # the browsable API
    ]
    for username, url, shown in pages:
        response = builders.signed_in(username).get(url)
        assert response.status_code == 200, (username, url, response.status_code)
        assert_escaped(response.content.decode(), shown=shown, where=f"{username} {url}")
    for name, response in hostile["proposed_pages"].items():
        assert response.status_code == 200
        assert_escaped(response.content.decode(), where=name)


def test_the_public_notice_complaints_delegations_commitments_and_history_escape_typed_text(
    demo: None, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    type_hostile_names()
    nomination = proposed_on_notice()
    complaint = complaints.complaint_lodge(
        nomination=nomination, actor=builders.person("staff-tkkt-1"), text=COMPLAINT
    )
    delegations.delegation_create(
        actor=builders.person("director"),
        delegate=builders.person("deputy"),
        starts=timezone.localdate(),
        ends=timezone.localdate() + datetime.timedelta(days=5),
        note=f"Giấy ủy quyền {SCRIPT}{ATTR}",
    )
    staff_tkth_2 = builders.person("staff-tkth-2")
    pages: list[tuple[str, str, tuple[str, ...]]] = [
        ("staff-tkkt-2", reverse("participation:notices"), (SCRIPT, ATTR)),  # every member of staff
        ("staff-tkkt-1", reverse("participation:complaints"), (SCRIPT, ATTR)),  # the complainant's own
        ("staff-tkkt-1", reverse("participation:complaint_detail", args=[complaint.pk]), (SCRIPT, ATTR)),
        ("office1", reverse("participation:complaints"), (SCRIPT, ATTR)),
        ("office1", reverse("participation:complaint_detail", args=[complaint.pk]), (SCRIPT, ATTR)),
        ("director", reverse("participation:delegations"), (SCRIPT, ATTR)),
        ("deputy", reverse("participation:delegations"), (SCRIPT, ATTR)),
        ("office1", reverse("participation:commitment_status", args=[nomination.campaign.pk]), (ATTR,)),
        ("staff-tkth-2", reverse("participation:history_mine"), (SCRIPT, ATTR)),
        ("office1", reverse("participation:history_person", args=[staff_tkth_2.pk]), (SCRIPT, ATTR)),
        ("office1", reverse("participation:history_index") + "?q=Lê Văn", (SCRIPT, ATTR)),
    ]
    for username, url, shown in pages:
        response = builders.signed_in(username).get(url)
        assert response.status_code == 200, (username, url, response.status_code)
        assert_escaped(response.content.decode(), shown=shown, where=f"{username} {url}")
    detail = builders.signed_in("office1").get(reverse("participation:complaint_detail", args=[complaint.pk]))
    assert escape("Kết quả chưa đúng " + SCRIPT + ATTR) in detail.content.decode()


def test_the_summary_and_reason_are_shown_whole_not_cut_at_the_markup(hostile: dict[str, Any]) -> None:
    page = builders.signed_in("office1").get(reverse("nomination_detail", args=[hostile["nomination"].pk]))
    html = page.content.decode()
    assert escape("Thành tích nổi bật " + SCRIPT) in html
    assert escape("Bổ sung biên bản " + SCRIPT + ATTR) in html
    assert escape(ASSESSMENT) in html


def test_the_dashboard_chart_data_cannot_close_its_script_element(hostile: dict[str, Any]) -> None:
    html = builders.signed_in("office1").get(reverse("dashboard")).content.decode()
    data = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', html, re.S)
    assert data is not None
    assert "<" not in data.group(1) and ">" not in data.group(1)
    assert "\\u003E" in data.group(1)  # the unit's name is in it, escaped for a script element


# --- mail ------------------------------------------------------------------------------------------------
def test_notification_mail_is_plain_text_only_with_the_text_as_typed(hostile: dict[str, Any]) -> None:
    assert mail.outbox, "the flow notifies people"
    bodies = "\n".join(str(m.body) for m in mail.outbox)
    for message in mail.outbox:
        assert not isinstance(message, EmailMultiAlternatives) or not message.alternatives
        assert message.content_subtype == "plain"
        assert "\n" not in message.subject and "\r" not in message.subject
        assert not message.attachments
    assert REASON in bodies  # plain text: shown literally, nothing to interpret
    assert any(SCRIPT in m.subject for m in mail.outbox)  # the nominee's name


def test_a_name_with_a_line_break_cannot_add_mail_headers_and_the_mail_still_goes(
    demo: None, django_capture_on_commit_callbacks: Any
) -> None:
    Person.objects.filter(username="staff-tkth-2").update(full_name="Lê Văn\r\nBcc: attacker@example.com")
    nomination = builders.draft(award="LDTT", nominee="staff-tkth-2")
    with django_capture_on_commit_callbacks(execute=True):
        t.nomination_submit(nomination=nomination, actor=builders.person("head-tkth"))
    assert not Notification.objects.filter(sent_at__isnull=True).exists(), Notification.objects.values_list(
        "last_error", flat=True
    )
    assert mail.outbox
    for message in mail.outbox:
        assert "Lê Văn Bcc: attacker@example.com" in message.subject
        assert message.bcc == []
        assert message.message()["Bcc"] is None
    assert notifications.deliver() == (0, 0)


# --- Word and Excel --------------------------------------------------------------------------------------
def docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def assert_literal_in_word(content: bytes, texts: list[str]) -> None:
    xml = zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml").decode()
    assert "<script>" not in xml and "<img " not in xml
    full = docx_text(content)
    for text in texts:
        assert in_xml(text) in full, text


def test_word_documents_hold_the_typed_text_literally(hostile: dict[str, Any]) -> None:
    office, director = builders.signed_in("office1"), builders.signed_in("director")
    session, decision, report = hostile["session"], hostile["decision"], hostile["report"]
    minutes = office.get(reverse("council:minutes", args=[session.pk]))
    assert minutes.status_code == 200
    assert_literal_in_word(
        b"".join(minutes.streaming_content) if minutes.streaming else minutes.content, [SESSION, NAME]
    )
    by_decision = director.get(reverse("decisions:decision_download", args=[decision.pk, "docx"]))
    assert by_decision.status_code == 200
    assert_literal_in_word(by_decision.content, [NUMBER, NAME, POSITION])
    by_report = office.get(reverse("decisions:report_download", args=[report.pk, "docx"]))
    assert by_report.status_code == 200
    assert_literal_in_word(by_report.content, [NUMBER, NAME, UNIT])


def test_the_report_workbook_never_turns_typed_text_into_a_formula(hostile: dict[str, Any]) -> None:
    response = builders.signed_in("office1").get(
        reverse("decisions:report_download", args=[hostile["report"].pk, "xlsx"])
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    texts: list[str] = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                if isinstance(cell.value, str):
                    assert cell.data_type == "s"
                    assert not cell.value.startswith(("=", "+", "-", "@")), (cell.coordinate, cell.value)
                    texts.append(cell.value)
    for typed in (NAME, UNIT, NUMBER, POSITION):  # each starts with = + - or @
        assert any(text.startswith("'" + in_xml(typed)) for text in texts), typed
