from django.db import migrations

from accmr.core.migration_ops import trigram_index


class Migration(migrations.Migration):
    dependencies = [("services", "0001_initial")]

    # Serves ServiceQuerySet.search(): search_text LIKE '%word%' for each word.
    operations = [trigram_index("services_service", "service_search_trgm")]
