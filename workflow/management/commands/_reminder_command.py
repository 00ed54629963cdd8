"""The daily "remind before a deadline" command, shared by `send_commitment_reminders` and
`send_target_reminders`: the same options (`--within DAYS`, `--today YYYY-MM-DD`) and checks around a
different service. (A leading underscore: Django does not list this module as a command of its own.)
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.core.management.base import BaseCommand, CommandError, CommandParser


class ReminderCommand(BaseCommand):
    """Subclasses name the service, the default window and the sentence reporting how many were sent."""

    within_default: ClassVar[int]
    sent_message: ClassVar[str]  # "… {sent} …"

    def send(self, *, today: datetime.date | None, within_days: int) -> int:
        raise NotImplementedError

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--within",
            type=int,
            default=self.within_default,
            help=f"Số ngày trước hạn bắt đầu nhắc (mặc định {self.within_default}).",
        )
        parser.add_argument("--today", default="", help="Coi hôm nay là ngày này (YYYY-MM-DD), để chạy bù.")

    def handle(self, *args: Any, within: int, today: str, **options: Any) -> None:
        if within < 0:
            raise CommandError("--within phải là số ngày không âm.")
        try:
            day = datetime.date.fromisoformat(today) if today else None
        except ValueError:
            raise CommandError("--today phải có dạng YYYY-MM-DD.") from None
        sent = self.send(today=day, within_days=within)
        self.stdout.write(self.sent_message.format(sent=sent))
