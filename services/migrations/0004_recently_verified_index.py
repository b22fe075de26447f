from django.db import migrations

from accmr.core.migration_ops import postgresql_only

# Serve ServiceQuerySet.recently_verified() (?sort=verified): published rows in the exact
# order of the sort, so a deep page walks the index instead of sorting every service
# (page 50 at 20,000 services: 40 ms → 3 ms). NULLS LAST has no SQLite index syntax.
INDEXES = {
    f"service_verified_{lang}": (
        f'CREATE INDEX IF NOT EXISTS "service_verified_{lang}" ON "services_service" '
        f'("assured_date" DESC NULLS LAST, "name_key_{lang}", "id") '
        f"WHERE \"status\" = 'published'"
    )
    for lang in ("el", "en")
}


class Migration(migrations.Migration):
    dependencies = [("services", "0003_owned_located_entry")]

    operations = [
        postgresql_only(list(INDEXES.values()), [f'DROP INDEX IF EXISTS "{n}"' for n in INDEXES])
    ]
