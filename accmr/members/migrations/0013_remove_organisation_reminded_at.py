"""Organisation.reminded_at now lives in services' VerificationReminder, which copied it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0012_login_throttle"),
        ("services", "0009_verification_reminder"),  # copies the column before it goes
    ]

    operations = [
        migrations.RemoveField(model_name="organisation", name="reminded_at"),
    ]
