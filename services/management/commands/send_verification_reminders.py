"""python manage.py send_verification_reminders — one of the periodic jobs (run_periodic
runs it daily); this runs it now.

E-mails each organisation, in its language, the list of its public services nobody has
confirmed for SERVICE_REMIND_AFTER_DAYS (services.actions.send_verification_reminders).
"""

from django.core.management.base import BaseCommand

from services.actions import send_verification_reminders


class Command(BaseCommand):
    help = "E-mail organisations about services unverified for six months."

    def handle(self, *args, **options):
        count = send_verification_reminders()
        if options["verbosity"]:
            self.stdout.write(f"Reminded {count} organisations.")
