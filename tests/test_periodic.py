"""The periodic jobs' one entry point (manage.py run_periodic), their records and the
health checks that read them (accmr.core.periodic)."""

import io
import threading
import time
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from accmr.core import periodic
from accmr.core.models import JobRun
from accmr.core.periodic import PeriodicJob
from accmr.core.tasks import deliver_mail

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": django_settings.TASK_QUEUES,
    }
}
START = datetime(2026, 12, 4, 3, 0, tzinfo=UTC)


class Clock:
    """timezone.now(), frozen at a moment the test moves on."""

    def __init__(self, monkeypatch):
        self.now = START
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def advance(self, **delta):
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def ran():
    return []


@pytest.fixture
def two_jobs(monkeypatch, ran):
    """A failing job before a working one, every ten minutes and daily; the only jobs."""

    def boom():
        ran.append("boom")
        raise RuntimeError("the disk\nis full")

    def count():
        ran.append("count")
        return {"things done": 3}

    jobs = [
        PeriodicJob(name="boom", run=boom, interval=timedelta(minutes=10), description="Fails."),
        PeriodicJob(name="count", run=count, interval=timedelta(days=1), description="Counts."),
    ]
    monkeypatch.setattr(periodic, "jobs", lambda: jobs)
    return jobs


def run_periodic(*args) -> str:
    out = io.StringIO()
    try:
        call_command("run_periodic", *args, stdout=out, stderr=out)
    except CommandError as error:
        out.write(f"CommandError: {error}\n")
    return out.getvalue()


def test_every_section_and_core_declare_their_jobs_once():
    names = [job.name for job in periodic.jobs()]
    assert names == [
        "retry_mail",
        "purge_unused_files",
        "prune_task_results",
        "clean_exports",
        "clearsessions",
        "send_verification_reminders",
        "expire_support_posts",
        "purge_support_personal_data",
    ]
    assert all(job.description and job.interval for job in periodic.jobs())


def test_the_real_jobs_all_run_and_are_recorded(clock):
    output = run_periodic()
    assert "CommandError" not in output
    assert "retry_mail: ok (0 stuck tasks, 0 mails queued again, 0 sent mails purged)" in output
    assert "expire_support_posts: ok (0 posts expired)" in output
    assert JobRun.objects.filter(last_ok=True, last_succeeded_at=START).count() == 8


def test_a_job_runs_when_due_and_not_before(clock, two_jobs, ran):
    run_periodic()
    assert ran == ["boom", "count"]
    clock.advance(minutes=5)
    run_periodic()
    assert ran == ["boom", "count"]  # neither is due yet
    # Ten minutes on (a timer a few seconds late last time still counts), boom only.
    clock.advance(minutes=4, seconds=30)
    run_periodic()
    assert ran == ["boom", "count", "boom"]
    clock.advance(days=1)
    run_periodic()
    assert ran == ["boom", "count", "boom", "boom", "count"]


def test_a_failing_job_is_recorded_and_the_next_one_still_runs(clock, two_jobs, ran):
    output = run_periodic()
    assert ran == ["boom", "count"]
    assert "boom: failed: RuntimeError: the disk is full" in output
    assert "count: ok (3 things done)" in output
    assert "CommandError: 1 job(s) failed: boom." in output
    boom, count = JobRun.objects.order_by("name")
    assert (boom.last_ok, boom.last_error, boom.last_succeeded_at) == (
        False,
        "RuntimeError: the disk is full",
        None,
    )
    assert (boom.last_started_at, boom.last_finished_at) == (START, START)
    assert (count.last_ok, count.last_result, count.last_succeeded_at) == (
        True,
        "3 things done",
        START,
    )


def test_job_runs_one_job_now_due_or_not(clock, two_jobs, ran):
    run_periodic()
    clock.advance(minutes=1)
    assert run_periodic("--job", "count") == "count: ok (3 things done)\n"
    assert ran == ["boom", "count", "count"]
    assert JobRun.objects.get(name="count").last_started_at == START + timedelta(minutes=1)
    assert "No periodic job 'nope'; the jobs are: boom, count." in run_periodic("--job", "nope")


def test_a_job_running_elsewhere_is_not_started_again_until_its_run_is_given_up(
    clock, two_jobs, ran
):
    # Another machine's run_periodic started boom and has not finished it.
    JobRun.objects.create(name="boom", created_at=START, last_started_at=START)
    clock.advance(minutes=30)  # due by its interval
    run_periodic()
    assert ran == ["count"]
    assert "boom is running elsewhere now." in run_periodic("--job", "boom")
    clock.advance(minutes=31)  # past the lease: that run died with its process
    run_periodic()
    assert ran == ["count", "boom"]


def test_list_shows_each_job_its_interval_and_last_run(clock, two_jobs):
    assert run_periodic("--list").splitlines() == [
        "boom                           every 10 min   never run",
        "count                          daily          never run",
    ]
    run_periodic()
    lines = run_periodic("--list").splitlines()
    assert lines[0].split(None, 3)[1:] == [
        "every",
        "10",
        "min   2026-12-04 05:00 failed: RuntimeError: the disk is full",
    ]
    assert lines[1].endswith("daily          2026-12-04 05:00 ok (3 things done)")
    clock.advance(minutes=21)
    assert run_periodic("--list").splitlines()[0].endswith("OVERDUE")


# Health


