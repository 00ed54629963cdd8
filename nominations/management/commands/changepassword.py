"""python manage.py changepassword [USERNAME] — Django's command, audited like the admin's password change.

The save and its chained "password_changed" event (never the password nor its hash) share one transaction.
This command replaces django.contrib.auth's only because `nominations` comes before it in INSTALLED_APPS
(Django looks commands up in app order; tests/admin/test_changepassword_command.py keeps it so).
"""

from __future__ import annotations

import getpass
from typing import Any

from django.contrib.auth.management.commands import changepassword
from django.db import transaction

from nominations.admin_audit import announce_password_change
from nominations.models import Person


class Command(changepassword.Command):
    help = "Đổi mật khẩu của một người dùng; việc đổi được ghi vào nhật ký kiểm toán."

    def handle(self, *args: Any, **options: Any) -> str:
        database = options["database"]
        # The prompts run inside the transaction too: Django's command asks and saves in one method. On
        # PostgreSQL that is an idle read-only transaction while the administrator types.
        with transaction.atomic(using=database):
            message = super().handle(*args, **options)
            username = options["username"] or getpass.getuser()
            person = Person._default_manager.db_manager(database).get_by_natural_key(username)
            announce_password_change(actor=None, person=person)
        return message or ""
