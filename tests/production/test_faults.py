"""Faults: a failing mail server, a process killed mid-transition, backup and restore."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.db import connection

from nominations.models import Nomination, State
from tests.builders import core as builders
from workflow.audit import log as audit
from workflow.models import AuditEvent, Notification
from workflow.notify import notifications
from workflow.services import transitions as t

ROOT = Path(__file__).resolve().parents[2]
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.django_db
def test_a_failing_mail_server_never_rolls_back_or_loses_a_transition(
    demo: None, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _closed_port(), 2
    nomination = builders.draft(award="LDTT", nominee="staff-tkth-2")
    with django_capture_on_commit_callbacks(execute=True):
        nomination = t.nomination_submit(nomination=nomination, actor=builders.person("head-tkth"))
    assert Nomination.objects.get(pk=nomination.pk).state == State.SUBMITTED
    pending = Notification.objects.filter(event__nomination=nomination, sent_at__isnull=True)
    kept = list(pending)
    assert kept, "the office's notification must be kept for a retry"
    assert all(n.attempts == 1 and n.last_error for n in kept)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sent, failed = notifications.deliver()
    assert (sent, failed) == (len(kept), 0)
    assert not Notification.objects.filter(event__nomination=nomination, sent_at__isnull=True).exists()
    assert {m.to[0] for m in mail.outbox} == set(
        Notification.objects.filter(event__nomination=nomination).values_list("email", flat=True)
    )
    assert notifications.deliver() == (0, 0), "a delivered notification is never sent twice"


CRASHING_CHILD = textwrap.dedent(
    """
    import os, sys, time
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    django.setup()
    from workflow.process import routing
    from workflow.services import transitions as t
    from nominations.models import Nomination, Person

    def stall(nomination, event):  # inside the transaction, after the state and audit rows are written
        print("IN_TRANSACTION", flush=True)
        time.sleep(120)

    routing.after_transition = stall
    nomination = Nomination.objects.get(pk=int(sys.argv[1]))
    t.nomination_submit(nomination=nomination, actor=Person.objects.get(username="head-tkth"))
    """
)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_process_killed_mid_transition_leaves_no_half_written_state(demo: None) -> None:
    nomination = builders.draft(award="LDTT", nominee="staff-tkth-2")
    events_before = AuditEvent.objects.count()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
    }
    child = subprocess.Popen(
        [sys.executable, "-c", CRASHING_CHILD, str(nomination.pk)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line.strip() == "IN_TRANSACTION", child.stderr.read() if child.stderr else ""
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert Nomination.objects.get(pk=nomination.pk).state == State.DRAFT
    assert AuditEvent.objects.count() == events_before
    assert audit.verify().ok
    # and the row is not left locked: the same transition now goes through
    assert (
        t.nomination_submit(nomination=nomination, actor=builders.person("head-tkth")).state
        == State.SUBMITTED
    )


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_reproduce_the_demo_data_and_the_audit_chain(demo: None, tmp_path: Path) -> None:
    builders.to_state(builders.draft(award="LDTT", nominee="staff-tkth-2"), State.APPROVED)
    db = connection.settings_dict
    host, port, user = db["HOST"] or "127.0.0.1", str(db["PORT"] or 5432), db["USER"]
    dump = tmp_path / "thidua.dump"
    subprocess.run(
        ["pg_dump", "-h", host, "-p", port, "-U", user, "-Fc", "-f", str(dump), db["NAME"]], check=True
    )
    restored = f"{db['NAME']}_restored"
    psql = ["psql", "-h", host, "-p", port, "-U", user, "-d", "postgres", "-qc"]
    subprocess.run([*psql, f'DROP DATABASE IF EXISTS "{restored}"'], check=True)
    subprocess.run([*psql, f'CREATE DATABASE "{restored}"'], check=True)
    try:
        subprocess.run(
            ["pg_restore", "-h", host, "-p", port, "-U", user, "-d", restored, "--no-owner", str(dump)],
            check=True,
        )
        env = {**os.environ, "DEBUG": "true", "DATABASE_URL": f"postgres://{user}@{host}:{port}/{restored}"}
        verify = subprocess.run(
            [sys.executable, "manage.py", "verify_audit"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert verify.returncode == 0, verify.stdout + verify.stderr
        assert verify.stdout.startswith(f"OK {AuditEvent.objects.count()} events")
        count = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "shell",
                "--no-imports",
                "-c",
                "from nominations.models import *; print(Person.objects.count(), OrgUnit.objects.count(), "
                "Campaign.objects.count(), AwardRule.objects.count(), Nomination.objects.get().state)",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        from nominations.models import AwardRule, Campaign, OrgUnit, Person

        expected = (
            f"{Person.objects.count()} {OrgUnit.objects.count()} {Campaign.objects.count()} "
            f"{AwardRule.objects.count()} approved"
        )
        assert count.stdout.strip() == expected
    finally:
        subprocess.run([*psql, f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)'], check=False)
