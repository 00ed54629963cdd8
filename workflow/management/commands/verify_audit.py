"""python manage.py verify_audit [--checkpoint FILE …] — walk the audit chain, then hold it to signed checkpoints.

Exit 0 with `OK <n> events` (and one `OK checkpoint …` line per checkpoint), or 1 naming the first
break and every checkpoint the log no longer holds (workflow/audit/checkpoints.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from workflow.audit import checkpoints
from workflow.audit import log as audit


class Command(BaseCommand):
    help = (
        "Kiểm tra toàn bộ chuỗi nhật ký kiểm tra: báo sự kiện đầu tiên bị sửa, bị xóa hoặc bị chèn sai thứ tự; "
        "với --checkpoint, báo cả khi nhật ký không còn chứa những gì điểm kiểm tra đã ký."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoint", nargs="+", type=Path, default=[], metavar="FILE", help="signed checkpoints"
        )
        parser.add_argument(
            "--public-key",
            action="append",
            default=[],
            metavar="FILE",
            help="an Ed25519 public key (PEM) that may have signed them; default AUDIT_CHECKPOINT_PUBLIC_KEYS",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        files: list[Path] = options["checkpoint"]
        public_keys = {}
        if files:
            if options["public_key"]:
                paths, source = options["public_key"], "--public-key"
            else:
                paths, source = settings.AUDIT_CHECKPOINT_PUBLIC_KEYS, "AUDIT_CHECKPOINT_PUBLIC_KEYS"
            if not paths:
                raise CommandError(
                    "no public key to verify the checkpoints: pass --public-key FILE or set "
                    "AUDIT_CHECKPOINT_PUBLIC_KEYS",
                    returncode=2,
                )
            try:
                public_keys = checkpoints.load_public_keys(paths, source=source)
            except ImproperlyConfigured as exc:
                raise CommandError(str(exc), returncode=2) from None
        failures: list[str] = []
        result = audit.verify()
        if result.first_break is not None:
            failures.append(f"BROKEN {result.first_break}")
        passed: list[str] = []
        for path in files:
            try:
                problem = checkpoints.problem(checkpoints.read(path), public_keys)
            except checkpoints.CheckpointError as exc:
                problem = str(exc)
            if problem is None:
                passed.append(f"OK checkpoint {path}")
            else:
                failures.append(f"BROKEN checkpoint {path}: {problem}")
        if failures:
            # CommandError: the message goes to stderr and the process exits with status 1.
            raise CommandError("\n".join(failures), returncode=1)
        waiting = f" ({result.waiting} waiting for their place in the chain)" if result.waiting else ""
        self.stdout.write(f"OK {result.count} events{waiting}")
        for line in passed:
            self.stdout.write(line)
