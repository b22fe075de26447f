"""The portal's periodic jobs: declared by core (below) and by the sections
(Section.periodic), run by `manage.py run_periodic` from cron or a systemd timer every few
minutes, each recorded in its JobRun row.

The jobs run in the command's own process, not on the task queue: `retry_mail` is what
puts back the tasks a killed worker left, so it must not wait for a worker; a job's row
says that it ran and how it ended, not only that it was queued; and a failure shows in
the timer's log and exit status. The mail a job sends still goes through the queue.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import F, Q
from django.tasks import TaskResultStatus, task_backends
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

from .export_tasks import clean_exports
from .files import sweep
from .models import JobRun
from .sections import sections
from .tasks import retry_mail

logger = logging.getLogger(__name__)

# A timer a few seconds late last time must not make a job wait for the next tick.
SLACK = timedelta(minutes=1)
# A run still unfinished after this long (or after its interval, if longer) died with its
# process (the timer killed it, its machine was lost): the job may be claimed again.
LEASE = timedelta(hours=1)
# A job is overdue once it has not succeeded for this many of its intervals.
OVERDUE_AFTER_INTERVALS = 2
# A task due this long ago and still waiting means no worker takes them.
WORKER_MISSING_AFTER = timedelta(minutes=15)
# Finished task rows are kept this long (django-tasks-db's prune_db_task_results default).
TASK_RESULT_DAYS = 14


@dataclass(frozen=True, kw_only=True)
class PeriodicJob:
    """One job: `run()` does it and returns what it did (a {what: how many} dict, a
    text or None), kept as the run's result. It must be safe to run at any time."""

    name: str
    run: Callable[[], object]
    interval: timedelta
    description: str


def prune_task_results() -> dict[str, int]:
    """Delete finished task rows, of every queue, older than TASK_RESULT_DAYS (what
    `prune_db_task_results --queue-name '*'` does); waiting and running ones stay."""
    backend = task_backends["default"]
    if not isinstance(backend, DatabaseBackend):
        return {}
    cutoff = timezone.now() - timedelta(days=TASK_RESULT_DAYS)
    old = DBTaskResult.objects.finished().filter(
        backend_name=backend.alias, finished_at__lte=cutoff
    )
    return {"task results pruned": old.delete()[0]}


def clear_sessions() -> None:
    """Delete the expired sessions (what `clearsessions` does)."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()


def purge_unused_files() -> dict[str, int]:
    """What `purge_unused_files` does with its default of a day."""
    return {"unused files deleted": len(sweep(older_than_seconds=24 * 3600))}


CORE_JOBS = (
    PeriodicJob(
        name="retry_mail",
        run=retry_mail,
        interval=timedelta(minutes=10),
        description=_(
            "Puts back in the queue tasks a killed worker left running, queues again mail "
            "whose task is gone and purges mail sent more than 30 days ago."
        ),
    ),
    PeriodicJob(
        name="purge_unused_files",
        run=purge_unused_files,
        interval=timedelta(days=1),
        description=_(
            "Deletes uploads older than a day that no entry and no change waiting for "
            "review refers to."
        ),
    ),
    PeriodicJob(
        name="prune_task_results",
        run=prune_task_results,
        interval=timedelta(days=1),
        description=_("Deletes finished background tasks older than 14 days."),
    ),
    PeriodicJob(
        name="clean_exports",
        run=clean_exports,
        interval=timedelta(days=1),
        description=_(
            "Deletes the files of large downloads made of data that has changed since, "
            "and any older than a day."
        ),
    ),
    PeriodicJob(
        name="clearsessions",
        run=clear_sessions,
        interval=timedelta(days=1),
        description=_("Deletes expired sessions."),
    ),
)


def jobs() -> list[PeriodicJob]:
    """Core's jobs, then the sections' in menu order."""
    found = [*CORE_JOBS, *(job for section in sections() for job in section.periodic)]
    names = [job.name for job in found]
    if len(set(names)) != len(names):
        raise ImproperlyConfigured(f"Two periodic jobs share a name: {sorted(names)}")
    return found


def job_named(name: str) -> PeriodicJob | None:
    return next((job for job in jobs() if job.name == name), None)


def claim(job: PeriodicJob, *, force: bool = False) -> bool:
    """Mark `job` started now if it is due (or `force`) and no run of it is going on;
    whether it was. One conditional UPDATE of its row: of two run_periodic at once (two
    machines' timers), only one matches it; the other's sees it just started (PostgreSQL
    re-reads the row it waited for; SQLite writes one at a time). Queries."""
    now = timezone.now()
    JobRun.objects.get_or_create(name=job.name, defaults={"created_at": now})
    free = (
        Q(last_started_at__isnull=True)
        | Q(last_finished_at__gte=F("last_started_at"))
        | Q(last_started_at__lt=now - max(job.interval, LEASE))
    )
    rows = JobRun.objects.filter(free, name=job.name)
    if not force:
        rows = rows.filter(
            Q(last_started_at__isnull=True) | Q(last_started_at__lte=now - job.interval + SLACK)
        )
    return rows.update(last_started_at=now) == 1


def summary(result) -> str:
    if isinstance(result, dict):
        return ", ".join(f"{n} {what}" for what, n in result.items())
    return "" if result is None else str(result)


def run(job: PeriodicJob) -> tuple[bool, str]:
    """Run a claimed job here and record how it ended: (succeeded, its result or error).
    A failure is logged and recorded, not raised, so the next job still runs."""
    try:
        result = job.run()
    except Exception as error:
        logger.exception("Periodic job %s failed", job.name)
        text = f"{type(error).__name__}: {' '.join(str(error).split())}"[:300]
        JobRun.objects.filter(name=job.name).update(
            last_finished_at=timezone.now(), last_ok=False, last_error=text
        )
        return False, text
    text = summary(result)[:300]
    now = timezone.now()
    JobRun.objects.filter(name=job.name).update(
        last_finished_at=now, last_succeeded_at=now, last_ok=True, last_error="", last_result=text
    )
    return True, text


class Overdue(NamedTuple):
    job: PeriodicJob
    run: JobRun | None  # its row; None if no run_periodic has seen it yet


def overdue_jobs() -> list[Overdue]:
    """The jobs that have not succeeded for OVERDUE_AFTER_INTERVALS of their interval, or
    never since run_periodic first ran (none before it has: a site without the timer set
    up yet, a development one, is not told off). One query."""
    rows = {row.name: row for row in JobRun.objects.all()}
    if not rows:
        return []
    now = timezone.now()
    started = min(row.created_at for row in rows.values())
    late = []
    for job in jobs():
        row = rows.get(job.name)
        since = (row.last_succeeded_at or row.created_at) if row else started
        if since < now - OVERDUE_AFTER_INTERVALS * job.interval:
            late.append(Overdue(job, row))
    return late


def worker_missing() -> bool:
    """Whether a task has been due for WORKER_MISSING_AFTER and no worker has taken it,
    with the database backend. One query on the READY rows (a partial index on
    PostgreSQL: a handful of rows while workers keep up)."""
    backend = task_backends["default"]
    if not isinstance(backend, DatabaseBackend):
        return False
    cutoff = timezone.now() - WORKER_MISSING_AFTER
    return (
        DBTaskResult.objects.filter(
            status=TaskResultStatus.READY, backend_name=backend.alias, enqueued_at__lt=cutoff
        )
        .filter(Q(run_after=get_date_max()) | Q(run_after__lt=cutoff))
        .exists()
    )
