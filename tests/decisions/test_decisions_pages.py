from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from nominations.models import BaseSalary, Decision, Nomination, Report, State, UpwardSubmission
from tests.builders import core as builders
from tests.builders.decisions import DAY, proposed
from workflow.models import AuditEvent
from workflow.services import decisions as services
from workflow.services import transitions as t

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(builders.person(username))
    return client


def _issue(nominations: list[Nomination], number: str = "12/QĐ-CTK") -> Decision:
    director = builders.person("director")
    return services.decision_issue(
        nominations=nominations, actor=director, number=number, date=DAY, signer=director
    )


def test_the_director_chooses_several_proposed_nominations_and_issues_one_decision(demo: None) -> None:
    session = builders.session()
    a, b = (
        proposed(nominee="staff-tkth-2", session=session),
        proposed(nominee="staff-tkth-3", session=session),
    )
    forwarded = proposed(award="BANG_KHEN", nominee="staff-tkth-1", session=session)
    director = client_for("director")

    page = director.get(reverse("decisions:home"))
    assert page.status_code == 200
    listed = {n.pk for n in page.context["awaiting"]}
    assert listed == {a.pk, b.pk}  # the Bằng khen is beyond the Director's authority: not offered here
    assert forwarded.pk in {n.pk for n in director.get(reverse("decisions:forwarding")).context["awaiting"]}

    response = director.post(
        reverse("decisions:issue"),
        {
            "nominations": [a.pk, b.pk],
            "number": "12/QĐ-CTK",
            "date": "2024-01-10",
            "signer": builders.person("director").pk,
        },
    )
    decision = Decision.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "decisions:decision", args=[decision.pk]
    )
    assert set(Nomination.objects.filter(pk__in=[a.pk, b.pk]).values_list("state", flat=True)) == {
        State.APPROVED
    }
    detail = director.get(response["Location"])
    assert detail.status_code == 200
    assert '<dd id="total">1.080.000 đồng' in detail.content.decode()


def test_a_refused_decision_re_renders_the_page_with_the_reason_and_its_status(demo: None) -> None:
    session = builders.session()
    a, b = (
        proposed(nominee="staff-tkth-2", session=session),
        proposed(nominee="staff-tkth-3", session=session),
    )
    t.nomination_hold(nomination=b, actor=builders.person("office1"), comment="Khiếu nại")
    director = client_for("director")
    data = {
        "nominations": [a.pk, b.pk],
        "number": "12/QĐ-CTK",
        "date": "2024-01-10",
        "signer": builders.person("director").pk,
    }

    conflict = director.post(reverse("decisions:issue"), data)
    assert conflict.status_code == 409
    assert "Tạm dừng xét" in conflict.content.decode()
    assert Nomination.objects.get(pk=a.pk).state == State.PROPOSED

    bad = director.post(reverse("decisions:issue"), {**data, "nominations": [a.pk], "date": "hôm nay"})
    assert bad.status_code == 400
    assert "date" in bad.context["form"].errors
    none_chosen = director.post(reverse("decisions:issue"), {**data, "nominations": []})
    assert none_chosen.status_code == 400
    assert not Decision.objects.exists()


def test_state_changes_are_post_only_and_need_a_login(demo: None) -> None:
    nomination = proposed()
    director = client_for("director")
    assert director.get(reverse("decisions:issue")).status_code == 405
    assert director.get(reverse("decisions:decline", args=[nomination.pk])).status_code == 405
    assert Client().post(reverse("decisions:issue"), {}).status_code == 302  # to the login page
    assert Client().get(reverse("decisions:home"))["Location"].startswith(reverse("login"))


def test_office_staff_cannot_issue_a_decision_from_the_page(demo: None) -> None:
    nomination = proposed()
    office = client_for("office1")
    assert office.get(reverse("decisions:home")).context["awaiting"] == []
    response = office.post(
        reverse("decisions:issue"),
        {
            "nominations": [nomination.pk],
            "number": "1/QĐ-CTK",
            "date": "2024-01-10",
            "signer": builders.person("director").pk,
        },
    )
    assert response.status_code == 403
    assert Nomination.objects.get(pk=nomination.pk).state == State.PROPOSED


def test_decline_from_the_page_needs_a_reason(demo: None) -> None:
    nomination = proposed()
    director = client_for("director")
    assert (
        director.post(reverse("decisions:decline", args=[nomination.pk]), {"reason": ""}).status_code == 400
    )
    response = director.post(reverse("decisions:decline", args=[nomination.pk]), {"reason": "Chưa tiêu biểu"})
    assert response.status_code == 302
    assert Nomination.objects.get(pk=nomination.pk).state == State.DECLINED


