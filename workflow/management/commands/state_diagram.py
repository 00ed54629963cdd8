"""python manage.py state_diagram [--check] — regenerate docs/state-machine.md from the code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from workflow.process import diagram


class Command(BaseCommand):
    help = "Sinh lại docs/state-machine.md (sơ đồ trạng thái hồ sơ) từ mã nguồn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="Chỉ kiểm tra: lỗi nếu tệp khác với nội dung sinh từ mã."
        )

    def handle(self, *args: Any, check: bool, **options: Any) -> None:
        path = Path(settings.BASE_DIR) / diagram.DOC_PATH
        wanted = diagram.document()
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if check:
            if current != wanted:
                raise CommandError(
                    f"{diagram.DOC_PATH} is out of date: run `python manage.py state_diagram`."
                )
            self.stdout.write(f"{diagram.DOC_PATH} is up to date.")
            return
        if current == wanted:
            self.stdout.write(f"{diagram.DOC_PATH} unchanged.")
            return
        path.write_text(wanted, encoding="utf-8")
        self.stdout.write(f"{diagram.DOC_PATH} written.")
