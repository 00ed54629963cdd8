"""Ballot secrecy, tested against what is actually stored: every table, every row, every log line.

The strongest form of "no way to join a member to a choice": two agenda items get the same totals
from the same members voting in the same order, but each member's choice differs between the two.
If anything written anywhere depended on who chose what, the rows written for the two items would
differ. They do not, once the values that are random by design (ids, timestamps, receipts' hashes,
the audit chain's hashes, and the sealed ciphertexts — whose length is still compared) are masked.
"""

from __future__ import annotations

import datetime
import json
import logging
import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nominations.models import BallotParticipation, BallotReceipt, CouncilSession, Nomination, SealedBallot
from tests.builders import core as builders
from tests.builders.council import NINE, close, evaluated, session_with, vote
from workflow.audit import log as audit
from workflow.base.errors import Conflict
from workflow.models import NominationProcess
from workflow.services import ballot_seal

pytestmark = pytest.mark.django_db

CHOICES_A = dict(zip(NINE, ["yes", "yes", "yes", "yes", "no", "no", "no", "abstain", "abstain"], strict=True))
# The same totals, but every member's choice on B differs from theirs on A.
CHOICES_B = dict(zip(NINE, ["no", "no", "abstain", "abstain", "yes", "yes", "yes", "yes", "no"], strict=True))
CHOICE_WORDS = ("yes", "no", "abstain")
HEX = re.compile(r"^[0-9a-f]{32}$|^[0-9a-f]{64}$")


def _plain(value: Any) -> Any:
    return bytes(value) if isinstance(value, memoryview) else value


def snapshot() -> dict[str, set[tuple[tuple[str, Any], ...]]]:
    """Every row of every table in the database, as a DB administrator would read it."""
    tables: dict[str, set[tuple[tuple[str, Any], ...]]] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            columns = [c[0] for c in cursor.description]
            tables[table] = {tuple(zip(columns, map(_plain, row), strict=True)) for row in cursor.fetchall()}
    return tables


def physical_rows(table: str) -> list[dict[str, Any]]:
    """The rows in the order the database returns them without ORDER BY."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        columns = [c[0] for c in cursor.description]
        return [dict(zip(columns, map(_plain, row), strict=True)) for row in cursor.fetchall()]


def insertion_order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows in the order they were written, as far as the table can tell it: row order is what leaks.

    A sequential id tells a reader the insertion order, so rows with one are put in that order. Where
    the id is random (the sealed ballots, the receipts) only the physical order is left to read, and
    the sort keeps it. PostgreSQL's physical order follows free space in its pages (dead rows of
    rolled-back transactions are reused), so it is not a reliable record of insertion order there.
    """
    return sorted(rows, key=lambda row: row["id"] if isinstance(row["id"], int) else 0)


def written(before: dict[str, set[Any]], after: dict[str, set[Any]]) -> dict[str, set[Any]]:
    return {t: after[t] - before.get(t, set()) for t in after if after[t] - before.get(t, set())}


def values(rows: set[tuple[tuple[str, Any], ...]]) -> Iterator[tuple[str, Any]]:
    for row in rows:
        yield from row


def mask(column: str, value: Any, item: int) -> Any:
    """Hide what is random by design and the item's own id; keep everything else as stored."""
    if column == "nomination_id":
        return "ITEM" if value == item else value
    if column in ("id", "seq"):
        return "<row id>"
    if isinstance(value, bytes):
        return f"<{len(value)} random bytes>"
    if isinstance(value, datetime.datetime | uuid.UUID) or column == "at":
        return "<random or time>"
    if isinstance(value, str) and HEX.match(value.replace("-", "")):
        return "<random or hash>"
    if column == "data" and isinstance(value, str | dict):
        data = json.loads(value) if isinstance(value, str) else value
        return json.dumps(data, sort_keys=True)
    return value


def rows_of(table: str, item: Nomination, since: dict[str, set[Any]]) -> list[dict[str, Any]]:
    """The rows about `item` written since the `since` snapshot, in insertion order, masked."""
    return [
        {column: mask(column, value, item.pk) for column, value in row.items()}
        for row in insertion_order(physical_rows(table))
        if row.get("nomination_id") == item.pk and tuple(row.items()) not in since.get(table, set())
    ]


