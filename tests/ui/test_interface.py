"""The interface's own rules, through real requests: dates typed day first, the menu per role and its
counts, codes put in words, the step timeline, a confirmation before an irreversible transition."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from nominations.documents.vietnamese import percent_text
from nominations.models import Person, State
from tests.builders import core as builders
from workflow.process.timeline import step_timeline
from workflow.services import transitions as t
from workflow.web.context_processors import MAX_ENTRIES, nav_items
from workflow.web.dates import DayMonthYearField

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_date_is_read_day_first_whatever_the_language(language: str) -> None:
    field = DayMonthYearField()
    with translation.override(language):
        assert field.clean("03/04/2024") == datetime.date(2024, 4, 3)  # 3 April, never 4 March
        assert field.clean("2024-04-03") == datetime.date(2024, 4, 3)  # ISO still accepted
        with pytest.raises(Exception, match="15/01/2024"):
            field.clean("04/15/2024")  # month first is refused, with an example of the right form
        html = field.widget.render("d", datetime.date(2024, 1, 5))
    assert 'type="text"' in html and 'value="05/01/2024"' in html and 'placeholder="dd/mm/yyyy"' in html


def test_no_page_form_uses_the_browsers_date_input(demo: None) -> None:
    pages = [
        ("auditor", "/nhat-ky/"),
        ("secretary", reverse("council:create")),
        ("director", reverse("participation:delegations")),
        ("office1", reverse("decisions:reports")),
    ]
    for username, url in pages:
        body = builders.signed_in(username).get(url).content.decode()
        assert 'type="date"' not in body and 'placeholder="dd/mm/yyyy"' in body, url


def test_the_audit_filter_takes_a_day_first_date(demo: None) -> None:
    client = builders.signed_in("auditor")
    ok = client.get("/nhat-ky/", {"since": "01/01/2000", "until": "31/12/2099"})
    assert ok.status_code == 200 and 'value="01/01/2000"' in ok.content.decode()
    bad = client.get("/nhat-ky/", {"since": "12/31/2020"}).content.decode()
    assert "is-invalid" in bad and "ngày/tháng/năm" in bad


def test_every_demo_account_has_a_menu_of_at_most_seven_entries(demo: None) -> None:
    for person in Person.objects.filter(is_active=True):
        items = nav_items(person, None)
        assert 1 <= len(items) <= MAX_ENTRIES, (person.username, [i["key"] for i in items])
        # One role's menu fits as it is: no catch-all "Khác" hiding its tasks.
        assert "more" not in [i["key"] for i in items], person.username
    office = [i["key"] for i in nav_items(builders.person("office1"), None)]
    assert "council" in office  # the office reaches the council's sessions, agenda and minutes
    documents = next(i for i in nav_items(builders.person("office1"), None) if i["key"] == "documents")
    assert [c["key"] for c in documents["children"]] == ["decisions", "forwarding", "reports", "statistics"]
    staff = [i["key"] for i in nav_items(builders.person("staff-tkth-1"), None)]
    assert staff == ["notices"]  # no role: nothing of the workflow


def test_the_menu_counts_cost_one_query_each_and_no_page_pays_for_them(
    demo: None, django_assert_num_queries: Any
) -> None:
    builders.to_state(builders.draft(award="LDTT", nominee="staff-tkth-2"), State.SUBMITTED)
    client = builders.signed_in("office1")
    client.get("/")  # the session's first request loads what every request loads after
    # session, user, user's groups (menu_keys), then one COUNT per counted entry: tasks, documents,
    # participation (open complaints)
    with django_assert_num_queries(3 + 3):
        response = client.get(reverse("nav_counts"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
    assert 'id="nav-count-tasks" hx-swap-oob="true"' in body and ">1<" in body
    page = client.get("/").content.decode()
    assert 'hx-get="/menu/so-viec/"' in page and 'id="nav-count-tasks" class="nav-count"></span>' in page


def test_the_audit_log_names_roles_states_and_objects(demo: None) -> None:
    n = t.nomination_submit(
        nomination=builders.draft(award="LDTT", nominee="staff-tkth-2"), actor=builders.person("head-tkth")
    )
    body = builders.signed_in("auditor").get("/nhat-ky/", {"nomination": n.pk}).content.decode()
    table = body.split('<table class="table table-sm table-striped table-stack audit">')[1]
    assert "Trưởng đơn vị" in table and "unit_head" not in table
    assert "Dự thảo → Đã gửi" in table and "draft" not in table
    assert f"Hồ sơ đề nghị khen thưởng: {n}" in table and "nominations.nomination" not in table


def test_the_step_timeline_says_what_is_done_what_is_now_and_who_holds_the_next() -> None:
    steps = step_timeline(state=State.PROPOSED, events=[])
    status = {s.name: s.status for s in steps}
    assert status["prepare"] == status["appraise"] == status["vote"] == "done"
    assert status["decide"] == "now" and status["report"] == "next"
    assert next(s for s in steps if s.name == "decide").holder == "Cục trưởng"
    returned = step_timeline(state=State.RETURNED, events=[])
    assert returned[0].name == "revise" and returned[0].status == "now"
    declined = step_timeline(state=State.DECLINED, events=[])
    assert [s.status for s in declined if s.name == "closed"] == ["now"]
    assert {s.name for s in declined if s.status == "skipped"} >= {"report", "in_force"}


def test_an_irreversible_transition_is_confirmed_on_its_own_page(demo: None) -> None:
    n = t.nomination_submit(
        nomination=builders.draft(award="LDTT", nominee="staff-tkth-2"), actor=builders.person("head-tkth")
    )
    client: Client = builders.signed_in("office1")
    detail = client.get(reverse("nomination_detail", args=[n.pk])).content.decode()
    assert "action-mark_ineligible" not in detail and 'id="ask-mark_ineligible"' in detail
    assert "action-evaluate" in detail  # a step that can be taken back keeps its form on the page
    page = client.get(reverse("nomination_action", args=[n.pk, "mark_ineligible"])).content.decode()
    assert 'id="confirm-irreversible"' in page and "btn-danger" in page
    edit = builders.signed_in("head-tkth").get(reverse("nomination_edit", args=[n.pk]))
    assert edit.status_code in (200, 302)


def test_a_dossier_file_is_deleted_only_after_a_second_button(demo: None) -> None:
    """With JavaScript confirm.js asks (data-confirm); without it the plain POST shows a page that asks."""
    n = builders.draft(award="LDTT", nominee="staff-tkth-2")
    client = builders.signed_in("head-tkth")
    body = client.get(reverse("nomination_edit", args=[n.pk])).content.decode()
    assert body.count('class="file-remove"') == body.count('data-confirm="Xóa hẳn tệp') == n.files.count() > 0
    assert "js/confirm.js" in body
    f = n.files.first()
    assert f is not None
    remove = reverse("dossier_file_remove", args=[n.pk, f.pk])
    asked = client.post(remove)
    assert asked.status_code == 200 and "Xác nhận xóa" in asked.content.decode()
    assert n.files.filter(pk=f.pk).exists()
    assert client.post(remove, {"confirmed": "1"}).status_code == 302
    assert not n.files.filter(pk=f.pk).exists()


def test_the_individual_award_form_defaults_to_a_person(demo: None) -> None:
    body = builders.signed_in("head-tkth").get(reverse("nomination_create")).content.decode()
    nominee = body.split('name="nominee"')[1].split("</select>")[0]
    assert nominee.index('value="person:') < nominee.index('value="unit:')
    assert 'class="asteriskField"' in body  # required fields marked


def test_documents_write_a_decimal_comma() -> None:
    assert percent_text(Decimal("88.9")) == "88,9%"
    assert percent_text(Decimal("100")) == "100%"


@pytest.mark.parametrize("username", ["office1", "auditor", "staff-tkth-1"])
def test_the_complaints_list_sorts_and_pages(demo: None, username: str) -> None:
    client = builders.signed_in(username)
    for query in ({}, {"sort": "lodged_at"}, {"sort": "-number", "page": "1"}, {"state": "open"}):
        response = client.get(reverse("participation:complaints"), query)
        assert response.status_code == 200, query
    body = response.content.decode()
    assert "Chưa có khiếu nại nào." in body
    assert ("Người khiếu nại" in body) == (username != "staff-tkth-1")  # only readers of all see who


def test_the_audit_log_names_a_person_acted_on_by_their_name(demo: None) -> None:
    from django.db import transaction

    from workflow.audit import log as audit
    from workflow.models import AuditEvent

    clerk = builders.person("staff-tkth-2")
    with transaction.atomic():
        audit.record(kind=AuditEvent.Kind.PERMISSION_GRANTED, obj=clerk, comment="role given")
    body = builders.signed_in("auditor").get("/nhat-ky/").content.decode()
    table = body.split('<table class="table table-sm table-striped table-stack audit">')[1]
    assert f"{clerk._meta.verbose_name.capitalize()}: {clerk.full_name}" in table
    assert "nominations.person" not in table


def test_the_audit_log_says_a_granted_role_by_its_name(demo: None) -> None:
    from django.db import transaction

    from workflow.audit import log as audit
    from workflow.models import AuditEvent

    clerk = builders.person("staff-tkth-2")
    with transaction.atomic():
        audit.record(kind=AuditEvent.Kind.PERMISSION_GRANTED, obj=clerk, comment="unit_head")
        audit.record(kind=AuditEvent.Kind.PERMISSION_GRANTED, obj=clerk, comment="unit:tkth:heads")
    body = builders.signed_in("auditor").get("/nhat-ky/").content.decode()
    table = body.split('<table class="table table-sm table-striped table-stack audit">')[1]
    assert "Trưởng đơn vị" in table and "Quyền của trưởng đơn vị TKTH" in table
    assert "unit_head" not in table and "unit:tkth:heads" not in table  # codes only in the exports


def test_bootstrap_is_loaded_once_before_our_own_styles() -> None:
    # A template loading Bootstrap again after base.html's app.css undid the agency's colours and sizes
    # (the council and decision pages showed Bootstrap's blue buttons): base.html alone links it.
    root = Path(__file__).resolve().parents[2]
    linking = sorted(
        str(path.relative_to(root))
        for folder in ("templates", "workflow/templates", "nominations/templates")
        for path in (root / folder).rglob("*.html")
        if "bootstrap.min.css" in path.read_text(encoding="utf-8")
    )
    assert linking == ["templates/base.html"]
