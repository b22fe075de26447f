from django.conf import settings
from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import Coalesce
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse

from accmr.core.views import paginate
from accmr.taxonomy.models import Category, District

from .access import get_service_for_viewer
from .exports import export
from .filters import ServiceFilter
from .models import Service

# ?sort= value → ServiceQuerySet method; anything else sorts by name.
SORTS = {"name": "by_name", "verified": "recently_verified"}


def _filtered(request) -> ServiceFilter:
    published = Service.objects.published()
    filterset = ServiceFilter(request.GET or None, queryset=published.for_listing())
    # Only organisations with something public are worth offering as a filter.
    organisations = filterset.form.fields["organisation"]
    organisations.queryset = organisations.queryset.filter(
        Exists(published.filter(organisation=OuterRef("pk")))
    ).only("slug", "name_el", "name_en")
    return filterset


def service_list(request):
    filterset = _filtered(request)
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "name"
    services = getattr(filterset.qs, SORTS[sort])()
    if request.GET.get("format") in ("csv", "xlsx"):
        return export(services, request.GET["format"])

    page = paginate(request, services, settings.SERVICES_PAGE_SIZE)
    context = {
        "filter": filterset,
        "page_obj": page,
        "sort": sort,
        "active_filters": filterset.active_filters(),
        "category_tree": Category.objects.active().tree(),
    }
    if not page.object_list:
        context["nothing_published"] = not Service.objects.published().exists()
    return render(request, "services/service_list.html", context)


def service_detail(request, slug):
    service = get_service_for_viewer(request, slug)
    return render(request, "services/service_detail.html", {"service": service})


def service_map(request):
    """GeoJSON of the filtered services that may be pinned (never confidential addresses)."""
    rows = (
        _filtered(request)
        .qs.filter(latitude__isnull=False, address_confidential=False)
        .prefetch_related(None)
        .order_by()
        .distinct()
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
    english = request.LANGUAGE_CODE == "en"
    url = reverse("services:detail", args=["SLUG"])  # one reverse(), not one per row
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]},
            "properties": {
                "name": name_en if english and name_en else name_el,
                "organisation": org_en if english and org_en else org_el,
                "url": url.replace("SLUG", slug),
            },
        }
        for slug, name_el, name_en, org_el, org_en, lat, lon in rows
    ]
    return JsonResponse(
        {"type": "FeatureCollection", "features": features},
        content_type="application/geo+json",
    )


def home_section(request) -> dict:
    """The search box, counts and quick links at the top of the home page (six queries)."""
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
