from decimal import Decimal

import pytest
from django.core.management import call_command

from accmr.members.models import Organisation
from accmr.taxonomy.models import ActorType, Category, District
from activities.models import Activity
from services.models import Service
from toolbox.models import ToolboxItem

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_bilingual_and_covers_every_taxonomy():
    call_command("seed_demo")
    counts = (Organisation.objects.count(), Service.objects.count())
    call_command("seed_demo")
    assert (Organisation.objects.count(), Service.objects.count()) == counts
    assert counts[0] >= 25 and counts[1] >= 80

    assert set(Organisation.objects.values_list("actor_type__slug", flat=True)) == set(
        ActorType.objects.values_list("slug", flat=True)
    )
    published = Service.objects.published()
    for top in Category.objects.top_level():
        assert published.in_categories([top]).exists(), top.slug
    assert set(published.values_list("district__slug", flat=True)) >= {str(n) for n in range(1, 8)}
    assert not Service.objects.filter(name_en="").exists()
    assert not Service.objects.filter(description_en="").exists()
    assert published.filter(district__isnull=True).exists()  # some have no physical address
    assert published.filter(address_confidential=True).exists()
    assert published.stale().exists()
    assert Service.objects.exclude(pk__in=published).exists()  # pending and expired ones


def test_demo_points_lie_in_athens_inside_their_district():
    call_command("seed_demo")
    # Rough boxes around each municipal district, enough to catch a point in the wrong one.
    boxes = {
        "1": (37.968, 37.992, 23.718, 23.748),
        "2": (37.950, 37.975, 23.725, 23.760),
        "3": (37.955, 37.990, 23.695, 23.730),
        "4": (37.985, 38.010, 23.700, 23.725),
        "5": (38.005, 38.030, 23.720, 23.745),
        "6": (37.988, 38.008, 23.720, 23.750),
        "7": (37.970, 38.000, 23.740, 23.780),
    }
    for service in Service.objects.filter(latitude__isnull=False).select_related("district"):
        south, north, west, east = (Decimal(str(v)) for v in boxes[service.district.slug])
        assert south <= service.latitude <= north and west <= service.longitude <= east, (
            service.slug
        )


def test_the_three_click_search_has_an_answer():
    call_command("seed_demo")
    found = (
        Service.objects.published()
        .in_categories(Category.objects.filter(slug="education"))
        .filter(district=District.objects.get(slug="6"), cost="free")
    )
    assert found.filter(categories__slug="greek-language").exists()


def test_scale_adds_synthetic_volume_once():
    call_command("seed_demo", scale=1)
    total = Service.objects.count()
    call_command("seed_demo", scale=1)
    assert Service.objects.count() == total
    synthetic = Service.objects.filter(slug__startswith="synthetic-")
    assert synthetic.count() == 80
    sample = synthetic.prefetch_related("categories").first()
    assert sample.categories.exists() and sample.search_text and sample.name_key_el
    # Activities and toolbox items come in proportion, linked and searchable like the rest.
    activities = Activity.objects.filter(slug__startswith="synthetic-activity-")
    assert activities.count() == 20
    assert not activities.filter(sessions=None).exists()
    assert not activities.filter(categories=None).exists()
    items = ToolboxItem.objects.filter(slug__startswith="synthetic-item-")
    assert items.count() == 4 and not items.filter(topics=None).exists()
    copy = items.get(slug="synthetic-item-0")
    assert copy.title_el.endswith(" · 0")
    word = max(copy.document_text.split(), key=len)  # found inside its shared PDF
    assert ToolboxItem.objects.filter(pk=copy.pk).search(word).exists()


def test_demo_accounts_can_work(client):
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    response = client.post(
        "/accounts/login/",
        {"username": "editor@legal-borders.example.org", "password": "accmr-demo-2026"},
    )
    assert response.status_code == 302
    dashboard = client.get("/dashboard/")
    assert len(dashboard.context["memberships"]) == 2
    client.post("/accounts/logout/")
    client.post(
        "/accounts/login/",
        {"username": "moderator@accmr.example.org", "password": "accmr-demo-2026"},
    )
    assert client.get("/admin/core/changeset/", follow=True).status_code == 200
    assert client.get("/admin/services/service/").status_code == 200


def test_no_confidential_demo_service_shares_a_street_with_its_organisation():
    from services.forms import same_street

    call_command("seed_demo", verbosity=0)
    confidential = Service.objects.filter(address_confidential=True).select_related("organisation")
    assert confidential.count() >= 3
    assert [s.name_el for s in confidential if same_street(s.organisation, s)] == []


def test_every_demo_service_has_realistic_hours():
    from services.models import Schedule

    call_command("seed_demo")
    call_command("seed_demo")  # idempotent: the periods are not doubled
    assert not Service.objects.filter(hours="").exists()
    clinic = Service.objects.get(slug="clinics-kypseli")
    # One period for Monday to Friday, as an editor enters it.
    assert [(s.byday, str(s.opens_at)) for s in clinic.schedules.all()] == [
        ("MO,TU,WE,TH,FR", "08:00:00")
    ]
    assert clinic.closures.count() == 1
    evening = Schedule.objects.filter(service__slug="kem-greek-kypseli", opens_at__hour=18)
    assert list(evening.values_list("byday", flat=True)) == ["MO,WE"]
    assert Service.objects.get(slug="unhcr-info-line").hours == "always"
    assert Service.objects.get(slug="legal-borders-asylum").hours == "appointment"
    night = Service.objects.get(slug="kyada-night-shelter").schedules.first()
    assert night.overnight and night.service.opens_on_holidays
