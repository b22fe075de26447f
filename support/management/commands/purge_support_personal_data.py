from django.conf import settings
from django.core.management.base import BaseCommand

from support.actions import purge_personal_data


class Command(BaseCommand):
    help = (
        "Remove the names, e-mail addresses and messages of the replies to support posts "
        "that left the board more than SUPPORT_PURGE_DAYS days ago (a periodic job: run_periodic runs it daily)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.SUPPORT_PURGE_DAYS,
            help="Days after a post leaves the board (default: SUPPORT_PURGE_DAYS).",
        )

    def handle(self, *args, days, **options):
        count = purge_personal_data(days)
        self.stdout.write(f"Personal data removed from {count} conversation(s).")
