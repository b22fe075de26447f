"""Support posts name their languages (interpretation, translation)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("support", "0002_search_trigram_index"),
        ("taxonomy", "0003_supporttype_needs_language"),
    ]

    operations = [
        migrations.AddField(
            model_name="supportpost",
            name="languages",
            field=models.ManyToManyField(
                blank=True,
                help_text="For interpretation or translation: the languages asked for or offered. Posts are matched only with posts that share one.",
                related_name="+",
                to="taxonomy.language",
                verbose_name="languages",
            ),
        ),
    ]
