from django.db import migrations

from accmr.core.migration_ops import trigram_index


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    # Serves the activities' free-text search, as for services, members and the toolbox.
    operations = [trigram_index("activities_activity", "activity_search_trgm")]