def test_revoke_from_the_decision_page_shows_the_annulment_and_its_reason(demo: None) -> None:
    nomination = proposed()
    decision = _issue([nomination])
    director = client_for("director")
    url = reverse("decisions:revoke", args=[decision.pk, nomination.pk])
    assert client_for("office1").post(url, {"reason": "x"}).status_code == 403
    assert director.post(url, {"reason": ""}).status_code == 400
    assert director.post(url, {"reason": "Kê khai không trung thực"}).status_code == 302
    page = director.get(reverse("decisions:decision", args=[decision.pk])).content.decode()
    assert "Đã hủy bỏ" in page and "Kê khai không trung thực" in page
    assert director.post(url, {"reason": "lần nữa"}).status_code == 409


def test_a_unit_head_sees_only_decisions_carrying_their_units_nominations(demo: None) -> None:
    session = builders.session()
    tkth = proposed(nominee="staff-tkth-2", session=session)
    tkkt = proposed(nominee="staff-tkkt-2", session=session)
    mine, theirs = _issue([tkth], "1/QĐ-CTK"), _issue([tkkt], "2/QĐ-CTK")
    head = client_for("head-tkth")
    assert head.get(reverse("decisions:decision", args=[mine.pk])).status_code == 200
    assert head.get(reverse("decisions:decision", args=[theirs.pk])).status_code == 404
    assert head.get(reverse("decisions:decision_download", args=[theirs.pk, "docx"])).status_code == 404
    assert list(head.get(reverse("decisions:home")).context["decisions"]) == [mine]
    assert head.get(reverse("decisions:reports")).status_code == 403
    assert client_for("staff-tkth-1").get(reverse("decisions:decision", args=[mine.pk])).status_code == 404


