"""python manage.py send_target_reminders [--within DAYS] [--today YYYY-MM-DD]

Run daily (cron). Reminds unit heads of target results not yet reported whose deadline (working days
after the period, holidays excluded) falls within DAYS; each head once per target, unit and period.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from workflow.services.targets import target_reminders_send


class Command(BaseCommand):
    help = "Nhắc các đơn vị chưa báo cáo kết quả chỉ tiêu khi sắp đến hạn (mỗi người một lần cho mỗi kỳ)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--within", type=int, default=3, help="Số ngày trước hạn bắt đầu nhắc (mặc định 3)."
        )
        parser.add_argument("--today", default="", help="Coi hôm nay là ngày này (YYYY-MM-DD), để chạy bù.")

    def handle(self, *args: Any, within: int, today: str, **options: Any) -> None:
        if within < 0:
            raise CommandError("--within phải là số ngày không âm.")
        try:
            day = datetime.date.fromisoformat(today) if today else None
        except ValueError:
            raise CommandError("--today phải có dạng YYYY-MM-DD.") from None
        sent = target_reminders_send(today=day, within_days=within)
        self.stdout.write(f"Đã gửi {sent} lời nhắc báo cáo kết quả chỉ tiêu.")
