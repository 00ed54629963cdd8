"""One benchmark task in its own process: `python -m bench.worker <task> --out result.json --params '{…}'`.

The orchestrator (`python -m bench`) starts one worker per task and database, so every figure comes
from a fresh process on bench.settings, and peak memory can be read per process.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _transitions(params: dict[str, Any]) -> Any:
    from bench import transitions

    return transitions.run(n=params["n"], reps=params["reps"], count_n=params.get("count_n", 10))


def _writers(params: dict[str, Any]) -> Any:
    from bench import writers

    return writers.run(n=params["n"], writers=params["writers"], reps=params["reps"])


def _generate(params: dict[str, Any]) -> Any:
    from bench import generate

    return generate.fill(
        nominations=params["nominations"], events=params["events"], processes=params.get("processes", 0)
    )


def _pages(params: dict[str, Any]) -> Any:
    from bench import pages

    return pages.run(requests=params["requests"])


def _voting_setup(params: dict[str, Any]) -> Any:
    from bench import voting

    return voting.setup(voters=params["voters"], items=params["items"], sessions=params.get("sessions", 1))


def _voting_check(params: dict[str, Any]) -> Any:
    from bench import voting

    return voting.check_floor(params)


def _verify(params: dict[str, Any]) -> Any:
    """The audit chain check, through the same function `manage.py verify_audit` calls."""
    from workflow.audit import log as audit

    result = audit.verify()
    return {"count": result.count, "ok": result.ok, "break": str(result.first_break or "")}


def _raw_read(params: dict[str, Any]) -> Any:
    """The floor of reading the log: stream every row with a bare DB-API cursor, build no objects."""
    from django.db import connection

    from workflow.models import AuditEvent

    table = AuditEvent._meta.db_table
    count = 0
    with connection.chunked_cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} ORDER BY seq")  # a fixed table name
        while rows := cursor.fetchmany(2000):
            count += len(rows)
    return {"count": count}


def _imports(params: dict[str, Any]) -> Any:
    from bench import imports

    return imports.run(rows=params.get("rows", 2000))


def _batch(params: dict[str, Any]) -> Any:
    from bench import batch

    return batch.run(n=params.get("n", 200))


def _info(params: dict[str, Any]) -> Any:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            cursor.execute("select sqlite_version()")
            version = f"SQLite {cursor.fetchone()[0]}"
    return {"version": version}


TASKS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "transitions": _transitions,
    "imports": _imports,
    "batch": _batch,
    "writers": _writers,
    "generate": _generate,
    "pages": _pages,
    "voting_setup": _voting_setup,
    "voting_check": _voting_check,
    "verify": _verify,
    "raw_read": _raw_read,
    "info": _info,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.worker")
    parser.add_argument("task", choices=sorted(TASKS))
    parser.add_argument("--out", required=True)
    parser.add_argument("--params", default="{}")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    result = TASKS[args.task](json.loads(args.params))
    Path(args.out).write_text(json.dumps(result, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
