"""Support types about a language: interpretation/translation asks for and matches on one."""

from django.db import migrations, models

ABOUT_A_LANGUAGE = ["interpretation-translation"]


def seed(apps, schema_editor):
    SupportType = apps.get_model("taxonomy", "SupportType")
    SupportType.objects.filter(slug__in=ABOUT_A_LANGUAGE).update(needs_language=True)


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0002_seed_terms")]
    operations = [
        migrations.AddField(
            model_name="supporttype",
            name="needs_language",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Posts of this kind of support (interpretation, translation) name their "
                    "languages, and are matched only with posts that share one."
                ),
                verbose_name="about a language",
            ),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
