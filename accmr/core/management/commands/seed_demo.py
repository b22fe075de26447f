"""python manage.py seed_demo [--scale N]: load the bilingual demo data (idempotent)."""

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from accmr.core.demo import DemoRun
from accmr.core.sections import demo_loaders


class Command(BaseCommand):
    help = "Load every app's bilingual demo data; --scale N adds synthetic volume."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            help="Add about 80×N synthetic services (N=250 → 20,000).",
        )

    def handle(self, *args, scale=0, **options):
        say = self.stdout.write if options["verbosity"] else lambda message: None
        run = DemoRun(today=timezone.localdate(), scale=scale, say=say)
        with transaction.atomic():
            for load in demo_loaders():
                load(run)
        if scale and connection.vendor == "postgresql":
            # Fresh planner statistics: after a bulk load the estimates say 1 row and the
            # list pages get nested-loop plans ten times slower.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
