from django.core.management.base import BaseCommand

from accmr.core.files import sweep


class Command(BaseCommand):
    help = (
        "Delete uploaded files nothing refers to (no stored row, no change waiting for "
        "review) that are older than --hours (a periodic job: run_periodic runs it daily)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=24, help="keep younger files (24)")

    def handle(self, *args, hours, **options):
        deleted = sweep(older_than_seconds=hours * 3600)
        self.stdout.write(f"{len(deleted)} unused files deleted.")
