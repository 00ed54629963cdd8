"""Property tests: random sequences of transitions by random actors keep every invariant."""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from nominations.access import holds
from nominations.models import Nomination, Person, State
from tests import builders
from workflow import audit
from workflow.errors import TransitionRefused
from workflow.models import AuditEvent
from workflow.services import transitions as t
from workflow.transitions import registry

ACTORS = [
    "head-tkth",
    "head-prtc",
    "office1",
    "secretary",
    "council3",
    "director",
    "deputy",
    "auditor",
    "admin",
    "staff-tkth-1",
]
TRANSITIONS = sorted(registry())

_PARAMS: dict[str, dict[str, Any]] = {
    "evaluate": {"score": 90, "assessment": "Đạt yêu cầu"},
    "approve": {"decision_number": "05/QĐ-CTK", "decision_date": datetime.date(2024, 1, 15)},
    "forward": {"submission_number": "07/TTr-CTK"},
    "record_outcome": {"granted": True, "decision_number": "123/QĐ-UBND"},
    "close_vote": {"passed": True},
}

steps = st.lists(st.tuples(st.sampled_from(TRANSITIONS), st.sampled_from(ACTORS), st.booleans()), max_size=25)


class TransitionProperties(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        call_command("loaddemo", "--password", "prop-pass-123", stdout=io.StringIO())

    @settings(max_examples=40, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(steps=steps, award=st.sampled_from(["LDTT", "BANG_KHEN", "GIAY_KHEN"]))
    def test_random_transitions_by_random_actors_keep_the_invariants(
        self, steps: list[tuple[str, str, bool]], award: str
    ) -> None:
        nominee = "staff-tkth-1" if award == "BANG_KHEN" else "staff-tkth-2"
        nomination = builders.draft(award=award, nominee=nominee)
        session = builders.session()
        people = {p.username: p for p in Person.objects.filter(username__in=ACTORS).select_related("unit")}
        applied = 0
        for name, username, with_comment in steps:
            actor = people[username]
            before = Nomination.objects.get(pk=nomination.pk)
            allowed = holds(actor, registry()[name].perm, before) and before.state in registry()[name].sources
            params = dict(_PARAMS.get(name, {}))
            if name == "schedule":
                params["session"] = session
            try:
                nomination = t.SERVICES[name](
                    nomination=before, actor=actor, comment="Lý do kiểm thử" if with_comment else "", **params
                )
            except TransitionRefused:
                after = Nomination.objects.get(pk=nomination.pk)
                assert after.state == before.state, "a refusal changed the state"
            else:
                applied += 1
                assert allowed, f"{username} ran {name} from {before.state} without the right"
                assert nomination.state in registry()[name].targets
            assert Nomination.objects.get(pk=nomination.pk).state in State.values
            logged = AuditEvent.objects.filter(nomination=nomination, kind=AuditEvent.Kind.TRANSITION).count()
            assert logged == applied, "every change is logged exactly once"
        assert audit.verify().ok