TASK_TIMES = ("created", "assigned", "started", "finished", "scheduled")


def ballot_task_rows(item: Nomination, since: dict[str, set[Any]]) -> list[dict[str, Any]]:
    """The viewflow tasks of `item`'s process written since `since`, in insertion order, masked."""
    process_id = NominationProcess.objects.get(nomination=item).pk
    return [
        {
            column: (
                "<row id>"
                if column in ("id", "process_id")
                else "<time>"
                if column in TASK_TIMES and value is not None
                else re.sub(r"/\d+_", "/<vote task>_", value)
                if column == "token"
                else mask(column, value, item.pk)
            )
            for column, value in row.items()
        }
        for row in insertion_order(physical_rows("viewflow_task"))
        if row["process_id"] == process_id and tuple(row.items()) not in since.get("viewflow_task", set())
    ]


def _words(value: Any) -> Iterator[str]:
    """Every string inside a JSON value, keys included."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _words(item)
    elif isinstance(value, list):
        for item in value:
            yield from _words(item)
    elif isinstance(value, str):
        yield value


def assert_viewflow_holds_no_choice(tables: dict[str, set[tuple[tuple[str, Any], ...]]]) -> None:
    """No row of viewflow's tables (tasks, processes: their `data` above all) holds a choice."""
    viewflow_tables = [t for t in tables if t.startswith("viewflow_")]
    assert {"viewflow_task", "viewflow_process"} <= set(viewflow_tables)
    for table in viewflow_tables:
        for row in tables[table]:
            for column, value in row:
                if column == "data":
                    data = json.loads(value) if isinstance(value, str) else value
                    assert not set(_words(data)) & set(CHOICE_WORDS), (table, data)
                elif isinstance(value, str):
                    assert value not in CHOICE_WORDS, (table, column)
    ballots = [dict(row) for row in tables["viewflow_task"] if dict(row)["flow_task"].endswith(".ballot")]
    assert ballots, "the members' ballot tasks are in viewflow_task"
    for ballot in ballots:
        data = json.loads(ballot["data"]) if isinstance(ballot["data"], str) else ballot["data"]
        assert data == {}, data  # a ballot task carries nothing but its owner


def test_no_table_written_during_voting_lets_anyone_join_a_member_to_a_choice(
    demo: None, caplog: pytest.LogCaptureFixture
) -> None:
    a, b = evaluated(nominee="staff-tkth-2"), evaluated(nominee="staff-tkth-3")
    session = session_with([a, b])
    audit.seal_pending()  # the set-up's events chained, as their commits would have (this test never commits)
    before = snapshot()
    caplog.set_level(logging.DEBUG)
    with CaptureQueriesContext(connection) as queries:
        for member in NINE:  # each member votes on A then on B, in the same order
            vote(session, a, {member: CHOICES_A[member]})
            vote(session, b, {member: CHOICES_B[member]})
        audit.seal_pending()  # what each ballot's commit does: its audit event chained
    after = snapshot()
    changed = written(before, after)

    # 1. Exactly these tables were written while voting; a new one must be reviewed here first.
    assert set(changed) == {
        "nominations_ballotparticipation",
        "nominations_sealedballot",
        "nominations_ballotreceipt",
        "workflow_auditevent",
        "workflow_auditchainhead",
        "viewflow_task",  # each member's ballot task in the process turned DONE
    }

    # 2. No written value, no SQL statement sent, no log line holds a choice in clear.
    for table, rows in changed.items():
        for column, value in values(rows):
            if isinstance(value, str):
                assert value not in CHOICE_WORDS, (table, column)
                if value.startswith("{"):
                    assert not set(_words(json.loads(value))) & set(CHOICE_WORDS), (table, column)
    for query in queries.captured_queries:
        for word in CHOICE_WORDS:
            assert f"'{word}'" not in query["sql"] and f'"{word}"' not in query["sql"], query["sql"]
    for record in caplog.records:
        message = record.getMessage()
        assert not any(re.search(rf"\b{w}\b", message) for w in CHOICE_WORDS), message

    # 3. The only rows whose content depends on a choice are the sealed ballots: no member, no time,
    #    random ids, all the same length — and the key that opens them is not in the database.
    sealed = physical_rows("nominations_sealedballot")
    assert {tuple(sorted(row)) for row in sealed} == {("id", "nomination_id", "sealed", "session_id")}
    assert len({len(row["sealed"]) for row in sealed}) == 1
    assert len({row["sealed"] for row in sealed}) == len(sealed) == 18  # no two alike, even for one choice
    assert len(sealed[0]["sealed"]) == ballot_seal.NONCE_BYTES + 1 + 16  # nonce, one byte, GCM tag
    secret = settings.BALLOT_SEAL_KEY
    key = ballot_seal._key(secret)
    for table_rows in after.values():
        for _column, value in values(table_rows):
            if isinstance(value, str):
                assert secret not in value and key.hex() not in value
            if isinstance(value, bytes):
                assert key not in value

    # 4. Indistinguishable: what was stored for A and for B is the same, although every member chose
    #    differently on the two — so nothing stored (values, row order, ids, times) tells who chose what.
    for table in (
        "nominations_ballotparticipation",
        "nominations_sealedballot",
        "nominations_ballotreceipt",
        "workflow_auditevent",
    ):
        assert rows_of(table, a, before) == rows_of(table, b, before), table
        assert len(rows_of(table, a, before)) == 9

    # 4b. The viewflow process learnt who voted, never how: the members' ballot tasks of A and B were
    #     written alike (same owners, same order, same data), and no viewflow row anywhere holds a choice.
    assert ballot_task_rows(a, before) == ballot_task_rows(b, before)
    assert [row["owner_id"] for row in ballot_task_rows(a, before)] == [
        builders.person(member).pk for member in NINE
    ]
    assert {row["status"] for row in ballot_task_rows(a, before)} == {"DONE"}
    assert_viewflow_holds_no_choice(after)

    # 5. After the count only aggregates remain, and they too are the same for A and B.
    close(session)
    assert_viewflow_holds_no_choice(snapshot())
    assert physical_rows("nominations_sealedballot") == []
    assert rows_of("nominations_councilitemresult", a, before) == rows_of(
        "nominations_councilitemresult", b, before
    )
    result = rows_of("nominations_councilitemresult", a, before)[0]
    assert (result["yes"], result["no"], result["abstain"]) == (4, 3, 2)


