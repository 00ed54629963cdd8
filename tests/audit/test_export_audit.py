"""manage.py export_audit: the whole log, oldest first, every column, streamed."""

from __future__ import annotations

import csv
import io
import itertools
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.builders import core as builders
from workflow.audit import log as audit
from workflow.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged(demo: None) -> int:
    builders.in_state("evaluated", award="LDTT", nominee="staff-tkth-2")
    audit.seal_pending()  # what the hooks after each commit do (this test's transaction is rolled back)
    return AuditEvent.objects.count()


def test_the_csv_export_holds_every_event_in_chain_order_with_its_hash(logged: int, tmp_path: Path) -> None:
    target = tmp_path / "nhat-ky.csv"
    err = io.StringIO()
    call_command("export_audit", "--format", "csv", "--output", str(target), stderr=err)
    assert err.getvalue().strip() == f"OK {logged} events"
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # spreadsheet programs then read UTF-8
    rows = list(csv.DictReader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert [int(r["seq"]) for r in rows] == list(range(1, logged + 1))
    last = AuditEvent.objects.order_by("seq").last()
    assert last is not None
    assert rows[-1]["hash"] == last.hash and rows[-1]["prev_hash"] == last.prev_hash
    evaluate = next(r for r in rows if r["transition"] == "evaluate")
    assert evaluate["actor_name"] == "Phạm Thị Ngọc Lan"  # Vietnamese text intact
    assert json.loads(evaluate["data"])["score"] == "95.00"


def test_the_jsonl_export_is_one_event_per_line_and_checks_against_the_chain(
    logged: int, tmp_path: Path
) -> None:
    target = tmp_path / "nhat-ky.jsonl"
    call_command("export_audit", "--format", "jsonl", "-o", str(target), stderr=io.StringIO())
    lines = target.read_text(encoding="utf-8").splitlines()
    assert len(lines) == logged
    events = [json.loads(line) for line in lines]
    assert all(e["object_type"] for e in events)
    # The export is enough to re-check the links between events.
    assert events[0]["prev_hash"] == audit.GENESIS
    assert all(b["prev_hash"] == a["hash"] for a, b in itertools.pairwise(events))


def test_the_export_goes_to_standard_output_by_default(
    logged: int, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("export_audit", "--format", "jsonl", stderr=io.StringIO())
    assert len(capsys.readouterr().out.splitlines()) == logged


def test_an_unknown_format_is_refused(demo: None) -> None:
    with pytest.raises(CommandError):
        call_command("export_audit", "--format", "xml")
