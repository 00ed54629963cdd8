"""python manage.py export_audit [--format csv|jsonl] [--output FILE] — the whole audit log, oldest first.

Streamed: rows are read in chunks through a database cursor (`.iterator()`) and written as they come,
so memory stays the same for a thousand events or a million (measured in bench/, docs/performance.md).
Every column is exported, hashes included, so the chain can be checked again outside the system.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandParser

from workflow.audit import log as audit
from workflow.models import AuditEvent

COLUMNS = (
    "seq",
    "at",
    "kind",
    "actor_id",
    "actor_name",
    "actor_role",
    "actor_unit",
    "object_type",
    "object_id",
    "nomination_id",
    "transition",
    "from_state",
    "to_state",
    "comment",
    "data",
    "prev_hash",
    "hash",
)
CHUNK = 2000


def audit_rows() -> Iterator[tuple[Any, ...]]:
    """Every event as a tuple of COLUMNS, in chain order, without building model instances."""
    return AuditEvent.objects.order_by(*audit.CHAIN_ORDER).values_list(*COLUMNS).iterator(chunk_size=CHUNK)


class Command(BaseCommand):
    help = (
        "Xuất toàn bộ nhật ký kiểm tra (CSV hoặc JSON Lines), cũ trước, kèm mã băm; "
        "đọc và ghi tuần tự nên bộ nhớ không tăng theo số sự kiện."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--format", choices=("csv", "jsonl"), default="csv", help="Định dạng (mặc định: csv)."
        )
        parser.add_argument("--output", "-o", default="-", help="Tệp đích; '-' là đầu ra chuẩn (mặc định).")

    def handle(self, *args: Any, format: str, output: str, **options: Any) -> None:
        at = COLUMNS.index("at")
        data = COLUMNS.index("data")
        if output == "-":
            count = self._write(sys.stdout, format, at, data)
        else:
            # CSV gets a byte-order mark so that spreadsheet programs read the Vietnamese text as UTF-8.
            encoding = "utf-8-sig" if format == "csv" else "utf-8"
            with open(output, "w", encoding=encoding, newline="") as stream:
                count = self._write(stream, format, at, data)
        self.stderr.write(f"OK {count} events")

    def _write(self, stream: IO[str], format: str, at: int, data: int) -> int:
        count = 0
        if format == "csv":
            writer = csv.writer(stream, lineterminator="\n")
            writer.writerow(COLUMNS)
            for row in audit_rows():
                values = list(row)
                values[at] = values[at].isoformat()
                values[data] = json.dumps(values[data], ensure_ascii=False, sort_keys=True)
                writer.writerow(values)
                count += 1
        else:
            for row in audit_rows():
                record = dict(zip(COLUMNS, row, strict=True))
                record["at"] = record["at"].isoformat()
                stream.write(json.dumps(record, ensure_ascii=False, default=str))
                stream.write("\n")
                count += 1
        return count
