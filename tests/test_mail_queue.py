"""Mail goes through the task queue: kept with the transaction that asks for it, sent by a
worker, tried again when the mail server refuses or hangs, never lost to a dead worker, and
shown to staff when it finally fails. A page never fails or waits for the mail server."""

import os
import signal
import smtplib
import socket
import subprocess
import sys
import threading
import time
from contextlib import suppress
from datetime import timedelta
from email import message_from_bytes
from email.header import decode_header, make_header
from io import StringIO
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.mail.backends import locmem
from django.core.management import call_command
from django.db import connection, transaction
from django.tasks import TaskResultStatus, task_backends
from django.utils import timezone
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from accmr.core import tasks
from accmr.core.mail import send_later
from accmr.core.models import OutgoingMail, Report
from accmr.core.tasks import deliver_mail, retry_mail

from .test_reports import report, report_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_wait")]

QUEUES = django_settings.TASK_QUEUES
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": QUEUES}}
IMMEDIATE = {
    "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend", "QUEUES": QUEUES}
}
DUMMY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend", "QUEUES": QUEUES}}
LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
APPROVED_EN = "Your organisation is approved on the ACCMR portal"
APPROVED_EL = "Ο οργανισμός σας εγκρίθηκε στην πύλη ACCMR"


def smtp_at(settings, port: int, timeout: float = 1) -> None:
    """Mail goes to an SMTP server on this machine's `port`."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": timeout},
        }
    }


def closed_port() -> int:
    """A local port nothing listens on: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def hanging_smtp():
    """The port of a server that accepts connections and never says a word."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.1)
    held, stop = [], threading.Event()

    def accept():
        while not stop.is_set():
            with suppress(TimeoutError):
                held.append(server.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for sock in held:
        sock.close()
    server.close()


@pytest.fixture
def worker(monkeypatch):
    """Run `db_worker --batch --queue-name '*'` in this process: every task due now, then
    it returns (retries deferred to later stay queued)."""
    # In a test's transaction the worker would close the connection it finds not in
    # autocommit (close_old_connections), and with it the test's data.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )

    def run():
        if not isinstance(task_backends["default"], DatabaseBackend):
            return  # the tasks ran at once (Immediate) or never will (Dummy)
        handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            call_command(
                "db_worker",
                batch=True,
                reload=False,
                startup_delay=False,
                queue_name="*",
                verbosity=0,
            )
        finally:
            for number, handler in handlers.items():
                signal.signal(number, handler)

    return run


def approved_mail(organisation, language: str = "en") -> None:
    send_later(
        to=[organisation.email],
        template="members/email/approved",
        context={"organisation": organisation},
        language=language,
    )


def mail_tasks(**filters):
    return DBTaskResult.objects.filter(task_path=deliver_mail.module_path, **filters)


def make_due(mail: OutgoingMail, ago=timedelta(seconds=1)) -> None:
    """Let the wait before the mail's next try pass."""
    OutgoingMail.objects.filter(pk=mail.pk).update(next_try_at=timezone.now() - ago)


class Rollback(Exception):
    pass


@pytest.mark.parametrize("backend", [IMMEDIATE, DATABASE], ids=["immediate", "database"])
def test_a_mail_asked_for_in_a_rolled_back_transaction_is_neither_kept_nor_sent(
    settings, organisation, mailoutbox, django_capture_on_commit_callbacks, worker, backend
):
    settings.TASKS = backend
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Rollback),
        transaction.atomic(),
    ):
        approved_mail(organisation)
        assert OutgoingMail.objects.count() == 1
        raise Rollback
    worker()
    assert not callbacks and not mailoutbox
    assert not OutgoingMail.objects.exists() and not mail_tasks().exists()


@pytest.mark.parametrize("backend", [IMMEDIATE, DATABASE], ids=["immediate", "database"])
def test_after_commit_one_mail_is_kept_and_sent_in_the_recipients_language(
    settings, organisation, mailoutbox, django_capture_on_commit_callbacks, worker, backend
):
    settings.TASKS = backend
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        approved_mail(organisation, language="en")  # asked for from a Greek request
        assert not mailoutbox  # nothing is sent before the commit
    worker()
    (sent,) = mailoutbox
    assert sent.subject == APPROVED_EN and sent.to == [organisation.email]
    mail = OutgoingMail.objects.get()
    assert (mail.state, mail.attempts, mail.language, mail.subject) == (
        "sent",
        1,
        "en",
        APPROVED_EN,
    )
    assert mail.recipients == [organisation.email] and mail.sent_at is not None
    assert mail.body == ""  # nothing reads a sent text again (it may hold a sign-in link)


