"""python manage.py send_commitment_reminders [--within DAYS] [--today YYYY-MM-DD]

Run daily (cron). Reminds the heads of units that have not registered their emulation commitments,
for campaigns whose registration deadline falls within DAYS; each head is reminded once per deadline.
"""

from __future__ import annotations

import datetime

from workflow.management.commands._reminder_command import ReminderCommand
from workflow.services.commitments import commitment_reminders_send


class Command(ReminderCommand):
    help = "Nhắc các đơn vị chưa đăng ký thi đua khi sắp hết hạn (mỗi người nhận một lần cho mỗi hạn)."
    within_default = 10
    sent_message = "Đã gửi {sent} lời nhắc đăng ký thi đua."

    def send(self, *, today: datetime.date | None, within_days: int) -> int:
        return commitment_reminders_send(today=today, within_days=within_days)
