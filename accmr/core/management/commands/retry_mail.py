from django.core.management.base import BaseCommand

from accmr.core.tasks import retry_mail


class Command(BaseCommand):
    help = (
        "Recover the task queue: put tasks a killed worker left running back in the queue, "
        "queue again mail whose task is gone (or, without a worker, whose wait is over) and "
        "purge mail sent more than 30 days ago. Safe at any time; run_periodic runs it every 10 minutes."
    )

    def handle(self, *args, **options):
        done = retry_mail()
        self.stdout.write(", ".join(f"{n} {what}" for what, n in done.items()) + ".")
