"""python manage.py verify_audit — walk the audit chain; exit 0 with `OK <n> events`, or 1 naming the first break."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from workflow import audit


class Command(BaseCommand):
    help = "Kiểm tra toàn bộ chuỗi nhật ký kiểm tra: báo sự kiện đầu tiên bị sửa, bị xóa hoặc bị chèn sai thứ tự."

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit.verify()
        if result.first_break is not None:
            # CommandError: the message goes to stderr and the process exits with status 1.
            raise CommandError(f"BROKEN {result.first_break}", returncode=1)
        self.stdout.write(f"OK {result.count} events")