def test_a_sealed_ballot_does_not_open_without_the_servers_key_nor_on_another_item(
    demo: None, settings: Any
) -> None:
    blob = ballot_seal.seal("yes", session_id=1, nomination_id=2)
    assert ballot_seal.unseal(blob, session_id=1, nomination_id=2) == "yes"
    with pytest.raises(ballot_seal.SealBroken):
        ballot_seal.unseal(blob, session_id=1, nomination_id=3)  # moved to another item
    original = settings.BALLOT_SEAL_KEY
    settings.BALLOT_SEAL_KEY = "another-seal-key-of-the-right-length-0123456789"
    with pytest.raises(ballot_seal.SealBroken):
        ballot_seal.unseal(blob, session_id=1, nomination_id=2)
    settings.BALLOT_SEAL_KEY_FALLBACKS = [original]  # a rotated key still opens an open session's ballots
    assert ballot_seal.unseal(blob, session_id=1, nomination_id=2) == "yes"
    lengths = {len(ballot_seal.seal(c, session_id=1, nomination_id=2)) for c in CHOICE_WORDS}
    assert len(lengths) == 1


@pytest.mark.parametrize("forge_participation", [False, True])
def test_a_tampered_ballot_box_stops_the_count(demo: None, forge_participation: bool) -> None:
    item = evaluated()
    session = session_with([item])
    vote(session, item, dict.fromkeys(NINE[:6], "yes"))
    # Someone with write access to the database slips in a copy of a ballot — alone, or with a matching
    # participation and receipt: either way the count no longer matches the tamper-evident log.
    copy = SealedBallot.objects.filter(session=session).first()
    assert copy is not None
    SealedBallot.objects.create(session=session, nomination=item, sealed=bytes(copy.sealed))
    if forge_participation:
        BallotParticipation.objects.create(
            session=session, nomination=item, member=builders.person("council7"), method="online"
        )
        BallotReceipt.objects.create(
            session=session, nomination=item, digest=BallotReceipt.digest_of("FORGED")
        )
    with pytest.raises(Conflict):
        close(session)
    assert CouncilSession.objects.get(pk=session.pk).state == CouncilSession.State.OPEN
