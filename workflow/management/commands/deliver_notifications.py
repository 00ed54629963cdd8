"""Send the notifications still waiting in the outbox (retries after a mail server failure)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from workflow.notify.notifications import deliver


class Command(BaseCommand):
    help = "Gửi lại các thông báo chưa gửi được (hộp thư đi)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent, failed = deliver()
        self.stdout.write(f"sent {sent}, failed {failed}")
        if failed:
            self.stderr.write(f"{failed} notification(s) still undelivered; they will be retried")
