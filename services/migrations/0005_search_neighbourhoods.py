"""Services are found by their district's neighbourhoods: add them to the stored search
text (what Service.refresh_keys() now writes, with the neighbourhoods last)."""

from django.db import migrations

from accmr.core.text import normalise


def add_neighbourhoods(apps, schema_editor):
    District = apps.get_model("taxonomy", "District")
    Service = apps.get_model("services", "Service")
    hoods = {
        d.pk: normalise(f"{d.neighbourhoods_el or ''} {d.neighbourhoods_en or ''}")
        for d in District.objects.all()
    }
    batch = []
    for service in Service.objects.exclude(district=None).only("pk", "search_text", "district"):
        extra = hoods.get(service.district_id, "")
        if extra and not service.search_text.endswith(extra):
            service.search_text = f"{service.search_text} {extra}".strip()
            batch.append(service)
    Service.objects.bulk_update(batch, ["search_text"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("services", "0004_recently_verified_index"), ("taxonomy", "0002_seed_terms")]

    operations = [migrations.RunPython(add_neighbourhoods, migrations.RunPython.noop)]
