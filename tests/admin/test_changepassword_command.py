"""`manage.py changepassword` writes the same chained event as the admin's password change, never the
password nor its hash; a change that does not happen writes nothing."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pytest
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError

from tests.builders import core as builders
from tests.builders.audit import assert_log_verifies, events_since, head
from workflow.models import AuditEvent

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Mat-khau-dong-lenh-2026!"


def _typed(monkeypatch: pytest.MonkeyPatch, answers: list[str]) -> None:
    """What the administrator types at the command's prompts (the terminal is the only thing replaced)."""
    typed: Iterator[str] = iter(answers)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))


def test_the_project_command_is_the_one_manage_py_runs() -> None:
    # Django takes a command from the first app in INSTALLED_APPS that has it: `nominations` before auth.
    assert get_commands()["changepassword"] == "nominations"


def test_changepassword_is_in_the_chained_log_without_the_password(
    demo: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = builders.person("office1")
    before, old_hash = head(), target.password
    _typed(monkeypatch, [NEW_PASSWORD, NEW_PASSWORD])
    out = io.StringIO()
    call_command("changepassword", "office1", stdout=out)
    assert "Password changed successfully" in out.getvalue()
    target.refresh_from_db()
    assert target.check_password(NEW_PASSWORD)
    [event] = events_since(before)
    assert (event.kind, event.transition, event.object_type, event.object_id) == (
        AuditEvent.Kind.ADMIN,
        "password_changed",
        "nominations.person",
        str(target.pk),
    )
    assert event.actor is None and event.actor_name == "hệ thống"  # a shell on the server, not a person
    assert "password changed" in event.comment
    assert event.data["changes"] == {"usable_password": {"before": None, "after": True}}
    stored = json.dumps(event.data, ensure_ascii=False) + event.comment
    for secret in (NEW_PASSWORD, target.password, old_hash):
        assert secret not in stored
    assert_log_verifies()


def test_a_refused_change_writes_no_event_and_keeps_the_password(
    demo: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = builders.person("office1")
    before, old_hash = head(), target.password
    _typed(monkeypatch, ["Mot-mat-khau-2026!", "Khac-mat-khau-2026!"] * 3)  # never the same twice
    with pytest.raises(CommandError, match="Aborting password change"):
        call_command("changepassword", "office1", stdout=io.StringIO())
    target.refresh_from_db()
    assert target.password == old_hash
    assert events_since(before) == []


def test_an_unknown_user_is_a_clear_error(demo: None) -> None:
    before = head()
    with pytest.raises(CommandError, match="does not exist"):
        call_command("changepassword", "khong-co-ai", stdout=io.StringIO())
    assert events_since(before) == []
