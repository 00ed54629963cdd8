"""The log's pages know its size from the chain (`audit.event_count`), not by counting every row: the same
number as a count, whether events are waiting for their place or chained, on the page and in the API."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from rest_framework.test import APIClient

from nominations.models import Person, State
from tests.builders import core as builders
from workflow.audit import log as audit
from workflow.models import AuditChainHead, AuditEvent

pytestmark = pytest.mark.django_db


def signed_in(username: str, client: Client) -> Client:
    client.force_login(Person.objects.get(username=username))
    return client


def test_the_size_of_the_log_is_its_count_whether_events_wait_or_are_chained(demo: None) -> None:
    audit.seal_pending()
    chained = AuditEvent.objects.count()
    assert chained > 0 and audit.event_count() == chained
    # This test's transaction never commits, so the events of these transitions stay waiting.
    builders.to_state(builders.draft(nominee="staff-tkth-2"), State.EVALUATED)
    waiting = AuditEvent.objects.filter(seq__isnull=True).count()
    assert waiting >= 3
    assert audit.event_count() == chained + waiting == AuditEvent.objects.count()
    audit.seal_pending()
    assert AuditEvent.objects.filter(seq__isnull=True).count() == 0
    assert audit.event_count() == AuditEvent.objects.count()
    assert AuditChainHead.objects.get(pk=1).seq == audit.event_count()


def test_a_log_without_its_head_is_counted(db: None) -> None:
    AuditChainHead.objects.all().delete()  # as before the first event is ever chained
    before = AuditEvent.objects.count()  # what the migrations logged
    assert audit.event_count() == before
    with transaction.atomic():
        audit.record(kind=AuditEvent.Kind.OTHER, obj=Person.objects.create(username="lone"), comment="")
    assert audit.event_count() == before + 1 == AuditEvent.objects.count()


def test_the_pages_and_the_api_give_the_whole_log_its_size_and_a_filtered_one_its_count(demo: None) -> None:
    nomination = builders.to_state(builders.draft(nominee="staff-tkth-2"), State.EVALUATED)
    total = AuditEvent.objects.count()
    body = signed_in("auditor", APIClient()).get("/api/audit/?page_size=5").json()  # type: ignore[arg-type]
    assert body["count"] == total
    only_one = AuditEvent.objects.filter(nomination=nomination).count()
    filtered = signed_in("auditor", APIClient()).get(f"/api/audit/?nomination={nomination.pk}").json()  # type: ignore[arg-type]
    assert filtered["count"] == only_one < total

    page = signed_in("office1", Client()).get("/nhat-ky/")
    assert page.status_code == 200
    pages = page.context["page"].paginator
    assert pages.count == total and pages.num_pages == -(-total // 100)
    last = signed_in("office1", Client()).get(f"/nhat-ky/?page={pages.num_pages}")
    assert len(last.context["page"].object_list) == total - 100 * (pages.num_pages - 1)
    one = signed_in("office1", Client()).get(f"/nhat-ky/?nomination={nomination.pk}")
    assert one.context["page"].paginator.count == only_one
