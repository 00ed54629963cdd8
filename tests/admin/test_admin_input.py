"""The Django admin's forms refuse control characters as the pages and the API do: a form error on the
field, nothing saved, nothing logged, never a 500 — on the object's form, its inlines and the password."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.db.models import Model
from django.test import Client, RequestFactory

from nominations.admin_base import GuardedInputAdmin
from nominations.models import AwardRule, BaseSalary, Case, OrgUnit, Person, Target
from tests.builders import core as builders
from tests.builders.admin_forms import form_of, post_changed
from tests.builders.audit import events_since, head
from workflow.models import Holiday

pytestmark = pytest.mark.django_db

BELL = "\x07"  # a control character that is not NUL (NUL had its own check already)


@pytest.fixture
def admin_client(demo: None) -> Client:
    # The demo's administrator, allowed to change the models these tests post to.
    Group.objects.get(name="administrator").permissions.add(
        *Permission.objects.filter(
            content_type__model__in=["orgunit", "award", "awardrule", "basesalary", "target", "holiday"],
            codename__regex=r"^(view|add|change)_",
        )
    )
    return builders.signed_in("admin")


def _refused(response: Any, char: str = BELL) -> None:
    assert response.status_code == 200  # the form again, with its errors: not a redirect, not a 500
    assert f"U+{ord(char):04X}" in response.content.decode(), "the field's error names the character"


def _inline_prefix(data: dict[str, list[str]], obj: Model) -> str:
    return next(n[: -len("-id")] for n, v in data.items() if n.endswith("-id") and v == [str(obj.pk)])


@pytest.mark.parametrize(
    ("model", "field"),
    [
        (OrgUnit, "name"),  # nominations/admin.py, audited
        (BaseSalary, "legal_basis"),  # workflow/admin.py, saved through a workflow service
        (Target, "name"),  # workflow/admin.py, saved through reference_save
    ],
)
def test_a_control_character_in_an_admin_form_is_a_field_error(
    admin_client: Client, model: type[Model], field: str
) -> None:
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"the demo has a {model.__name__}"
    before_value, before = getattr(obj, field), head()
    url = f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"
    _refused(post_changed(admin_client, url, **{field: f"Tên{BELL}mới"}))
    obj.refresh_from_db()
    assert getattr(obj, field) == before_value
    assert events_since(before) == []


def test_a_control_character_in_an_inline_row_is_a_field_error(admin_client: Client) -> None:
    rule = AwardRule.objects.select_related("award").order_by("pk").first()
    assert rule is not None
    url = f"/admin/nominations/award/{rule.award_id}/change/"
    prefix, before = _inline_prefix(form_of(admin_client, url), rule), head()
    _refused(post_changed(admin_client, url, **{f"{prefix}-legal_basis": f"Căn cứ{BELL}"}))
    assert AwardRule.objects.get(pk=rule.pk).legal_basis == rule.legal_basis
    assert events_since(before) == []


def test_a_control_character_in_an_added_row_is_a_field_error(admin_client: Client) -> None:
    before, count = head(), Holiday.objects.count()
    response = admin_client.post("/admin/workflow/holiday/add/", {"day": "01/09/2031", "name": f"Lễ{BELL}"})
    _refused(response)
    assert events_since(before) == [] and Holiday.objects.count() == count


def test_a_control_character_in_a_password_set_in_the_admin_is_a_field_error(admin_client: Client) -> None:
    target = builders.person("office1")
    before, old_hash = head(), target.password
    password = f"Mat-khau{BELL}moi-2026!"
    url = f"/admin/nominations/person/{target.pk}/password/"
    _refused(post_changed(admin_client, url, password1=password, password2=password))
    target.refresh_from_db()
    assert target.password == old_hash
    assert events_since(before) == []


def test_text_areas_of_admin_forms_keep_their_line_breaks(demo: None) -> None:
    request = RequestFactory().get("/admin/")
    request.user = builders.person("admin")
    form_class = admin.site._registry[Case].get_form(request)
    person = builders.person("office1")
    base = {"person": person.pk, "opened_on": "01/03/2026", "discipline_level": ""}
    kept = form_class(data={**base, "description": "Dòng một\r\n\tDòng hai"})
    assert "description" not in kept.errors, kept.errors
    refused = form_class(data={**base, "description": f"Dòng một{BELL}"})
    assert refused.errors["description"][0].startswith("Có ký tự điều khiển")


def test_every_project_admin_that_can_save_guards_its_forms() -> None:
    request = RequestFactory().get("/admin/")
    request.user = Person(username="root", is_active=True, is_superuser=True)  # may do all the admin allows
    unguarded = [
        type(model_admin).__name__
        for model_admin in admin.site._registry.values()
        if type(model_admin).__module__.split(".")[0] in {"nominations", "workflow"}
        and (model_admin.has_add_permission(request) or model_admin.has_change_permission(request))
        and not isinstance(model_admin, GuardedInputAdmin)
    ]
    assert unguarded == []
