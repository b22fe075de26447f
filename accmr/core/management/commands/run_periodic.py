"""python manage.py run_periodic — the one periodic entry point, for cron or a systemd
timer every five minutes (`*/5 * * * *`).

Runs each job that is due (accmr.core.periodic) in this process and records how it
ended; a failing job is recorded and the others still run, and the command then exits
with an error naming it.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accmr.core import periodic
from accmr.core.models import JobRun


def every(interval) -> str:
    minutes = int(interval.total_seconds() // 60)
    if minutes % 1440 == 0:
        return "daily" if minutes == 1440 else f"every {minutes // 1440} days"
    if minutes % 60 == 0:
        return f"every {minutes // 60} h"
    return f"every {minutes} min"


class Command(BaseCommand):
    help = (
        "Run the periodic jobs that are due (each one's last run older than its interval) "
        "and record how each ended; run it every five minutes from cron or a systemd timer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--job", metavar="NAME", help="run this job now, due or not")
        parser.add_argument(
            "--list", action="store_true", help="list the jobs, their intervals and last runs"
        )

    def handle(self, *args, job=None, list=False, **options):
        if list:
            return self.list_jobs()
        if job:
            chosen = periodic.job_named(job)
            if chosen is None:
                names = ", ".join(j.name for j in periodic.jobs())
                raise CommandError(f"No periodic job {job!r}; the jobs are: {names}.")
            if not periodic.claim(chosen, force=True):
                raise CommandError(f"{job} is running elsewhere now.")
            due = [chosen]
        else:
            due = [j for j in periodic.jobs() if periodic.claim(j)]
        failed = []
        for chosen in due:
            ok, text = periodic.run(chosen)
            if ok:
                self.stdout.write(f"{chosen.name}: ok" + (f" ({text})" if text else ""))
            else:
                failed.append(chosen.name)
                self.stderr.write(f"{chosen.name}: failed: {text}")
        if options["verbosity"] > 1 and not due:
            self.stdout.write("No job is due.")
        if failed:
            raise CommandError(f"{len(failed)} job(s) failed: {', '.join(failed)}.")

    def list_jobs(self):
        rows = {row.name: row for row in JobRun.objects.all()}
        late = {o.job.name for o in periodic.overdue_jobs()}
        for job in periodic.jobs():
            row = rows.get(job.name)
            if row is None or row.last_started_at is None:
                last = "never run"
            else:
                when = timezone.localtime(row.last_started_at).strftime("%Y-%m-%d %H:%M")
                if row.last_finished_at is None or row.last_finished_at < row.last_started_at:
                    last = f"running since {when}"
                elif row.last_ok:
                    last = f"{when} ok" + (f" ({row.last_result})" if row.last_result else "")
                else:
                    last = f"{when} failed: {row.last_error}"
            flag = "  OVERDUE" if job.name in late else ""
            self.stdout.write(f"{job.name:<30} {every(job.interval):<14} {last}{flag}")
