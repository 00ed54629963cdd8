from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from nominations.access import Perm, filter_holding, holds, people_holding
from nominations.models import Delegation, Nomination, Person, Role, State
from nominations.selectors.nominations import nominations_visible_to
from tests.builders import core as builders
from tests.builders import participation as support
from workflow.audit import log as audit
from workflow.base.errors import InvalidInput, NotPermitted, WrongState
from workflow.models import AuditEvent
from workflow.process import sync as process_api
from workflow.services import delegations as services
from workflow.services import transitions as t

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _proposed() -> Nomination:
    return builders.to_state(builders.draft(award="LDTT", nominee="staff-tkth-2"), State.PROPOSED)


def _delegate(people: dict[str, Person], *, starts: Any = None, ends: Any = None) -> Delegation:
    now = timezone.now()
    return services.delegation_create(
        actor=people["director"],
        delegate=people["deputy"],
        starts=starts or now - DAY,
        ends=ends or now + 7 * DAY,
        note="Quyết định ủy quyền số 05/QĐ-CTK (Cục trưởng đi công tác)",
    )


def test_a_deputy_without_a_delegation_cannot_decide(demo: None, people: dict[str, Person]) -> None:
    nomination = _proposed()
    assert not holds(people["deputy"], Perm.DECIDE, nomination)
    with pytest.raises(NotPermitted):
        support.approve(nomination, people["deputy"])
    nomination.refresh_from_db()
    assert nomination.state == State.PROPOSED


def test_a_deputy_with_a_live_delegation_decides_and_the_audit_shows_the_delegation(
    demo: None, people: dict[str, Person]
) -> None:
    nomination = _proposed()
    delegation = _delegate(people)
    assert holds(people["deputy"], Perm.DECIDE, nomination)
    assert list(filter_holding(Nomination.objects.all(), people["deputy"], Perm.DECIDE)) == [nomination]
    assert list(nominations_visible_to(user=people["deputy"])) == [nomination]  # to read what they decide
    approved = support.approve(nomination, people["deputy"])
    assert approved.state == State.APPROVED
    event = AuditEvent.objects.get(nomination=nomination, transition="approve")
    assert event.actor == people["deputy"]
    assert event.actor_role == Role.DEPUTY_DIRECTOR
    assert event.data["delegation"] == delegation.pk
    assert event.data["delegated_by"] == "director"
    granted = AuditEvent.objects.get(
        kind=AuditEvent.Kind.PERMISSION_GRANTED, data__action="delegation_created"
    )
    assert granted.actor == people["director"] and granted.data["delegate"] == "deputy"
    assert audit.verify().ok


def test_the_directors_own_decision_records_no_delegation(demo: None, people: dict[str, Person]) -> None:
    _delegate(people)
    nomination = _proposed()
    support.approve(nomination, people["director"])
    event = AuditEvent.objects.get(nomination=nomination, transition="approve")
    assert event.actor_role == Role.DIRECTOR and "delegation" not in event.data


@pytest.mark.parametrize("when", ["not_yet", "expired", "revoked", "role_lost", "director_left"])
def test_a_delegation_that_is_not_live_grants_nothing(
    demo: None, people: dict[str, Person], when: str
) -> None:
    nomination = _proposed()
    now = timezone.now()
    if when == "not_yet":
        _delegate(people, starts=now + DAY, ends=now + 5 * DAY)
    elif when == "expired":
        delegation = _delegate(people)
        Delegation.objects.filter(pk=delegation.pk).update(starts_at=now - 9 * DAY, ends_at=now - DAY)
    elif when == "revoked":
        services.delegation_revoke(delegation=_delegate(people), actor=people["director"], reason="Đã về")
    elif when == "role_lost":
        _delegate(people)
        people["deputy"].groups.remove(Group.objects.get(name=Role.DEPUTY_DIRECTOR))
    else:
        _delegate(people)
        people["director"].groups.remove(Group.objects.get(name=Role.DIRECTOR))
    deputy = Person.objects.get(username="deputy")
    assert not holds(deputy, Perm.DECIDE, nomination)
    assert not filter_holding(Nomination.objects.all(), deputy, Perm.DECIDE).exists()
    assert not nominations_visible_to(user=deputy).exists()
    with pytest.raises(NotPermitted):
        t.nomination_decline(nomination=nomination, actor=deputy, comment="Không đủ thành tích")


def test_the_deputys_queue_offers_the_decision_task_only_while_the_delegation_is_live(
    demo: None, people: dict[str, Person]
) -> None:
    nomination = _proposed()

    def decision_tasks_offered() -> list[int]:
        tasks = process_api.tasks_queue(Person.objects.get(username="deputy"))
        return [
            t.process.nominationprocess.nomination_id
            for t in tasks.select_related("process__nominationprocess")
        ]

    assert decision_tasks_offered() == []
    delegation = _delegate(people)
    assert decision_tasks_offered() == [nomination.pk]
    assert nomination.pk in [
        t.process.nominationprocess.nomination_id
        for t in process_api.tasks_queue(people["director"]).select_related("process__nominationprocess")
    ]
    services.delegation_revoke(delegation=delegation, actor=people["director"], reason="Đã về")
    assert decision_tasks_offered() == []


def test_only_the_decision_step_and_reading_are_delegated(demo: None, people: dict[str, Person]) -> None:
    nomination = builders.draft(award="LDTT", nominee="staff-tkth-2")
    nomination = builders.to_state(nomination, State.SUBMITTED)
    _delegate(people)
    deputy = people["deputy"]
    assert holds(deputy, Perm.VIEW, nomination)  # to read what they decide
    for perm in (Perm.REVIEW, Perm.SUBMIT, Perm.SCHEDULE, Perm.CLOSE_VOTE, Perm.CHANGE):
        assert not holds(deputy, perm, nomination), perm
    with pytest.raises(NotPermitted):
        t.nomination_evaluate(nomination=nomination, actor=deputy, score=90, assessment="Đạt")


