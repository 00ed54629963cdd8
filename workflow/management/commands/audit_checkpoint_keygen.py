"""python manage.py audit_checkpoint_keygen PRIVATE.pem PUBLIC.pem — a new Ed25519 key pair for checkpoints."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from workflow.audit import checkpoints


class Command(BaseCommand):
    help = "Tạo cặp khóa Ed25519 để ký điểm kiểm tra nhật ký (khóa bí mật chỉ chủ sở hữu đọc được)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("private", type=Path, help="file of the private key (PEM), must not exist")
        parser.add_argument("public", type=Path, help="file of the public key (PEM), for the auditor")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            identity = checkpoints.generate_key_pair(options["private"], options["public"])
        except FileExistsError:
            raise CommandError(
                f"{options['private']} already exists: never overwrite a signing key"
            ) from None
        self.stdout.write(f"key id {identity}")
