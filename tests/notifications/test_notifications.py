"""Mail when a task reaches someone and on outcomes; reminders past working-day deadlines, sent once;
delivery retried after a mail server failure."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from viewflow.workflow.models import Task

from nominations.models import State
from nominations.rules.workdays import add_working_days
from tests.builders import core as builders
from workflow.models import Deadline, Holiday, Notification, Reminder
from workflow.notify import workdays
from workflow.notify.notifications import deliver
from workflow.notify.reminders import send_reminders
from workflow.services import transitions as t

pytestmark = pytest.mark.django_db

MON = datetime.date(2024, 3, 4)  # a Monday


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


class FailingBackend:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: Any) -> int:
        raise ConnectionRefusedError("mail server down")


def test_working_days_skip_weekends_and_holidays() -> None:
    assert add_working_days(MON, 5, set()) == datetime.date(2024, 3, 11)  # next Monday
    friday = datetime.date(2024, 3, 8)
    assert add_working_days(friday, 1, set()) == datetime.date(2024, 3, 11)
    assert add_working_days(MON, 5, {datetime.date(2024, 3, 6)}) == datetime.date(2024, 3, 12)
    assert add_working_days(MON, 20, set()) == datetime.date(2024, 4, 1)


@pytest.mark.parametrize("days", [1, 5, 20])
@pytest.mark.parametrize("offset", range(7))
def test_latest_start_overdue_is_exactly_the_boundary(days: int, offset: int) -> None:
    today = MON + datetime.timedelta(days=offset)
    holidays = {datetime.date(2024, 3, 1)}
    latest = workdays.latest_start_overdue(today, days, holidays)
    assert add_working_days(latest, days, holidays) < today
    assert add_working_days(latest + datetime.timedelta(days=1), days, holidays) >= today


def test_the_office_is_mailed_when_a_dossier_reaches_it_and_the_unit_when_it_is_returned(
    demo: None, django_capture_on_commit_callbacks: Any
) -> None:
    nomination = builders.draft(award="LDTT", nominee="staff-tkth-2")
    with django_capture_on_commit_callbacks(execute=True):
        nomination = t.nomination_submit(nomination=nomination, actor=builders.person("head-tkth"))
    office_mails = [
        m
        for m in mail.outbox
        if m.to[0] in {builders.person("office1").email, builders.person("office2").email}
    ]
    assert len(office_mails) == 2
    assert "Việc mới — Phòng TC-HC kiểm tra, thẩm định" in office_mails[0].subject
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        t.nomination_return(
            nomination=nomination, actor=builders.person("office1"), comment="Thiếu tờ trình có chữ ký"
        )
    (to_head,) = [m for m in mail.outbox if m.to == [builders.person("head-tkth").email]]
    assert "Thiếu tờ trình có chữ ký" in to_head.body
    assert f"/ho-so/{nomination.pk}/" in to_head.body


def test_the_unit_is_told_of_the_decision_and_of_forwarding(demo: None) -> None:
    nomination = builders.to_state(builders.draft(award="LDTT", nominee="staff-tkth-2"), State.APPROVED)
    head = builders.person("head-tkth")
    note = Notification.objects.filter(recipient=head, event__transition="approve").get()
    assert "01/QĐ-CTK" in note.body
    assert nomination.state == State.APPROVED


def _submitted_on(day: datetime.date) -> Any:
    nomination = t.nomination_submit(
        nomination=builders.draft(award="LDTT", nominee="staff-tkth-2"), actor=builders.person("head-tkth")
    )
    task = Task.objects.get(
        process__nominationprocess__nomination=nomination, flow_task_type="HUMAN", status="NEW"
    )
    received = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    Task.objects.filter(pk=task.pk).update(created=received)
    task.refresh_from_db()
    return nomination, task


def test_reminders_go_once_per_task_and_deadline_counted_in_working_days(demo: None) -> None:
    _nomination, task = _submitted_on(MON)
    # 5 working days from Monday 4 March end on Monday 11 March: nothing is due on the 11th.
    assert send_reminders(today=datetime.date(2024, 3, 11)).reminders == 0
    run = send_reminders(today=datetime.date(2024, 3, 12))
    assert run.reminders == 1 and run.notifications == 2  # both office staff: nobody took the task yet
    assert send_reminders(today=datetime.date(2024, 3, 12)).reminders == 0  # cron again: nothing new
    assert send_reminders(today=datetime.date(2024, 3, 20)).reminders == 0
    # The 20-working-day appraisal deadline ends on Monday 1 April.
    assert send_reminders(today=datetime.date(2024, 4, 1)).reminders == 0
    assert send_reminders(today=datetime.date(2024, 4, 2)).reminders == 1
    assert Reminder.objects.filter(task=task).count() == 2
    subjects = Notification.objects.filter(subject__contains="Quá hạn").values_list("subject", flat=True)
    assert len(subjects) == 4


def test_a_holiday_moves_the_deadline_and_a_taken_task_reminds_only_its_owner(demo: None) -> None:
    _nomination, task = _submitted_on(MON)
    Holiday.objects.create(day=datetime.date(2024, 3, 6), name="Nghỉ bù")
    office = builders.person("office1")
    task.owner = office
    task.status = "ASSIGNED"
    task.save()
    assert send_reminders(today=datetime.date(2024, 3, 12)).reminders == 0
    run = send_reminders(today=datetime.date(2024, 3, 13))
    assert (run.reminders, run.notifications) == (1, 1)
    assert Notification.objects.get(subject__contains="Quá hạn").recipient == office


def test_deadlines_are_data_the_administrator_changes(demo: None) -> None:
    _submitted_on(MON)
    Deadline.objects.filter(code="return-incomplete").update(working_days=2)
    assert send_reminders(today=datetime.date(2024, 3, 7)).reminders == 1


def test_the_command_is_safe_to_run_from_cron_again_and_again(demo: None) -> None:
    _submitted_on(MON)
    out = io.StringIO()
    call_command("send_reminders", "--today", "2024-03-12", stdout=out)
    assert out.getvalue().startswith("reminders 1,")
    out = io.StringIO()
    call_command("send_reminders", "--today", "2024-03-12", stdout=out)
    assert out.getvalue().startswith("reminders 0,")


def test_mail_that_failed_is_kept_and_sent_by_deliver_notifications(demo: None, settings: Any) -> None:
    builders.to_state(builders.draft(award="LDTT", nominee="staff-tkth-2"), State.SUBMITTED)
    pending = Notification.objects.filter(sent_at__isnull=True).count()
    assert pending > 0
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    assert deliver() == (0, pending)
    assert (
        Notification.objects.filter(sent_at__isnull=True, attempts=1).exclude(last_error="").count()
        == pending
    )
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    out = io.StringIO()
    call_command("deliver_notifications", stdout=out)
    assert out.getvalue().strip() == f"sent {pending}, failed 0"
    assert len(mail.outbox) == pending
    call_command("deliver_notifications", stdout=io.StringIO())
    assert len(mail.outbox) == pending  # nothing twice


def test_a_row_claimed_by_another_run_is_not_sent_twice(demo: None) -> None:
    builders.to_state(builders.draft(award="LDTT", nominee="staff-tkth-2"), State.SUBMITTED)
    note = Notification.objects.filter(sent_at__isnull=True).first()
    assert note is not None
    Notification.objects.filter(pk=note.pk).update(claimed_at=timezone.now())  # another run is sending it
    deliver()
    note.refresh_from_db()
    assert note.sent_at is None
    Notification.objects.filter(pk=note.pk).update(claimed_at=timezone.now() - datetime.timedelta(hours=1))
    deliver()  # that run died: the lease ran out, the row is retried
    note.refresh_from_db()
    assert note.sent_at is not None