def test_only_the_director_delegates_and_only_to_a_deputy_director(
    demo: None, people: dict[str, Person]
) -> None:
    now = timezone.now()
    for actor in ("deputy", "office1", "admin", "council1"):
        with pytest.raises(NotPermitted):
            services.delegation_create(
                actor=people[actor], delegate=people["deputy"], starts=now, ends=now + DAY
            )
    for delegate in ("office1", "council1", "secretary", "director"):
        with pytest.raises(InvalidInput) as refused:
            services.delegation_create(
                actor=people["director"], delegate=people[delegate], starts=now, ends=now + DAY
            )
        assert refused.value.field == "delegate"
    with pytest.raises(InvalidInput):
        services.delegation_create(
            actor=people["director"], delegate=people["deputy"], starts=now, ends=now - DAY
        )
    assert not Delegation.objects.exists()


def test_a_revoked_delegation_cannot_be_revoked_again_and_only_a_director_revokes(
    demo: None, people: dict[str, Person]
) -> None:
    delegation = _delegate(people)
    with pytest.raises(NotPermitted):
        services.delegation_revoke(delegation=delegation, actor=people["deputy"])
    services.delegation_revoke(delegation=delegation, actor=people["director"])
    with pytest.raises(WrongState):
        services.delegation_revoke(delegation=delegation, actor=people["director"])
    assert (
        AuditEvent.objects.filter(
            kind=AuditEvent.Kind.PERMISSION_REVOKED, data__action="delegation_revoked"
        ).count()
        == 1
    )


def test_the_deputy_is_told_of_items_to_decide_only_while_the_delegation_is_live(
    demo: None, people: dict[str, Person]
) -> None:
    nomination = _proposed()
    assert "deputy" not in {p.username for p in people_holding(Perm.DECIDE, nomination)}
    delegation = _delegate(people)
    assert {p.username for p in people_holding(Perm.DECIDE, nomination)} == {"director", "deputy"}
    services.delegation_revoke(delegation=delegation, actor=people["director"])
    assert {p.username for p in people_holding(Perm.DECIDE, nomination)} == {"director"}


def test_the_delegation_check_costs_no_extra_query(
    demo: None, people: dict[str, Person], django_assert_num_queries: Any
) -> None:
    nomination = _proposed()
    _delegate(people)
    deputy = Person.objects.get(username="deputy")
    with django_assert_num_queries(1):
        assert holds(deputy, Perm.DECIDE, nomination)
    office = Person.objects.get(username="office1")
    # What they hold, read once at every level (delegation included); no grant on single nominations to
    # probe (was 2: group grants, then personal grants)
    with django_assert_num_queries(1):
        assert not holds(office, Perm.DECIDE, nomination)


def test_the_director_delegates_and_revokes_on_the_page(
    demo: None, client: Client, people: dict[str, Person]
) -> None:
    today = timezone.localdate()
    client.force_login(people["deputy"])
    assert "Ủy quyền mới" not in client.get("/tham-gia/uy-quyen/").content.decode()
    client.force_login(people["staff-tkth-1"])
    assert client.get("/tham-gia/uy-quyen/").status_code == 403
    client.force_login(people["director"])
    form = {
        "delegate": people["deputy"].pk,
        "starts_on": today.isoformat(),
        "ends_on": (today + 3 * DAY).isoformat(),
        "note": "Đi công tác",
    }
    assert client.post("/tham-gia/uy-quyen/", form).status_code == 302
    delegation = Delegation.objects.get()
    assert delegation.is_live() and timezone.localtime(delegation.ends_at).date() == today + 3 * DAY
    office_as_delegate = client.post("/tham-gia/uy-quyen/", {**form, "delegate": people["office1"].pk})
    assert office_as_delegate.status_code == 200 and "errorlist" in office_as_delegate.content.decode()
    assert client.post(f"/tham-gia/uy-quyen/{delegation.pk}/thu-hoi/").status_code == 302
    delegation.refresh_from_db()
    assert delegation.revoked_at is not None and delegation.revoked_by == people["director"]


def _rows(rows: Any) -> list[tuple[str, ...]]:
    return sorted(tuple(str(value) for value in row) for row in rows)


def test_the_compiled_rights_statement_reads_what_the_orm_query_reads(
    demo: None, people: dict[str, Person]
) -> None:
    """`_held` runs its query compiled once with stand-ins (issue 17): for every demo person, before and
    during a delegation, its rows are exactly those of the ORM query it was compiled from."""
    from nominations.access import _held, _held_query, _held_rows

    def compare() -> int:
        checked = 0
        for person in Person.objects.order_by("pk"):
            assert _rows(_held_rows(person)) == _rows(_held_query(person)), person.username
            checked += 1
        return checked

    assert compare() >= 20
    lent_row = ("lent", "", "", "")
    assert lent_row not in _rows(_held_rows(people["deputy"]))
    assert Perm.DECIDE not in _held(people["deputy"]).agency
    _delegate(people)
    assert lent_row in _rows(_held_rows(people["deputy"]))  # the delegation, read live now
    deputy = Person.objects.get(pk=people["deputy"].pk)
    assert _held(deputy).agency == {Perm.DECIDE: {Role.DIRECTOR}, Perm.VIEW: {Role.DIRECTOR}}
    assert compare() >= 20