def healthz(strict=False):
    return Client().get("/healthz/", {"strict": "1"} if strict else {})


def test_healthz_is_ok_before_run_periodic_ever_ran_and_while_jobs_succeed(clock, two_jobs):
    assert healthz().content == b"OK"
    run_periodic()
    JobRun.objects.update(last_ok=True, last_succeeded_at=START, last_error="")
    clock.advance(minutes=19)
    assert healthz(strict=True).content == b"OK"


def test_healthz_names_a_job_not_succeeded_for_twice_its_interval(clock, two_jobs):
    run_periodic()  # boom fails, count succeeds
    clock.advance(minutes=21)
    response = healthz()
    assert response.status_code == 200
    assert response.content.decode() == (
        "DEGRADED\ndatabase: ok\nperiodic jobs: overdue (boom); is run_periodic running?\n"
    )
    assert healthz(strict=True).status_code == 503


def test_healthz_names_a_job_run_periodic_never_ran_once_it_has_run_long_enough(clock, two_jobs):
    # run_periodic first ran two days ago, before `count` was declared.
    JobRun.objects.create(name="boom", created_at=START, last_succeeded_at=START, last_ok=True)
    clock.advance(minutes=5)
    assert healthz().content == b"OK"
    clock.advance(days=2)
    JobRun.objects.filter(name="boom").update(last_succeeded_at=clock.now)
    assert b"periodic jobs: overdue (count)" in healthz().content


def test_healthz_says_the_task_worker_is_not_running_when_a_task_waits_too_long(clock, settings):
    settings.TASKS = DATABASE_TASKS
    deliver_mail.enqueue(1)
    deliver_mail.using(run_after=START + timedelta(hours=2)).enqueue(2)  # a retry's wait
    assert healthz().content == b"OK"
    clock.advance(minutes=16)
    response = healthz(strict=True)
    assert response.status_code == 503
    assert response.content.decode() == (
        "DEGRADED\ndatabase: ok\ntask worker: not running (a task has waited over 15 minutes)\n"
    )
    assert b"task worker" in healthz().content and healthz().status_code == 200


def test_healthz_ignores_a_deferred_task_until_it_is_due(clock, settings):
    settings.TASKS = DATABASE_TASKS
    deliver_mail.using(run_after=START + timedelta(hours=2)).enqueue(2)
    clock.advance(hours=2, minutes=10)
    assert healthz().content == b"OK"
    clock.advance(minutes=10)
    assert b"task worker: not running" in healthz().content


# The admin's front page


@pytest.fixture
def overdue(clock, two_jobs):
    run_periodic()
    clock.advance(minutes=21)


@pytest.mark.parametrize(
    ("prefix", "texts"),
    [
        (
            "",
            [
                "Περιοδικές εργασίες σε καθυστέρηση",
                "Δεν έχει πετύχει ποτέ.",
                "Τελευταίο σφάλμα: RuntimeError: the disk is full",
            ],
        ),
        (
            "/en",
            [
                "Periodic jobs overdue",
                "Never succeeded.",
                "Last error: RuntimeError: the disk is full",
            ],
        ),
    ],
)
def test_the_admin_index_shows_overdue_jobs_to_superusers(admin_client, overdue, prefix, texts):
    page = admin_client.get(f"{prefix}/admin/").content.decode()
    assert '<div class="module" id="overdue-jobs">' in page
    assert "<code>boom</code>: Fails." in page
    assert "<code>count</code>" not in page  # succeeded a moment ago
    for text in texts:
        assert text in page


def test_the_admin_index_says_when_an_overdue_job_last_succeeded(admin_client, two_jobs):
    # The real clock: the timesince filter reads it.
    long_ago = timezone.now() - timedelta(days=3, minutes=1)
    JobRun.objects.create(
        name="count", created_at=long_ago, last_succeeded_at=long_ago, last_ok=True
    )
    JobRun.objects.create(name="boom", last_succeeded_at=timezone.now(), last_ok=True)
    page = admin_client.get("/en/admin/").content.decode()
    assert "<code>count</code>: Counts." in page and "<code>boom</code>" not in page
    assert "Last succeeded 3\xa0days ago." in page


def test_the_admin_index_does_not_show_overdue_jobs_to_moderators(moderator_session, overdue):
    page = moderator_session.get("/admin/").content.decode()
    assert "overdue-jobs" not in page


# Two timers at once


def run_together(*calls):
    barrier = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            barrier.wait()
            call()
        except Exception as error:  # noqa: BLE001 (the test reports what a side got)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are PostgreSQL's; SQLite serialises"
)
@pytest.mark.usefixtures("committed_db")
def test_two_run_periodic_at_once_run_each_job_once(monkeypatch):
    runs = []

    def slow():
        runs.append(threading.get_ident())
        time.sleep(0.2)  # the other side claims while this one still runs

    job = PeriodicJob(name="slow", run=slow, interval=timedelta(minutes=10), description="")
    monkeypatch.setattr(periodic, "jobs", lambda: [job])
    for trial in range(4):
        JobRun.objects.all().delete()
        errors = run_together(
            *[
                partial(call_command, "run_periodic", stdout=io.StringIO(), stderr=io.StringIO())
                for _side in range(3)
            ]
        )
        assert errors == []
        assert len(runs) == trial + 1
    assert JobRun.objects.get().last_ok is True
