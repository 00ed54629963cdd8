"""The benchmark data generator makes data the product accepts: a valid audit chain, the real grants."""

from __future__ import annotations

import itertools

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from guardian.models import GroupObjectPermission

from bench import generate
from nominations.access import AGENCY_ROLES, Perm, holds
from nominations.models import Nomination, OrgUnit, Person
from nominations.selectors.nominations import nominations_visible_to
from tests.builders import core as builders
from workflow.audit import log as audit
from workflow.models import AuditChainHead, AuditEvent

pytestmark = pytest.mark.django_db


def test_generated_events_extend_the_chain_so_that_verify_passes(demo: None) -> None:
    builders.in_state("submitted", award="LDTT", nominee="staff-tkth-2")  # events made by the services first
    audit.seal_pending()  # chained, as their commits would have (this test never commits)
    before = AuditEvent.objects.count()
    result = generate.fill(nominations=30, events=before + 300)
    assert result["nominations"] == 30
    assert AuditEvent.objects.count() == result["events"] >= before + 300
    verified = audit.verify()
    assert verified.ok, verified.first_break
    assert verified.count == AuditChainHead.objects.get().seq == result["events"]

    # And the chain goes on through the services afterwards.
    builders.in_state("submitted", award="LDTT", nominee="staff-tkth-3")
    assert audit.verify().ok


def test_a_second_fill_only_adds_what_is_missing(demo: None) -> None:
    generate.fill(nominations=20, events=100)
    again = generate.fill(nominations=30, events=250)
    assert again["added"] == 10
    assert Nomination.objects.filter(summary=generate.GENERATED_SUMMARY).count() == 30
    assert AuditEvent.objects.count() >= 250
    assert audit.verify().ok


def test_generated_nominations_carry_the_grants_nomination_create_makes(demo: None) -> None:
    generate.fill(nominations=18, events=0)
    generated = Nomination.objects.filter(summary=generate.GENERATED_SUMMARY).select_related(
        "nominating_unit"
    )
    content_type = ContentType.objects.get_for_model(Nomination)
    unit_type = ContentType.objects.get_for_model(OrgUnit)
    # Rights at their level (issue 17): none on the nomination itself; its unit's heads hold their 3 on the
    # unit, the four agency-wide roles theirs (office 3, secretary 3, Director 2, auditor 1) on their groups.
    agency = Group.permissions.through.objects.filter(
        group__name__in=AGENCY_ROLES, permission__content_type=content_type
    )
    assert agency.count() == 9
    for nomination in generated:
        grants = GroupObjectPermission.objects.filter(content_type=content_type, object_pk=str(nomination.pk))
        assert grants.count() == 0
        unit = nomination.nominating_unit
        on_unit = GroupObjectPermission.objects.filter(content_type=unit_type, object_pk=str(unit.pk))
        assert set(on_unit.values_list("group__name", "permission__codename")) == {
            (unit.heads_group_name, p) for p in (Perm.VIEW, Perm.CHANGE, Perm.SUBMIT)
        }
        head = Person.objects.get(username=f"head-{unit.code}")
        assert holds(head, Perm.SUBMIT, nomination)
    office = Person.objects.get(username="office1")
    assert nominations_visible_to(user=office).count() == 18
    tkth = Person.objects.get(username="head-tkth")
    assert set(nominations_visible_to(user=tkth).values_list("nominating_unit__code", flat=True)) == {"tkth"}


def test_every_generated_timeline_follows_the_state_machine(demo: None) -> None:
    generate.fill(nominations=40, events=400)
    for nomination in Nomination.objects.filter(summary=generate.GENERATED_SUMMARY):
        steps = list(
            AuditEvent.objects.filter(nomination=nomination, kind=AuditEvent.Kind.TRANSITION)
            .order_by("seq")
            .values_list("transition", "from_state", "to_state")
        )
        assert [(name, to) for name, _from, to in steps] == [
            (name, str(to)) for name, to in generate.PATHS[nomination.state]
        ]
        assert all(a[2] == b[1] for a, b in itertools.pairwise(steps))
