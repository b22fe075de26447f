from django.db import migrations

from accmr.core.migration_ops import trigram_index


class Migration(migrations.Migration):
    dependencies = [("members", "0005_invitation")]

    # Serves OrganisationQuerySet.search() in the members directory and the type-ahead.
    operations = [trigram_index("members_organisation", "organisation_search_trgm")]
