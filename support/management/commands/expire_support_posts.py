from django.core.management.base import BaseCommand

from support.actions import expire_posts


class Command(BaseCommand):
    help = (
        "Mark expired the support posts past their date and tell their posters by e-mail "
        "(a periodic job: run_periodic runs it daily)."
    )

    def handle(self, *args, **options):
        count = expire_posts()
        self.stdout.write(f"{count} support post(s) expired.")
