from django.db.models import Count
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from accmr.core.access import get_entry_for_viewer
from accmr.core.cache import CONTENT, TAXONOMY, public_page, remember
from accmr.core.geo import pins_response
from accmr.core.lists import FilteredList
from accmr.taxonomy.models import Category, District

from .exports import SERVICE_EXPORT
from .filters import ServiceFilter
from .models import Service

# Pages saying what is open now are shared for at most this many minutes of the clock.
HOURS_CACHE_MINUTES = 5


class ServiceList(FilteredList):
    model = Service
    filterset_class = ServiceFilter
    template_name = "services/service_list.html"
    card_template = "services/_service_card.html"
    sorts = {
        "name": (gettext_lazy("name"), "by_name"),
        "verified": (gettext_lazy("recently verified"), "recently_verified"),
    }
    export = SERVICE_EXPORT
    title = gettext_lazy("Services")
    filters_label = gettext_lazy("Filter services")
    cache_minutes = HOURS_CACHE_MINUTES


@public_page(minutes=HOURS_CACHE_MINUTES)
def service_detail(request, slug):
    service = get_entry_for_viewer(request, Service.objects.for_detail(), slug)
    return render(request, "services/service_detail.html", {"service": service})


@public_page(minutes=HOURS_CACHE_MINUTES, filters=ServiceFilter)
def service_map(request):
    """GeoJSON of the filtered services that may be pinned (never confidential addresses)."""
    published = Service.objects.published().filter(
        latitude__isnull=False, address_confidential=False
    )
    rows = (
        ServiceFilter(request.GET or None, queryset=published)
        .qs.order_by()
        .values_list(
            "slug",
            "name_el",
            "name_en",
            "organisation__name_el",
            "organisation__name_en",
            "latitude",
            "longitude",
        )
    )
    return pins_response(request, rows, "services:detail")


def home_section(request) -> dict:
    """The search box, counts and quick links at the top of the home page: five queries,
    run once per language until a service, organisation or term changes."""
    return remember("home:services", _home_counts, depends=(CONTENT, TAXONOMY))


def _home_counts() -> dict:
    published = Service.objects.published()
    per_top = dict(
        Service.categories.through.objects.filter(service__in=published)
        .annotate(top=Coalesce("category__parent_id", "category_id"))
        .values_list("top")
        .annotate(n=Count("service_id", distinct=True))
    )
    per_district = dict(
        published.order_by()
        .values_list("district")
        .annotate(n=Count("id"))
        .filter(district__isnull=False)
    )
    categories = [(c, per_top.get(c.pk, 0)) for c in Category.objects.active().top_level()]
    districts = [(d, per_district.get(d.pk, 0)) for d in District.objects.active()]
    return {
        "service_count": published.count(),
        "organisation_count": published.values("organisation").distinct().count(),
        "categories": categories,
        "districts": districts,
    }
