"""Builders for the participation tests: results on public notice, moved in time without waiting."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from nominations.models import Campaign, Nomination, NoticePublication, State
from tests.builders import core as builders
from workflow.services import transitions as t
from workflow.services.decisions import nomination_approve

NOTICE_CAMPAIGN = "Phong trào thi đua “Cải cách hành chính”"


def notice_campaign() -> Campaign:
    """The demo's thematic campaign with a 5-working-day notice period."""
    return Campaign.objects.get(name=NOTICE_CAMPAIGN)


def proposed_on_notice(nominee: str = "staff-tkth-2", award: str = "LDTT", **draft: Any) -> Nomination:
    """A nomination the council has just passed in the notice campaign: its result is now on notice."""
    nomination = builders.draft(award=award, nominee=nominee, campaign=notice_campaign(), **draft)
    nomination = builders.to_state(nomination, State.PROPOSED)
    assert nomination.state == State.PROPOSED
    return nomination


def notice_of(nomination: Nomination) -> NoticePublication:
    return NoticePublication.objects.filter(nomination=nomination).latest("id")


def publish_at(nomination: Nomination, at: datetime.datetime) -> NoticePublication:
    """Pretend the result was published at `at` (its notice period moves with it)."""
    notice = notice_of(nomination)
    notice.set_period(at)
    notice.save()
    # The moment it reached `proposed` moves with it, for any check that reads the state's time.
    Nomination.objects.filter(pk=nomination.pk, state=State.PROPOSED).update(state_changed_at=at)
    return notice


def move_notice(nomination: Nomination, *, days_ago: int) -> NoticePublication:
    return publish_at(nomination, timezone.now() - datetime.timedelta(days=days_ago))


def approve(nomination: Nomination, actor: Any) -> Nomination:
    return nomination_approve(
        nomination=nomination,
        actor=actor,
        decision_number="15/QĐ-CTK",
        decision_date=datetime.date(2024, 1, 10),
    )


def back_to_the_council(nomination: Nomination) -> Nomination:
    """After a release: the office evaluates again and the council votes again (a new notice begins)."""
    office, secretary = builders.person("office1"), builders.person("secretary")
    nomination = t.nomination_evaluate(nomination=nomination, actor=office, score=90, assessment="Đạt")
    nomination = t.nomination_schedule(nomination=nomination, actor=secretary, session=builders.session())
    return t.nomination_close_vote(nomination=nomination, actor=secretary, passed=True)
