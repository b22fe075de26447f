from django.db import migrations, models
from django.db.models import F


def relayed_and_left(apps, schema_editor):
    """Conversations before confirmation existed were all relayed; posts that left the
    board by a moderator's or an archive's hand start the purge's clock when they last
    changed (the old rule for archived posts)."""
    Conversation = apps.get_model("support", "Conversation")
    SupportPost = apps.get_model("support", "SupportPost")
    Conversation.objects.filter(confirmed_at__isnull=True).update(confirmed_at=F("started_at"))
    SupportPost.objects.filter(
        closed_at__isnull=True, published_at__isnull=False
    ).exclude(status="published").update(closed_at=F("updated_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("support", "0003_supportpost_languages"),
    ]

    operations = [
        migrations.AddField(
            model_name="conversation",
            name="confirmed_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="address confirmed"
            ),
        ),
        migrations.AlterField(
            model_name="supportpost",
            name="closed_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When it last left the board (fulfilled, closed, expired, rejected, "
                "archived…); replies' personal data are removed a set time after.",
                null=True,
                verbose_name="left the board",
            ),
        ),
        migrations.RunPython(relayed_and_left, migrations.RunPython.noop),
    ]
