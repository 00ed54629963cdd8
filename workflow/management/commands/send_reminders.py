"""Remind people of steps past their deadline. Run it from cron every few minutes: each reminder goes once."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from workflow.notify.notifications import deliver
from workflow.notify.reminders import send_reminders


class Command(BaseCommand):
    help = "Nhắc các việc đã quá hạn xử lý (tính theo ngày làm việc); mỗi lần nhắc chỉ gửi một lần."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="Ngày tính hạn (YYYY-MM-DD), mặc định hôm nay.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["today"]:
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("--today must be YYYY-MM-DD") from None
        run = send_reminders(today=today)
        sent, failed = deliver()
        self.stdout.write(
            f"reminders {run.reminders}, notifications {run.notifications}, sent {sent}, failed {failed}"
        )
