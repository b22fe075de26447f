from django.db import migrations

from accmr.core.migration_ops import trigram_index


class Migration(migrations.Migration):
    dependencies = [("support", "0001_initial")]

    # Serves the board's free-text search, as for the other sections.
    operations = [trigram_index("support_supportpost", "support_search_trgm")]
