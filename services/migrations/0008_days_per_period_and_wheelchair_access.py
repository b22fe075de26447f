"""One opening period covers several weekdays ("MO,TU,WE,TH,FR": the rows of one day each
stay valid as they are), and wheelchair access says yes, no or not stated: what was
True is "yes"; what was False could mean either, so it becomes "not stated". Change-sets
and audit entries waiting with the old values are read the same way."""

from django.db import migrations, models
from django.db.models import Q

import services.models

STATED = {True: "yes", "True": "yes", "true": "yes"}


def _stated(value) -> str:
    return STATED.get(value, "")


def _yes(value) -> str:
    return "True" if value == "yes" else "False"


def forwards(apps, schema_editor):
    Service = apps.get_model("services", "Service")
    Service.objects.filter(wheelchair_access_old=True).update(wheelchair_access="yes")
    _stored_values(apps, _stated)


def backwards(apps, schema_editor):
    Service = apps.get_model("services", "Service")
    Service.objects.filter(wheelchair_access="yes").update(wheelchair_access_old=True)
    _stored_values(apps, _yes)


def _stored_values(apps, convert) -> None:
    """The proposed values of change-sets, and the before/after of audit entries."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    kind = ContentType.objects.filter(app_label="services", model="service").first()
    if kind is None:
        return
    for change in apps.get_model("core", "ChangeSet").objects.filter(content_type=kind):
        if "wheelchair_access" in change.data:
            change.data["wheelchair_access"] = convert(change.data["wheelchair_access"])
            change.save(update_fields=["data"])
    for entry in apps.get_model("core", "AuditEntry").objects.filter(content_type=kind):
        if pair := entry.changes.get("wheelchair_access"):
            entry.changes["wheelchair_access"] = [None if v is None else convert(v) for v in pair]
            entry.save(update_fields=["changes"])


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0007_problem_reports"),
        ("services", "0007_submitted_at"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="schedule",
            options={
                "ordering": ["service", "opens_at", "id"],
                "verbose_name": "opening period",
                "verbose_name_plural": "opening hours",
            },
        ),
        migrations.RemoveIndex(model_name="schedule", name="schedule_by_day"),
        migrations.AlterField(
            model_name="schedule",
            name="byday",
            field=services.models.WeekdaysField(
                help_text="Tick every day with these hours.", max_length=20, verbose_name="days"
            ),
        ),
        migrations.AddConstraint(
            model_name="schedule",
            constraint=models.CheckConstraint(
                condition=~Q(byday=""),
                name="schedule_has_a_day",
                violation_error_message="Choose at least one day.",
            ),
        ),
        migrations.RenameField(
            model_name="service", old_name="wheelchair_access", new_name="wheelchair_access_old"
        ),
        migrations.AddField(
            model_name="service",
            name="wheelchair_access",
            field=models.CharField(
                blank=True,
                choices=[("", "Not stated"), ("yes", "Yes"), ("no", "No")],
                default="",
                help_text="Say “No” only if you know it is not accessible.",
                max_length=3,
                verbose_name="wheelchair access",
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="service", name="wheelchair_access_old"),
    ]
