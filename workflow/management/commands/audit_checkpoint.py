"""python manage.py audit_checkpoint [--output FILE] — sign the audit chain's head (docs/operations.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from workflow.audit import checkpoints


class Command(BaseCommand):
    help = (
        "Ký điểm kiểm tra của đầu chuỗi nhật ký (số sự kiện, mã băm cuối, thời điểm, mã khóa); "
        "lưu nó ở nơi quản trị cơ sở dữ liệu không sửa được."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, help="write the checkpoint to this file (default: stdout)")

    def handle(self, *args: Any, **options: Any) -> None:
        private_key = checkpoints.load_private_key(settings.AUDIT_CHECKPOINT_SIGNING_KEY)
        try:
            checkpoint = checkpoints.make(private_key)
        except checkpoints.CheckpointError as exc:
            raise CommandError(str(exc), returncode=1) from None
        output: Path | None = options["output"]
        if output is None:
            self.stdout.write(checkpoint.to_json(), ending="")
            return
        checkpoints.write(checkpoint, output)
        self.stderr.write(f"checkpoint #{checkpoint.count} ({checkpoint.key_id}) → {output}")
