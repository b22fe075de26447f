from django.conf import settings
from django.shortcuts import get_object_or_404, render

from accmr.core.views import paginate

from .filters import OrganisationFilter
from .models import Organisation


def organisation_list(request):
    filterset = OrganisationFilter(
        request.GET or None, queryset=Organisation.objects.approved().for_listing()
    )
    page = paginate(request, filterset.qs.by_name(), settings.SERVICES_PAGE_SIZE)
    context = {"filter": filterset, "page_obj": page, "active_filters": filterset.active_filters()}
    if not page.object_list:
        context["nothing_published"] = not Organisation.objects.approved().exists()
    return render(request, "members/organisation_list.html", context)


def organisation_detail(request, slug):
    organisation = get_object_or_404(Organisation.objects.approved().for_listing(), slug=slug)
    # Reverse relations only: members never imports the feature apps (DESIGN §3).
    services = organisation.services.published().for_listing().by_name()
    return render(
        request,
        "members/organisation_detail.html",
        {"organisation": organisation, "services": services},
    )
