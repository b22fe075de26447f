"""python manage.py ensure_admin: make sure a superuser exists (for `make run`)."""

import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

DEFAULT_PASSWORD = "accmr-admin-dev"


class Command(BaseCommand):
    help = "Create the admin account from ADMIN_USERNAME / ADMIN_PASSWORD / ADMIN_EMAIL if missing."

    def handle(self, *args, **options):
        username = os.environ.get("ADMIN_USERNAME", "admin")
        password = os.environ.get("ADMIN_PASSWORD")
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "email": os.environ.get("ADMIN_EMAIL", "admin@example.org"),
                "is_staff": True,
                "is_superuser": True,
            },
        )
        # An existing account keeps its password unless ADMIN_PASSWORD asks for a new one.
        if created or password:
            user.set_password(password or DEFAULT_PASSWORD)
            user.save()
        if password:
            note = "the password in ADMIN_PASSWORD"
        else:
            note = f"password {DEFAULT_PASSWORD!r}" + ("" if created else " unless it was changed")
        state = "created" if created else "exists"
        self.stdout.write(
            f"Admin account {state}: username {username!r}, {note} (development only)."
        )