def test_the_decision_downloads_as_word_with_its_number(demo: None) -> None:
    decision = _issue([proposed()])
    response = client_for("auditor").get(reverse("decisions:decision_download", args=[decision.pk, "docx"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert response["Content-Disposition"] == 'attachment; filename="quyet-dinh-12-qd-ctk.docx"'
    doc = Document(io.BytesIO(response.content))
    assert doc.tables[0].cell(1, 0).text == "Số: 12/QĐ-CTK"
    assert (
        client_for("auditor")
        .get(reverse("decisions:decision_download", args=[decision.pk, "exe"]))
        .status_code
        == 404
    )


def test_forwarding_and_recording_the_outcome_from_the_pages(demo: None) -> None:
    nomination = proposed(award="BANG_KHEN", nominee="staff-tkth-1")
    director = client_for("director")
    response = director.post(
        reverse("decisions:submission_create"),
        {
            "nominations": [nomination.pk],
            "number": "05/TTr-CTK",
            "date": "2024-01-12",
            "addressee": "province",
            "addressee_name": "",
            "signer": builders.person("director").pk,
        },
    )
    submission = UpwardSubmission.objects.get()
    assert response.status_code == 302
    assert submission.addressee_name == "Ủy ban nhân dân tỉnh Ninh Thuận"
    office = client_for("office1")
    page = office.get(reverse("decisions:submission", args=[submission.pk]))
    assert page.status_code == 200 and page.context["rows"][0][1] is not None  # the outcome form is offered
    url = reverse("decisions:outcome", args=[submission.pk, nomination.pk])
    prefix = f"n{nomination.pk}"
    assert office.post(url, {f"{prefix}-granted": "true"}).status_code == 400
    assert (
        director.post(
            url, {f"{prefix}-granted": "true", f"{prefix}-decision_number": "88/QĐ-UBND"}
        ).status_code
        == 403
    )
    ok = office.post(
        url,
        {
            f"{prefix}-granted": "true",
            f"{prefix}-decision_number": "88/QĐ-UBND",
            f"{prefix}-decision_date": "2024-02-20",
        },
    )
    assert ok.status_code == 302
    nomination.refresh_from_db()
    assert (nomination.state, nomination.outcome_decision_number) == (State.GRANTED, "88/QĐ-UBND")
    download = office.get(reverse("decisions:submission_download", args=[submission.pk, "docx"]))
    assert download.status_code == 200
    assert "Kính gửi: Ủy ban nhân dân tỉnh Ninh Thuận." in "\n".join(
        p.text for p in Document(io.BytesIO(download.content)).paragraphs
    )


def test_the_office_drafts_and_issues_a_report_and_downloads_it(demo: None) -> None:
    nomination = proposed()
    _issue([nomination])
    office = client_for("office1")
    assert office.get(reverse("decisions:reports")).status_code == 200
    response = office.post(
        reverse("decisions:report_create"),
        {
            "campaign": builders.annual_campaign().pk,
            "number": "45/BC-CTK",
            "date": "2024-01-20",
            "signer": builders.person("director").pk,
            "recipients": "Sở Nội vụ tỉnh Ninh Thuận\nKhối thi đua",
        },
    )
    report = Report.objects.get()
    assert response.status_code == 302
    draft = office.get(reverse("decisions:report", args=[report.pk]))
    assert draft.context["may_issue"] and [line.nomination_id for line in draft.context["lines"]] == [
        nomination.pk
    ]
    assert client_for("director").post(reverse("decisions:report_issue", args=[report.pk])).status_code == 403
    assert office.post(reverse("decisions:report_issue", args=[report.pk])).status_code == 302
    assert Nomination.objects.get(pk=nomination.pk).state == State.REPORTED
    assert office.post(reverse("decisions:report_issue", args=[report.pk])).status_code == 409

    xlsx = office.get(reverse("decisions:report_download", args=[report.pk, "xlsx"]))
    assert xlsx.status_code == 200
    assert xlsx["Content-Disposition"] == 'attachment; filename="bao-cao-45-bc-ctk.xlsx"'
    book = load_workbook(io.BytesIO(xlsx.content))
    rows = list(book["Danh sách"].iter_rows(values_only=True))
    assert rows[-1][6] == "12/QĐ-CTK" and rows[-2][0] == "TT"
    assert (
        client_for("head-tkth")
        .get(reverse("decisions:report_download", args=[report.pk, "docx"]))
        .status_code
        == 403
    )


def test_the_report_form_refuses_a_taken_number_as_a_field_error(demo: None) -> None:
    office = client_for("office1")
    data = {
        "campaign": builders.annual_campaign().pk,
        "number": "45/BC-CTK",
        "date": "2024-01-20",
        "signer": builders.person("director").pk,
        "recipients": "Sở Nội vụ",
    }
    assert office.post(reverse("decisions:report_create"), data).status_code == 302
    again = office.post(reverse("decisions:report_create"), data)
    assert again.status_code == 400
    assert "number" in again.context["form"].errors


def test_the_decision_pages_cost_a_fixed_number_of_queries(
    demo: None, django_assert_num_queries: Any
) -> None:
    session = builders.session()
    for name in (
        "staff-tkth-2",
        "staff-tkth-3",
        "staff-tkkt-2",
        "staff-tkkt-3",
        "staff-tkxh-2",
        "staff-tkxh-3",
    ):
        proposed(nominee=name, session=session)
    small = _issue([proposed(nominee="staff-ttth-2", session=session)], "1/QĐ-CTK")
    large = _issue(
        [proposed(nominee=f"staff-{u}-{n}", session=session) for u in ("prtc", "nhtb") for n in (1, 2, 3)],
        "2/QĐ-CTK",
    )
    director = client_for("director")
    director.get(reverse("decisions:home"))  # warm the content-type cache
    with django_assert_num_queries(8):
        response = director.get(reverse("decisions:home"))
    assert len(response.context["awaiting"]) == 6
    for decision in (small, large):
        with django_assert_num_queries(10):
            director.get(reverse("decisions:decision", args=[decision.pk]))


def test_the_pdf_download_answers_503_when_libreoffice_is_missing(demo: None, settings: Any) -> None:
    settings.THIDUA_SOFFICE = "/nonexistent/soffice"
    decision = _issue([proposed()])
    response = client_for("director").get(reverse("decisions:decision_download", args=[decision.pk, "pdf"]))
    assert response.status_code == 503


def test_the_home_page_leads_the_director_and_the_office_to_the_decision_pages(demo: None) -> None:
    for username in ("director", "office1", "auditor"):
        page = client_for(username).get(reverse("home")).content.decode()
        assert reverse("decisions:home") in page and reverse("decisions:reports") in page
    head_page = client_for("head-tkth").get(reverse("home")).content.decode()
    assert reverse("decisions:home") in head_page and reverse("decisions:reports") not in head_page


def test_the_administrator_sets_a_new_base_salary_in_the_admin_and_later_decisions_use_it(demo: None) -> None:
    admin = client_for("admin")
    response = admin.post(
        "/admin/nominations/basesalary/add/",
        {"amount": "2500000", "effective_from": "2025-07-01", "legal_basis": "Nghị định minh họa"},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    salary = BaseSalary.objects.get(effective_from="2025-07-01")
    event = AuditEvent.objects.get(object_type="nominations.basesalary", object_id=str(salary.pk))
    assert (event.kind, event.transition, event.data["amount"]) == ("rule_changed", "created", 2_500_000)
    assert client_for("office1").get("/admin/nominations/basesalary/").status_code == 302  # not staff

    director = builders.person("director")
    old = services.decision_issue(
        nominations=[proposed(nominee="staff-tkth-2")],
        actor=director,
        number="1/QĐ-CTK",
        date=DAY,
        signer=director,
    )
    new = services.decision_issue(
        nominations=[proposed(nominee="staff-tkth-3")],
        actor=director,
        number="2/QĐ-CTK",
        date=datetime.date(2025, 7, 1),
        signer=director,
    )
    assert (old.total, new.total) == (540_000, 750_000)  # 0.3 × 2,500,000
    salary.amount = 3_000_000
    salary.save()
    assert Decision.objects.get(pk=new.pk).total == 750_000  # an issued decision keeps its amounts
