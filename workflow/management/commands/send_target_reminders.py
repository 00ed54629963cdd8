"""python manage.py send_target_reminders [--within DAYS] [--today YYYY-MM-DD]

Run daily (cron). Reminds unit heads of target results not yet reported whose deadline (working days
after the period, holidays excluded) falls within DAYS; each head once per target, unit and period.
"""

from __future__ import annotations

import datetime

from workflow.management.commands._reminder_command import ReminderCommand
from workflow.services.targets import target_reminders_send


class Command(ReminderCommand):
    help = "Nhắc các đơn vị chưa báo cáo kết quả chỉ tiêu khi sắp đến hạn (mỗi người một lần cho mỗi kỳ)."
    within_default = 3
    sent_message = "Đã gửi {sent} lời nhắc báo cáo kết quả chỉ tiêu."

    def send(self, *, today: datetime.date | None, within_days: int) -> int:
        return target_reminders_send(today=today, within_days=within_days)
