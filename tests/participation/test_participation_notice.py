from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from nominations.models import NoticePublication, Person, State
from nominations.rules.workdays import add_working_days, is_working_day
from tests.builders import core as builders
from tests.builders import participation as support
from workflow.base.errors import RuleNotMet
from workflow.models import AuditEvent, Holiday

pytestmark = pytest.mark.django_db


def test_a_council_result_is_published_for_the_campaigns_notice_period_in_working_days(demo: None) -> None:
    nomination = support.proposed_on_notice()
    notice = support.notice_of(nomination)
    close_vote = AuditEvent.objects.get(nomination=nomination, transition="close_vote")
    assert notice.published_at == close_vote.at
    assert notice.notice_days == 5
    assert notice.outcome == State.PROPOSED
    assert notice.ends_on == add_working_days(timezone.localtime(close_vote.at).date(), 5)
    assert notice.ends_on.weekday() < 5
    # derived from the close_vote event, in its transaction: the transition still writes one event
    assert (
        not AuditEvent.objects.filter(nomination=nomination)
        .exclude(kind__in=[AuditEvent.Kind.CREATED, AuditEvent.Kind.FILE_ADDED, AuditEvent.Kind.TRANSITION])
        .exists()
    )


def test_a_notice_period_skips_a_public_holiday_as_task_deadlines_do(demo: None) -> None:
    today = timezone.localdate()
    holiday = add_working_days(today, 1)  # the first day of the period would have been a working day
    Holiday.objects.create(day=holiday, name="Nghỉ lễ (minh họa)")
    nomination = support.proposed_on_notice()
    notice = support.notice_of(nomination)
    published = timezone.localtime(notice.published_at).date()
    assert published == today
    assert notice.ends_on == add_working_days(published, 5, {holiday})
    assert notice.ends_on > add_working_days(published, 5)


def test_a_campaign_without_a_notice_period_publishes_nothing_and_approval_is_not_delayed(
    demo: None, people: dict[str, Person]
) -> None:
    nomination = builders.to_state(builders.draft(award="LDTT", nominee="staff-tkth-2"), State.PROPOSED)
    assert not NoticePublication.objects.filter(nomination=nomination).exists()
    assert support.approve(nomination, people["director"]).state == State.APPROVED


def test_the_director_cannot_approve_before_the_notice_period_ends_and_the_refusal_cites_the_law(
    demo: None, people: dict[str, Person]
) -> None:
    nomination = support.proposed_on_notice()
    with pytest.raises(RuleNotMet) as refused:
        support.approve(nomination, people["director"])
    (refusal,) = refused.value.refusals
    assert refusal.rule == "notice_period"
    assert "Luật Thi đua, Khen thưởng 2022" in refusal.legal_basis
    assert "Bộ luật Dân sự 2015, Điều 147" in refusal.legal_basis
    nomination.refresh_from_db()
    assert nomination.state == State.PROPOSED
    assert not AuditEvent.objects.filter(nomination=nomination, transition="approve").exists()


def test_approval_is_refused_on_the_last_day_of_the_notice_and_allowed_the_day_after(
    demo: None, people: dict[str, Person]
) -> None:
    nomination = support.proposed_on_notice()
    today = timezone.localdate()
    # Published so that today is exactly the fifth working day: still running.
    published = add_working_days(today, -5)
    notice = support.publish_at(
        nomination, timezone.make_aware(datetime.datetime.combine(published, datetime.time(9)))
    )
    # today is its last day (or, run at a weekend, the period runs to the next working day)
    assert (notice.ends_on == today) if is_working_day(today) else (notice.ends_on > today)
    with pytest.raises(RuleNotMet):
        support.approve(nomination, people["director"])
    # One working day earlier: the period ended yesterday (or on the last working day before today).
    earlier = add_working_days(published, -1)
    notice = support.publish_at(
        nomination, timezone.make_aware(datetime.datetime.combine(earlier, datetime.time(9)))
    )
    assert notice.ends_on < today
    approved = support.approve(nomination, people["director"])
    assert approved.state == State.APPROVED


def test_every_signed_in_member_of_staff_reads_the_notice_and_never_a_ballot_or_tally(
    demo: None, client: Client, people: dict[str, Person]
) -> None:
    passed = support.proposed_on_notice(nominee="staff-tkth-2")
    failed = builders.draft(award="LDTT", nominee="staff-tkkt-2", campaign=support.notice_campaign())
    failed = builders.to_state(failed, State.IN_VOTE)
    failed = builders.t.nomination_close_vote(
        nomination=failed, actor=people["secretary"], passed=False, tally={"yes": 3, "no": 6, "abstain": 0}
    )
    client.force_login(people["staff-nsba-3"])
    page = client.get("/tham-gia/cong-khai/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'id="notice-{passed.pk}"' in html and f'id="notice-{failed.pk}"' in html
    assert "Đề nghị khen thưởng" in html and "Không đạt biểu quyết" in html
    assert str(passed.nominee) in html and passed.award.name in html
    for secret in ("phiếu", "tally", "yes", "abstain"):
        assert secret not in html.split("<main>")[1].lower()


def test_a_result_whose_notice_has_ended_leaves_the_page(
    demo: None, client: Client, people: dict[str, Person]
) -> None:
    nomination = support.proposed_on_notice()
    support.move_notice(nomination, days_ago=30)
    client.force_login(people["staff-tkth-3"])
    assert f'id="notice-{nomination.pk}"' not in client.get("/tham-gia/cong-khai/").content.decode()


def test_the_notice_page_needs_a_signed_in_user(demo: None, client: Client) -> None:
    response = client.get("/tham-gia/cong-khai/")
    assert response.status_code == 302
    assert "/dang-nhap/" in response["Location"]


def test_the_notice_page_reads_in_four_queries_however_many_results_it_shows(
    demo: None, client: Client, people: dict[str, Person], django_assert_num_queries: Any
) -> None:
    for nominee in ("staff-tkth-2", "staff-tkth-3", "staff-tkkt-2"):
        support.proposed_on_notice(nominee=nominee)
    client.force_login(people["staff-nsba-3"])
    # session, user, the notices with their complaint counts, whether each nominee had registered,
    # and the person's roles for the navigation (base.html)
    with django_assert_num_queries(5):
        assert client.get("/tham-gia/cong-khai/").content.decode().count('id="notice-') == 3
