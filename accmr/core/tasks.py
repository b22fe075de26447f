"""Background tasks (django.tasks, run by `manage.py db_worker`): how the portal queues
them, the delivery of mail, and the sweep that recovers what a dead worker left.

Every task is safe to run twice: a second run of one that has done its work does nothing.
"""

import logging
import re
import smtplib
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.tasks import TaskResultStatus, task
from django.utils import timezone
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from .models import OutgoingMail

logger = logging.getLogger(__name__)

# The waits after each failed try of a mail; past the last, the last wait repeats.
RETRY_DELAYS = [timedelta(minutes=m) for m in (1, 5, 30, 120)]
# A try claims its mail for this long (deliver_mail); one still unfinished by then died with
# its worker. Far longer than an SMTP conversation under EMAIL_TIMEOUT.
SENDING_LEASE = timedelta(minutes=10)
# The web server's and the worker's clocks may differ by this much: a mail queued "now" by
# one is due for the other.
CLOCK_SLACK = timedelta(minutes=1)
# A mail due this long ago and still waiting has lost its task (retry_mail queues it again).
ORPHANED_AFTER = timedelta(minutes=15)
# Sent mail is kept this long (subject, recipients, when), then purged.
SENT_MAIL_DAYS = 30
# SMTP trouble worth another try: the server refusing, hanging past EMAIL_TIMEOUT
# (TimeoutError is an OSError), or answering with an error.
TRANSIENT = (smtplib.SMTPException, OSError)
# Anything like an e-mail address in a server's reply.
ADDRESS = re.compile(r"[^\s<>\"',;]+@[^\s<>\"',;]+")


def enqueue(task_, *args, **kwargs):
    """Queue `task_` so that it runs only if the current transaction commits, and is never
    lost once it has: the one way the portal queues tasks.

    The database backend writes the task's row in the caller's transaction, so it commits
    or rolls back with the data; it is queued at once and its TaskResult returned. Any
    other backend (ImmediateBackend, which runs the task inside enqueue(), in the tests) is
    given the task on commit, and None is returned. Outside a transaction both queue now.
    """
    if isinstance(task_.get_backend(), DatabaseBackend):
        return task_.enqueue(*args, **kwargs)
    transaction.on_commit(partial(task_.enqueue, *args, **kwargs))
    return None


@task(queue_name="mail")
def deliver_mail(mail_id: int) -> str:
    """Send the OutgoingMail `mail_id` if it is waiting and due, and say what happened.

    The try first claims the row with one conditional UPDATE (a row lock for the length of
    a statement): it counts the try and sets the lease, so a second task for the same mail,
    in another worker or later, finds it not due and does nothing. No transaction is held
    while the SMTP server is talked to (on SQLite it would hold up every write of the site
    for as long). A worker that dies after the server took the mail but before the row says
    so leaves it to be sent again once the lease is over: twice rather than never. On SMTP
    trouble the error is kept and a retry
    queued after a growing wait (RETRY_DELAYS), until MAIL_ATTEMPTS tries have failed and
    the mail is marked failed. A backend that cannot defer a task (ImmediateBackend) leaves
    the mail waiting for retry_mail to send again when its wait is over.
    """
    now = timezone.now()
    claimed = OutgoingMail.objects.filter(
        pk=mail_id, state=OutgoingMail.State.QUEUED, next_try_at__lte=now + CLOCK_SLACK
    ).update(attempts=F("attempts") + 1, next_try_at=now + SENDING_LEASE)
    if not claimed:
        return "skipped"  # sent, failed, gone, or claimed by another try
    mail = OutgoingMail.objects.get(pk=mail_id)
    try:
        send_mail(mail.subject, mail.body, settings.DEFAULT_FROM_EMAIL, mail.recipients)
    except TRANSIENT as error:
        return _try_failed(mail, error)
    except Exception as error:
        # Not the server's trouble (a bad address header, a bug): trying again would fail
        # alike, so staff see it at once; the task fails with the traceback.
        _record_failure(mail, error)
        raise
    OutgoingMail.objects.filter(pk=mail.pk).update(
        state=OutgoingMail.State.SENT, sent_at=timezone.now(), body=""
    )
    return "sent"


