"""python manage.py send_commitment_reminders [--within DAYS] [--today YYYY-MM-DD]

Run daily (cron). Reminds the heads of units that have not registered their emulation commitments,
for campaigns whose registration deadline falls within DAYS; each head is reminded once per deadline.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from workflow.services.commitments import commitment_reminders_send


class Command(BaseCommand):
    help = "Nhắc các đơn vị chưa đăng ký thi đua khi sắp hết hạn (mỗi người nhận một lần cho mỗi hạn)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--within", type=int, default=10, help="Số ngày trước hạn bắt đầu nhắc (mặc định 10)."
        )
        parser.add_argument("--today", default="", help="Coi hôm nay là ngày này (YYYY-MM-DD), để chạy bù.")

    def handle(self, *args: Any, within: int, today: str, **options: Any) -> None:
        if within < 0:
            raise CommandError("--within phải là số ngày không âm.")
        try:
            day = datetime.date.fromisoformat(today) if today else None
        except ValueError:
            raise CommandError("--today phải có dạng YYYY-MM-DD.") from None
        sent = commitment_reminders_send(today=day, within_days=within)
        self.stdout.write(f"Đã gửi {sent} lời nhắc đăng ký thi đua.")
