"""One demo organisation with a nomination in every state, built once per test module.

Built through the real services (tests/builders/core.py) inside a transaction that is rolled back when
the module ends; every test runs in its own savepoint inside it (pytest-django's `db`), so a test
may run a transition and the next test still finds the world as built.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

from nominations.models import Award, AwardRule, CouncilSession, Nomination, Person, State
from tests.builders import core as builders
from workflow.models import AuditChainHead, AuditEvent, Notification
from workflow.services.catalogue import award_rule_save

# Individual LĐTT nominees, one per nomination (one nomination per nominee, award and campaign);
# staff-nsba-2 has an open disciplinary case in the demo and is left out.
LDTT_NOMINEES = [
    "staff-tkth-2",
    "staff-tkth-3",
    "staff-tkkt-2",
    "staff-tkkt-3",
    "staff-tkxh-2",
    "staff-tkxh-3",
    "staff-ttth-1",
    "staff-ttth-2",
    "staff-ttth-3",
    "staff-prtc-2",
    "staff-prtc-3",
    "staff-nhtb-1",
    "staff-nhtb-3",
    "staff-nptn-1",
]
# Collective TTLĐXS nominations (forwarded upward) for these units' heads.
FORWARDED_STATES = {"forwarded": "prtc", "granted": "nhtb", "not_granted": "nptn"}


@dataclass
class World:
    by_state: dict[str, Nomination] = field(default_factory=dict)
    # For transitions whose conditions need another award than LĐTT from the same state.
    propose_source: Nomination | None = None  # evaluated, an award that needs no council vote
    forward_source: Nomination | None = None  # proposed, an award beyond the Director's authority
    session: CouncilSession | None = None

    def source(self, transition: str, state: str) -> Nomination:
        if transition == "propose":
            assert self.propose_source is not None
            return self.propose_source
        if transition == "forward":
            assert self.forward_source is not None
            return self.forward_source
        return self.by_state[state]


def _giay_khen_without_vote() -> None:
    """The office may make Giấy khen an award the Director gives without a council vote."""
    admin = builders.person("admin")
    for rule in AwardRule.objects.filter(award=Award.objects.get(code="GIAY_KHEN")):
        rule.requires_vote = False
        award_rule_save(rule=rule, actor=admin, changed_fields=["requires_vote"], created=False)


def build() -> World:
    call_command("loaddemo", "--password", "demo-pass-123", stdout=io.StringIO())
    _giay_khen_without_vote()
    world = World(session=builders.session())
    nominees = iter(LDTT_NOMINEES)
    for state in State.values:
        if state in FORWARDED_STATES:
            nomination = builders.draft(
                award="TTLDXS", unit_nominee=True, head=f"head-{FORWARDED_STATES[state]}"
            )
        else:
            nomination = builders.draft(award="LDTT", nominee=next(nominees))
        world.by_state[state] = builders.drive(nomination, state, council_session=world.session)
    world.propose_source = builders.in_state("evaluated", award="GIAY_KHEN", nominee="staff-tkth-1")
    world.forward_source = builders.in_state(
        "proposed", award="TTLDXS", unit_nominee=True, head="head-tkxh", council_session=world.session
    )
    return world


@contextmanager
def rolled_back(django_db_blocker: Any, media: Path) -> Iterator[None]:
    """Database access for a module-scoped fixture, inside a transaction rolled back at the end."""
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=str(media),
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        ),
    ):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def world(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    with rolled_back(django_db_blocker, tmp_path_factory.mktemp("media")):
        yield build()


def fresh(username: str) -> Person:
    """A person as a request would have them (nothing prefetched, no cached roles)."""
    return Person.objects.get(username=username)


def footprint(nomination: Nomination) -> tuple[str, int, int, int]:
    """What a refused transition must leave untouched: the state, the log, its head, the outbox."""
    head = AuditChainHead.objects.filter(pk=1).values_list("seq", flat=True).first() or 0
    return (
        Nomination.objects.get(pk=nomination.pk).state,
        AuditEvent.objects.count(),
        head,
        Notification.objects.count(),
    )
