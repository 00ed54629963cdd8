"""The list submitted at once racing single submits of its own nominations, and the same nominee proposed
twice at once: no deadlock, nothing submitted twice, one standing nomination (PostgreSQL)."""

from __future__ import annotations

import io
import threading
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from nominations.models import Award, Nomination, Person, State
from tests.builders import core as builders
from tests.submissions.support import submission_of
from workflow.audit import log as audit
from workflow.base.errors import Duplicate, TransitionRefused
from workflow.services import nominations as nomination_services
from workflow.services import submissions
from workflow.services import transitions as t

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not ON_POSTGRESQL, reason="row locks and real concurrency need PostgreSQL"),
]
ROUNDS = 15


def _both(first: Any, second: Any) -> list[str]:
    start = threading.Barrier(2, timeout=30)
    outcomes: list[str] = ["", ""]

    def run(k: int, step: Any) -> None:
        try:
            start.wait()
            step()
            outcomes[k] = "won"
        except TransitionRefused as exc:
            outcomes[k] = type(exc).__name__
        except Exception as exc:  # a deadlock or anything else: the test reports it
            outcomes[k] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(k, s)) for k, s in enumerate((first, second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_list_submit_racing_single_submits_never_deadlocks(transactional_db: None) -> None:
    call_command("loaddemo", "--password", "demo-pass-123", stdout=io.StringIO())
    submission = submission_of()
    head_pk = Person.objects.get(username="head-tkth").pk
    nominees = ["staff-tkth-1", "staff-tkth-2", "staff-tkth-3"]
    for round_ in range(ROUNDS):
        drafts = [builders.draft(nominee=n, award="GIAY_KHEN") for n in nominees]
        Nomination.objects.filter(pk__in=[d.pk for d in drafts]).update(submission=submission)
        submission.state = "draft"
        submission.save(update_fields=["state"])
        last = drafts[-1 if round_ % 2 else 0]

        def whole() -> None:
            submissions.submission_submit(submission=submission, actor=Person.objects.get(pk=head_pk))

        def single(last: Nomination = last) -> None:
            t.nomination_submit(nomination=last, actor=Person.objects.get(pk=head_pk))

        outcomes = _both(whole, single)
        assert all(o in ("won", "WrongState", "ListRefused", "Conflict") for o in outcomes), outcomes
        states = set(Nomination.objects.filter(pk__in=[d.pk for d in drafts]).values_list("state", flat=True))
        assert states <= {State.SUBMITTED, State.DRAFT}
        assert Nomination.objects.get(pk=last.pk).state == State.SUBMITTED  # one of the two submitted it
        for draft in drafts:  # out of the way for the next round (withdrawn ones no longer stand)
            t.nomination_withdraw(nomination=draft, actor=Person.objects.get(pk=head_pk))
    assert audit.verify().ok


def test_the_same_nominee_proposed_twice_at_once_stands_once(transactional_db: None) -> None:
    call_command("loaddemo", "--password", "demo-pass-123", stdout=io.StringIO())
    head = Person.objects.get(username="head-tkth")
    for round_ in range(ROUNDS):

        def make(round_: int = round_) -> None:
            nomination_services.nomination_create(
                actor=Person.objects.get(pk=head.pk),
                campaign=builders.annual_campaign(),
                award=Award.objects.get(code="LDTT"),
                nominee_person=Person.objects.get(username="staff-tkth-1"),
                summary=f"Lần {round_}",
                rating="htxs",
            )

        outcomes = _both(make, make)
        assert sorted(outcomes) == ["Duplicate", "won"], outcomes
        standing = Nomination.objects.filter(
            nominee_person__username="staff-tkth-1", award__code="LDTT"
        ).exclude(state=State.WITHDRAWN)
        assert standing.count() == 1
        t.nomination_withdraw(nomination=standing.get(), actor=head)
    assert Duplicate.status == 409