def test_the_database_backend_queues_the_task_with_the_data_and_others_on_commit(
    settings, organisation, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE
    with django_capture_on_commit_callbacks() as callbacks:
        approved_mail(organisation)
    assert not callbacks  # in the transaction itself: the row commits with the mail
    (queued,) = mail_tasks()
    assert queued.args_kwargs == {"args": [OutgoingMail.objects.get().pk], "kwargs": {}}
    assert queued.queue_name == "mail" and queued.status == TaskResultStatus.READY

    settings.TASKS = DUMMY
    with django_capture_on_commit_callbacks() as callbacks:
        approved_mail(organisation)
        assert not task_backends["default"].results
    assert len(callbacks) == 1  # a backend outside the database gets it after the commit


def test_a_mail_server_that_refuses_costs_the_page_nothing_and_the_mail_is_retried(
    client, settings, service, mailoutbox, send, worker
):
    settings.TASKS = DATABASE
    smtp_at(settings, closed_port())
    response = send(client, report_url(service), report(email="visitor@example.org"))
    assert response.status_code == 302 and response["Location"] == service.get_absolute_url()
    assert Report.objects.get().email == "visitor@example.org"

    started = timezone.now()
    worker()
    mail = OutgoingMail.objects.get()  # the service's organisation has one address
    assert (mail.state, mail.attempts) == ("queued", 1)
    assert mail.last_error.startswith("ConnectionRefusedError")
    assert "visitor@example.org" not in mail.last_error
    assert mail_tasks(status=TaskResultStatus.SUCCESSFUL).count() == 1  # the try ended well
    (retry,) = mail_tasks(status=TaskResultStatus.READY)
    assert retry.args_kwargs["args"] == [mail.pk]
    assert started + timedelta(seconds=50) < retry.run_after == mail.next_try_at
    assert retry.run_after < timezone.now() + timedelta(seconds=70)  # the first wait: 1 minute
    assert not mailoutbox


def test_under_the_immediate_backend_a_refusing_server_leaves_the_mail_for_the_sweep(
    client, settings, service, mailoutbox, send, django_capture_on_commit_callbacks
):
    smtp_at(settings, closed_port())  # tried inside the request: it cannot defer a retry
    response = send(client, report_url(service), report())
    assert response.status_code == 302 and Report.objects.exists()
    mail = OutgoingMail.objects.get()
    assert (mail.state, mail.attempts) == ("queued", 1)
    assert mail.last_error.startswith("ConnectionRefusedError")
    assert mail.next_try_at > timezone.now()

    settings.MAILERS = LOCMEM
    with django_capture_on_commit_callbacks(execute=True):
        assert retry_mail()["mails queued again"] == 0  # its wait is not over
    make_due(mail)
    with django_capture_on_commit_callbacks(execute=True):
        assert retry_mail()["mails queued again"] == 1
    mail.refresh_from_db()
    assert (mail.state, mail.attempts) == ("sent", 2) and len(mailoutbox) == 1


def test_a_mail_server_that_hangs_holds_neither_the_page_nor_the_worker_for_long(
    client, settings, service, hanging_smtp, send, worker
):
    settings.TASKS = DATABASE
    smtp_at(settings, hanging_smtp, timeout=1)
    client.get(report_url(service))  # the form's templates loaded, as on a running site
    started = time.monotonic()
    response = send(client, report_url(service), report())
    took = time.monotonic() - started
    assert response.status_code == 302 and Report.objects.exists()
    assert took < 0.5, took  # the mail is only queued: the server is not asked

    started = time.monotonic()
    worker()
    gave_up = time.monotonic() - started
    assert 1 <= gave_up < 3, gave_up
    mail = OutgoingMail.objects.get()
    assert (mail.state, mail.attempts) == ("queued", 1)
    # smtplib reports the greeting that never came as a disconnection.
    assert mail.last_error == "SMTPServerDisconnected: Connection unexpectedly closed: timed out"
    (retry,) = mail_tasks(status=TaskResultStatus.READY)
    assert retry.run_after == mail.next_try_at > timezone.now()


def test_after_the_last_try_the_mail_fails_and_send_again_in_the_admin_sends_it(
    settings, organisation, moderator_session, mailoutbox, django_capture_on_commit_callbacks
):
    smtp_at(settings, closed_port())
    with django_capture_on_commit_callbacks(execute=True):
        approved_mail(organisation)
    mail = OutgoingMail.objects.get()
    waits = []
    for _ in range(settings.MAIL_ATTEMPTS - 1):
        mail.refresh_from_db()
        assert mail.state == "queued"
        waits.append(round((mail.next_try_at - timezone.now()) / timedelta(minutes=1)))
        make_due(mail)
        with django_capture_on_commit_callbacks(execute=True):
            retry_mail()
    mail.refresh_from_db()
    assert waits == [1, 5, 30, 120]
    assert settings.MAIL_ATTEMPTS == 5 and (mail.state, mail.attempts) == ("failed", 5)
    assert mail.last_error.startswith("ConnectionRefusedError")
    make_due(mail)
    assert retry_mail()["mails queued again"] == 0  # a failed mail waits for staff

    listed = moderator_session.get("/admin/core/outgoingmail/?state__exact=failed")
    page = listed.content.decode()
    assert listed.status_code == 200 and APPROVED_EN in page and "ConnectionRefusedError" in page
    opened = moderator_session.get(f"/admin/core/outgoingmail/{mail.pk}/change/").content.decode()
    for html in (page, opened):
        # Neither the addresses nor the text: private persons' data, sign-in links.
        assert organisation.email not in html and "/accounts/login/" not in html

    settings.MAILERS = LOCMEM
    with django_capture_on_commit_callbacks(execute=True):
        done = moderator_session.post(
            "/admin/core/outgoingmail/",
            {"action": "send_again_selected", ACTION_CHECKBOX_NAME: [mail.pk]},
            follow=True,
        )
    assert "1 e-mail μπήκε ξανά στην ουρά για αποστολή." in done.content.decode()
    mail.refresh_from_db()
    assert (mail.state, mail.attempts, mail.last_error) == ("sent", 1, "")
    (sent,) = mailoutbox
    assert sent.subject == APPROVED_EN and sent.to == [organisation.email]


def test_send_again_takes_only_failed_mail_and_needs_the_change_permission(
    settings, organisation, moderator, client, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Permission

    from .factories import UserFactory

    settings.TASKS = DUMMY
    with django_capture_on_commit_callbacks(execute=True):
        approved_mail(organisation)
    mail = OutgoingMail.objects.get()
    assert tasks.send_again(OutgoingMail.objects.all()) == 0  # waiting, not failed
    OutgoingMail.objects.update(state=OutgoingMail.State.FAILED)
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_outgoingmail"))
    client.force_login(viewer)
    assert client.get("/admin/core/outgoingmail/").status_code == 200
    client.post(
        "/admin/core/outgoingmail/",
        {"action": "send_again_selected", ACTION_CHECKBOX_NAME: [mail.pk]},
    )
    mail.refresh_from_db()
    assert mail.state == "failed"  # the action is not offered without `change`


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the SQLite test database lives in this process's memory: a worker process "
    "cannot open it (CI runs this on PostgreSQL)",
)
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_process_sends_the_queued_mail(
    committed_db, settings, organisation, tmp_path
):
    settings.TASKS = DATABASE
    approved_mail(organisation, language="el")  # committed at once: no transaction here
    mail = OutgoingMail.objects.get()
    db = connection.settings_dict
    url = (
        f"postgres://{quote(db['USER'] or '')}:{quote(db['PASSWORD'] or '')}"
        f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "accmr.settings",  # the production settings' backend
        "DATABASE_URL": url,  # this test's database
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path),
        "DEBUG": "0",
    }
    command = ["manage.py", "db_worker", "--batch", "--no-reload", "--no-startup-delay"]
    done = subprocess.run(
        [sys.executable, *command, "--queue-name", "*"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    (written,) = tmp_path.iterdir()
    message = message_from_bytes(written.read_bytes().split(b"\n" + b"-" * 79)[0])
    assert str(make_header(decode_header(message["Subject"]))) == APPROVED_EL
    assert message["To"] == organisation.email
    assert "/accounts/login/" in message.get_payload(decode=True).decode()
    mail.refresh_from_db()
    assert (mail.state, mail.attempts) == ("sent", 1)
    assert mail_tasks().get().status == TaskResultStatus.SUCCESSFUL


def test_a_worker_killed_mid_try_loses_nothing(settings, organisation, mailoutbox, worker):
    settings.TASKS = DATABASE
    approved_mail(organisation)
    mail = OutgoingMail.objects.get()
    (task,) = mail_tasks()

    # A worker took the task and the mail, and was killed while talking to the server:
    # the task stays RUNNING (no worker takes it), the mail claimed by that try.
    def killed(ago):
        started = timezone.now() - ago
        mail_tasks().update(
            status=TaskResultStatus.RUNNING, started_at=started, worker_ids=["killed"]
        )
        OutgoingMail.objects.filter(pk=mail.pk).update(
            attempts=1, next_try_at=started + tasks.SENDING_LEASE
        )

    killed(timedelta(minutes=30))
    worker()
    assert retry_mail()["stuck tasks"] == 0  # it may still be running: not an hour yet
    killed(timedelta(hours=2))
    assert retry_mail() == {"stuck tasks": 1, "mails queued again": 0, "sent mails purged": 0}
    assert not mailoutbox
    worker()
    (sent,) = mailoutbox
    assert sent.subject == APPROVED_EN
    mail.refresh_from_db()
    assert (mail.state, mail.attempts) == ("sent", 2)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL and task.worker_ids[0] == "killed"


def test_a_waiting_mail_whose_task_is_gone_is_queued_again_once(
    settings, organisation, mailoutbox, worker
):
    settings.TASKS = DATABASE
    approved_mail(organisation)
    mail_tasks().delete()
    mail = OutgoingMail.objects.get()
    make_due(mail, ago=timedelta(minutes=5))
    assert retry_mail()["mails queued again"] == 0  # its task may just be late
    make_due(mail, ago=timedelta(minutes=20))
    assert retry_mail()["mails queued again"] == 1
    assert retry_mail()["mails queued again"] == 0  # its new task waits: not queued twice
    worker()
    assert len(mailoutbox) == 1
    assert call_command_output("retry_mail") == (
        "0 stuck tasks, 0 mails queued again, 0 sent mails purged.\n"
    )


# What a second try of the same mail did while the first one was talking to the server.
SECOND_TRY = []


class SecondTryDuringSend(locmem.EmailBackend):
    """The mail server is slow: meanwhile another worker runs a task for the same mail."""

    def send_messages(self, messages):
        SECOND_TRY.append(deliver_mail.call(OutgoingMail.objects.get().pk))
        return super().send_messages(messages)


def test_two_tasks_for_one_mail_send_it_once(settings, organisation, mailoutbox, worker):
    SECOND_TRY.clear()
    settings.TASKS = DATABASE
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.SecondTryDuringSend"}}
    approved_mail(organisation)
    tasks.enqueue(deliver_mail, OutgoingMail.objects.get().pk)  # as a sweep might
    worker()
    assert len(mailoutbox) == 1 and SECOND_TRY == ["skipped"]
    assert sorted(mail_tasks().values_list("return_value", flat=True)) == ["sent", "skipped"]
    assert OutgoingMail.objects.get().attempts == 1


class Broken(locmem.EmailBackend):
    def send_messages(self, messages):
        raise ValueError("a header no server would take")


class Refusing(locmem.EmailBackend):
    """A server that refuses the message with an error naming its recipients."""

    def __init__(self, *, refusal: str, **kwargs):
        super().__init__(**kwargs)
        self.refusal = refusal

    def send_messages(self, messages):
        to = messages[0].to
        raise REFUSALS[self.refusal](to)


REFUSALS = {
    "recipients": lambda to: smtplib.SMTPRecipientsRefused(
        {address: (550, f"5.1.1 <{address}>: no such user".encode()) for address in to}
    ),
    "data": lambda to: smtplib.SMTPDataError(554, f"5.7.1 Message to {to[0]} rejected".encode()),
}


def test_an_error_no_retry_can_mend_fails_the_mail_at_once(
    settings, organisation, django_capture_on_commit_callbacks
):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.Broken"}}
    with django_capture_on_commit_callbacks(execute=True):
        approved_mail(organisation)  # the request that asked is not troubled either
    mail = OutgoingMail.objects.get()
    assert (mail.state, mail.attempts) == ("failed", 1)
    assert mail.last_error == "ValueError: a header no server would take"


@pytest.mark.parametrize(
    ("refusal", "recorded"),
    [
        ("recipients", "SMTPRecipientsRefused: all recipients refused (550)"),
        ("data", "SMTPDataError: 554 5.7.1 Message to <address> rejected"),
    ],
)
def test_a_recorded_error_names_no_address(
    settings, organisation, django_capture_on_commit_callbacks, refusal, recorded
):
    settings.MAILERS = {
        "default": {"BACKEND": f"{__name__}.Refusing", "OPTIONS": {"refusal": refusal}}
    }
    with django_capture_on_commit_callbacks(execute=True):
        approved_mail(organisation)
    mail = OutgoingMail.objects.get()
    assert (mail.state, mail.last_error) == ("queued", recorded)  # tried again later


def test_the_sweep_purges_mail_sent_over_a_month_ago_and_keeps_the_rest():
    now = timezone.now()

    def kept(state, days_ago):
        return OutgoingMail.objects.create(
            recipients=["a@example.org"],
            subject=f"{state} {days_ago}",
            language="el",
            state=state,
            created_at=now - timedelta(days=days_ago),
            sent_at=now - timedelta(days=days_ago) if state == "sent" else None,
        )

    kept("sent", 31)
    keep = [kept("sent", 29), kept("failed", 60)]
    assert retry_mail()["sent mails purged"] == 1
    assert set(OutgoingMail.objects.all()) == set(keep)


def call_command_output(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()
