"""When an organisation was last reminded to verify its services moves from members'
Organisation.reminded_at (a lower layer carrying a services field) to services'
VerificationReminder; members.0013 then drops the old column."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def forwards(apps, schema_editor):
    Organisation = apps.get_model("members", "Organisation")
    VerificationReminder = apps.get_model("services", "VerificationReminder")
    reminded = Organisation.objects.exclude(reminded_at=None).values_list("pk", "reminded_at")
    VerificationReminder.objects.bulk_create(
        (VerificationReminder(organisation_id=pk, sent_at=sent_at) for pk, sent_at in reminded),
        batch_size=500,
    )


def backwards(apps, schema_editor):
    Organisation = apps.get_model("members", "Organisation")
    VerificationReminder = apps.get_model("services", "VerificationReminder")
    sent = VerificationReminder.objects.filter(organisation=OuterRef("pk")).values("sent_at")
    Organisation.objects.update(reminded_at=Subquery(sent[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0012_login_throttle"),
        ("services", "0008_days_per_period_and_wheelchair_access"),
    ]

    operations = [
        migrations.CreateModel(
            name="VerificationReminder",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "sent_at",
                    models.DateTimeField(
                        help_text=(
                            "When the organisation was last asked to confirm its services are "
                            "accurate."
                        ),
                        verbose_name="last reminded",
                    ),
                ),
                (
                    "organisation",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="verification_reminder",
                        to="members.organisation",
                        verbose_name="organisation",
                    ),
                ),
            ],
            options={
                "verbose_name": "verification reminder",
                "verbose_name_plural": "verification reminders",
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
