"""Every administrator action in the Django admin that changes people, roles, passwords, rules or
catalogues writes a chained audit event: who, what, before → after, never the password."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from nominations.models import AwardRule, Person
from tests.builders import core as builders
from tests.builders.admin_forms import form_of, submit
from tests.builders.audit import assert_log_verifies, events_since, head
from workflow.models import AuditEvent, Holiday

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(demo: None) -> Client:
    return builders.signed_in("admin")


def test_a_password_set_in_the_admin_is_in_the_chained_log_without_the_password(admin_client: Client) -> None:
    target = builders.person("office1")
    before, old_hash = head(), target.password
    new_password = "Mat-khau-moi-2026!"
    url = f"/admin/nominations/person/{target.pk}/password/"
    submit(admin_client, url, password1=new_password, password2=new_password)
    target.refresh_from_db()
    assert target.check_password(new_password)
    [event] = [e for e in events_since(before) if e.kind == AuditEvent.Kind.ADMIN]
    assert (event.transition, event.object_type, event.object_id) == (
        "password_changed",
        "nominations.person",
        str(target.pk),
    )
    assert event.actor == builders.person("admin") and event.actor_role == "administrator"
    assert "password changed" in event.comment
    stored = json.dumps(event.data) + event.comment
    for secret in (new_password, target.password, old_hash):
        assert secret not in stored
    assert_log_verifies()


def test_a_person_edited_in_the_admin_is_logged_before_and_after(admin_client: Client) -> None:
    target = builders.person("office2")
    before = head()
    submit(
        admin_client, f"/admin/nominations/person/{target.pk}/change/", full_name="Tên Đã Đổi", is_active=None
    )
    [event] = [e for e in events_since(before) if e.kind == AuditEvent.Kind.ADMIN]
    assert event.transition == "changed"
    assert event.data["changes"]["full_name"] == {"before": target.full_name, "after": "Tên Đã Đổi"}
    assert event.data["changes"]["is_active"] == {"before": True, "after": False}
    assert_log_verifies()


def test_a_role_given_in_the_admin_is_logged(admin_client: Client) -> None:
    target = builders.person("office2")
    director = Group.objects.get(name="director")
    before = head()
    url = f"/admin/nominations/person/{target.pk}/change/"
    groups = [*form_of(admin_client, url)["groups"], str(director.pk)]
    submit(admin_client, url, groups=groups)
    new = events_since(before)
    granted = [e for e in new if e.kind == AuditEvent.Kind.PERMISSION_GRANTED]
    assert [e.data.get("role") for e in granted] == ["director"]
    [change] = [e for e in new if e.kind == AuditEvent.Kind.ADMIN]
    roles = change.data["changes"]["groups"]
    assert "director" not in roles["before"] and "director" in roles["after"]
    assert_log_verifies()


def test_a_person_added_in_the_admin_is_logged_without_the_password(admin_client: Client) -> None:
    before = head()
    data = form_of(admin_client, "/admin/nominations/person/add/")
    data.update(
        username=["canbo-moi"],
        full_name=["Cán Bộ Mới"],
        password1=["Bi-mat-123!xyz"],
        password2=["Bi-mat-123!xyz"],
    )
    data.update(usable_password=["true"])
    response = admin_client.post("/admin/nominations/person/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    [event] = [e for e in events_since(before) if e.kind == AuditEvent.Kind.ADMIN]
    assert event.transition == "created" and event.object_id == str(
        Person.objects.get(username="canbo-moi").pk
    )
    assert event.data["changes"]["username"]["after"] == "canbo-moi"
    assert "Bi-mat-123!xyz" not in json.dumps(event.data)


def test_a_group_permission_changed_in_the_admin_is_logged(admin_client: Client) -> None:
    group = Group.objects.get(name="auditor")
    permission = Permission.objects.get(codename="add_holiday")
    before = head()
    url = f"/admin/auth/group/{group.pk}/change/"
    submit(
        admin_client,
        url,
        permissions=[*form_of(admin_client, url).get("permissions", []), str(permission.pk)],
    )
    [event] = [e for e in events_since(before) if e.kind == AuditEvent.Kind.ADMIN]
    after = event.data["changes"]["permissions"]["after"]
    assert len(after) == len(event.data["changes"]["permissions"]["before"]) + 1
    assert_log_verifies()


def test_an_award_rule_edited_in_the_admin_is_a_logged_rule_change(admin_client: Client) -> None:
    rule = AwardRule.objects.filter(requires_vote=True).first()
    assert rule is not None
    before = head()
    submit(
        admin_client,
        f"/admin/nominations/awardrule/{rule.pk}/change/",
        legal_basis="Điều 24 Luật TĐKT 2022 (sửa)",
    )
    [event] = events_since(before)
    assert (event.kind, event.transition) == (AuditEvent.Kind.RULE_CHANGED, "changed")
    assert event.data["changes"]["legal_basis"] == {
        "before": rule.legal_basis,
        "after": "Điều 24 Luật TĐKT 2022 (sửa)",
    }
    assert_log_verifies()


def test_a_rule_edited_inline_under_its_award_is_logged(admin_client: Client) -> None:
    rule = AwardRule.objects.filter(requires_vote=True).select_related("award").first()
    assert rule is not None
    url = f"/admin/nominations/award/{rule.award_id}/change/"
    data = form_of(admin_client, url)
    prefix = next(
        name[: -len("-id")]
        for name, value in data.items()
        if name.endswith("-id") and value == [str(rule.pk)]
    )
    before = head()
    submit(admin_client, url, **{f"{prefix}-legal_basis": "Căn cứ mới"})
    [event] = events_since(before)
    assert (event.kind, event.object_type, event.object_id) == (
        AuditEvent.Kind.RULE_CHANGED,
        "nominations.awardrule",
        str(rule.pk),
    )
    assert event.data["changes"]["legal_basis"]["after"] == "Căn cứ mới"


def test_catalogue_rows_deleted_in_bulk_are_logged(admin_client: Client) -> None:
    days = [Holiday.objects.create(day=f"2031-0{m}-01", name=f"Nghỉ {m}") for m in (1, 2)]
    Group.objects.get(name="administrator").permissions.add(
        *Permission.objects.filter(codename__in=["view_holiday", "delete_holiday"])
    )
    before = head()
    response = admin_client.post(
        "/admin/workflow/holiday/",
        {"action": "delete_selected", "_selected_action": [d.pk for d in days], "post": "yes"},
    )
    assert response.status_code == 302
    deleted = [e for e in events_since(before) if e.transition == "deleted"]
    assert sorted(e.object_id for e in deleted) == sorted(str(d.pk) for d in days)
    assert not Holiday.objects.filter(pk__in=[d.pk for d in days]).exists()
    assert_log_verifies()


def _password_event(before: int, person: Person) -> AuditEvent:
    [event] = [e for e in events_since(before) if e.kind == AuditEvent.Kind.ADMIN]
    assert (event.transition, event.object_id) == ("password_changed", str(person.pk))
    assert "password changed" in event.comment
    return event


def test_ones_own_password_change_in_the_admin_is_in_the_chained_log(admin_client: Client) -> None:
    me = builders.person("admin")
    old_password, new_password = "Mat-khau-cu-2026!", "Mat-khau-cua-toi-2026!"
    me.set_password(old_password)
    me.save()
    admin_client.force_login(me)
    before = head()
    response = admin_client.post(
        "/admin/password_change/",
        {"old_password": old_password, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    me.refresh_from_db()
    assert me.check_password(new_password)
    event = _password_event(before, me)
    assert event.actor == me
    stored = json.dumps(event.data) + event.comment
    assert new_password not in stored and old_password not in stored and me.password not in stored
    assert_log_verifies()
