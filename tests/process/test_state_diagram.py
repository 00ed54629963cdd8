"""docs/state-machine.md is generated from the code and must not drift from it."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from nominations.models import State
from workflow.process import diagram
from workflow.process.transitions import edges

DOC = Path(settings.BASE_DIR) / diagram.DOC_PATH


def test_the_committed_state_diagram_is_what_the_code_generates() -> None:
    assert DOC.read_text(encoding="utf-8") == diagram.document(), (
        "docs/state-machine.md differs from the code: run `python manage.py state_diagram`"
    )


def test_the_diagram_has_one_line_per_edge_and_every_state() -> None:
    text = diagram.mermaid()
    for source, name, target in edges():
        assert f"    {source} --> {target}: {name}\n" in text
    for state in State.values:
        assert f" {state} " in text or f" {state}\n" in text or f"{state} -->" in text


def test_the_check_option_fails_when_the_file_differs(tmp_path: Path, settings: Any) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / diagram.DOC_PATH).write_text("# hand-drawn\n", encoding="utf-8")
    settings.BASE_DIR = tmp_path
    with pytest.raises(CommandError, match="out of date"):
        call_command("state_diagram", "--check", stdout=io.StringIO())
    call_command("state_diagram", stdout=io.StringIO())
    assert (tmp_path / diagram.DOC_PATH).read_text(encoding="utf-8") == diagram.document()
    call_command("state_diagram", "--check", stdout=io.StringIO())
