"""The admin's saves of targets are audited; the demo's targets load once; a report and the results list
run in a fixed number of queries."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from nominations.models import ScoringRule, Target, TargetResult
from tests.builders import core as builders
from tests.targets.support import annual, clear_results, stand_on, target
from workflow.models import AuditEvent
from workflow.services import targets as services

pytestmark = pytest.mark.django_db


def test_a_target_changed_in_the_admin_is_written_to_the_audit_log(demo: None) -> None:
    client = builders.signed_in("admin")
    programme = target("chuong-trinh")
    page = client.get(f"/admin/nominations/target/{programme.pk}/change/")
    assert page.status_code == 200
    form = {
        "campaign": programme.campaign_id,
        "unit": "",
        "code": programme.code,
        "name": programme.name,
        "kind": programme.kind,
        "threshold": "99.00",
        "due_on": "",
        "periods": '["quarter", "year"]',
        "weight": "3",
        "alternative_group": "",
        "report_days": "7",
        "basis_number": programme.basis_number,
        "basis_article": programme.basis_article,
        "order": "1",
    }
    response = client.post(f"/admin/nominations/target/{programme.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    programme.refresh_from_db()
    assert (programme.threshold, programme.report_days) == (99, 7)
    event = AuditEvent.objects.filter(object_type="nominations.target", object_id=str(programme.pk)).get()
    assert event.kind == AuditEvent.Kind.RULE_CHANGED and "threshold" in event.data["fields"]
    assert event.actor.username == "admin"


def test_the_admin_shows_results_read_only(demo: None) -> None:
    client = builders.signed_in("admin")
    result = TargetResult.objects.first()
    assert result is not None
    assert client.get(f"/admin/nominations/targetresult/{result.pk}/change/").status_code in (302, 403, 404)


def test_loading_the_demo_again_changes_nothing(demo: None) -> None:
    before = (Target.objects.count(), TargetResult.objects.count(), ScoringRule.objects.count())
    out = io.StringIO()
    call_command("loaddemo", "--password", "demo-pass-123", stdout=out)
    assert "không có thay đổi nào" in out.getvalue()
    assert (Target.objects.count(), TargetResult.objects.count(), ScoringRule.objects.count()) == before
    assert before == (4, 88, 1)  # 9 units × 10 periods + the yearbook, NS-BA missing 3


def test_a_report_runs_in_a_fixed_number_of_queries(
    demo: None, monkeypatch: pytest.MonkeyPatch, django_assert_num_queries: Any
) -> None:
    clear_results("tkth")
    stand_on(monkeypatch, datetime.date(2023, 4, 4))
    head, programme = builders.person("head-tkth"), target("chuong-trinh")
    services.result_report(actor=head, target=programme, period="2023-Q1", value="100")
    # 9: was 11 before the audit event went in as one statement (chained after commit, 2 fewer)
    with django_assert_num_queries(9):
        services.result_report(
            actor=head, target=programme, period="2023-Q2", value="100", today=datetime.date(2023, 7, 3)
        )


def test_the_results_list_does_not_grow_with_its_rows(
    demo: None, api: Callable[[str], APIClient], django_assert_num_queries: Any
) -> None:
    client = api("office1")
    url = f"/api/target-results/?campaign={annual().pk}"
    client.get(url)
    with django_assert_num_queries(5):
        assert client.get(url).json()["count"] == 88
    with django_assert_num_queries(5):
        assert client.get(url + "&unit=tkth").json()["count"] == 11