def _describe(error: BaseException) -> str:
    """A short account of a failed try, without the addresses SMTP errors may carry (the
    admin lists it beside mail to private persons)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _message in error.recipients.values()})
        text = f"all recipients refused ({', '.join(map(str, codes))})"
    elif isinstance(error, smtplib.SMTPResponseException):
        reply = error.smtp_error
        if isinstance(reply, bytes):
            reply = reply.decode(errors="replace")
        text = f"{error.smtp_code} {reply}"
    else:
        text = str(error) or "no details"
    text = ADDRESS.sub("<address>", " ".join(text.split()))
    return f"{type(error).__name__}: {text}"[:300]


def _record_failure(mail: OutgoingMail, error: BaseException) -> None:
    mail.state = OutgoingMail.State.FAILED
    mail.last_error = _describe(error)
    mail.save(update_fields=["state", "last_error"])
    logger.error("Mail %s failed after %s tries: %s", mail.pk, mail.attempts, mail.last_error)


def _try_failed(mail: OutgoingMail, error: BaseException) -> str:
    if mail.attempts >= settings.MAIL_ATTEMPTS:
        _record_failure(mail, error)
        return "failed"
    mail.last_error = _describe(error)
    delay = RETRY_DELAYS[min(mail.attempts, len(RETRY_DELAYS)) - 1]
    mail.next_try_at = timezone.now() + delay
    mail.save(update_fields=["last_error", "next_try_at"])
    logger.warning(
        "Mail %s, try %s of %s: %s; next try in %s",
        mail.pk,
        mail.attempts,
        settings.MAIL_ATTEMPTS,
        mail.last_error,
        delay,
    )
    if deliver_mail.get_backend().supports_defer:
        enqueue(deliver_mail.using(run_after=mail.next_try_at), mail.pk)
    return "retrying"


def send_again(mails) -> int:
    """Queue the failed ones of `mails` afresh (every try again); returns how many."""
    n = 0
    for mail in mails.filter(state=OutgoingMail.State.FAILED):
        with transaction.atomic():
            reset = OutgoingMail.objects.filter(pk=mail.pk, state=OutgoingMail.State.FAILED).update(
                state=OutgoingMail.State.QUEUED,
                attempts=0,
                last_error="",
                next_try_at=timezone.now(),
            )
            if reset:
                enqueue(deliver_mail, mail.pk)
                n += reset
    return n


def reset_stuck_tasks() -> int:
    """Put tasks RUNNING for longer than TASK_STUCK_MINUTES back in the queue; returns how
    many. django-tasks-db has no heartbeat: a worker killed mid-task (SIGKILL, a machine
    lost) leaves its row RUNNING forever, and no worker takes a RUNNING row."""
    cutoff = timezone.now() - timedelta(minutes=settings.TASK_STUCK_MINUTES)
    stuck = DBTaskResult.objects.running().filter(started_at__lt=cutoff)
    return stuck.update(status=TaskResultStatus.READY)


def _mails_with_a_task(backend) -> set[int]:
    """The mails a task waits or runs for, when the backend can tell (the database one)."""
    if not isinstance(backend, DatabaseBackend):
        return set()
    rows = DBTaskResult.objects.filter(
        backend_name=backend.alias,
        task_path=deliver_mail.module_path,
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
    ).values_list("args_kwargs", flat=True)
    return {(call["args"] or [call["kwargs"].get("mail_id")])[0] for call in rows}


def requeue_mail() -> int:
    """Queue again the waiting mails whose task is gone; returns how many.

    With the database backend a mail's task commits with it, so only a mail due for a
    while (ORPHANED_AFTER) with no task waiting or running for it is taken up: its last
    try died with its worker, or its task row was removed. A backend that cannot defer
    (ImmediateBackend) left each retry to this sweep: the mails are sent again once due.
    """
    backend = deliver_mail.get_backend()
    grace = ORPHANED_AFTER if backend.supports_defer else timedelta(0)
    due = OutgoingMail.objects.filter(
        state=OutgoingMail.State.QUEUED, next_try_at__lt=timezone.now() - grace
    )
    queued = _mails_with_a_task(backend)
    orphans = [pk for pk in due.values_list("pk", flat=True) if pk not in queued]
    for pk in orphans:
        enqueue(deliver_mail, pk)
    return len(orphans)


def purge_sent_mail() -> int:
    """Delete the mail sent more than SENT_MAIL_DAYS ago; returns how many."""
    cutoff = timezone.now() - timedelta(days=SENT_MAIL_DAYS)
    deleted, _ = OutgoingMail.objects.filter(
        state=OutgoingMail.State.SENT, sent_at__lt=cutoff
    ).delete()
    return deleted


def retry_mail() -> dict[str, int]:
    """The queue's sweep, safe to run at any time and as often as wanted (every few
    minutes): stuck tasks back in the queue, orphaned mail queued again, old sent mail
    purged. Returns how many of each."""
    return {
        "stuck tasks": reset_stuck_tasks(),
        "mails queued again": requeue_mail(),
        "sent mails purged": purge_sent_mail(),
    }
