from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from accmr.core.cache import cached_cards, public_page
from accmr.core.filters import MAX_QUERY_LENGTH
from accmr.core.lists import FilteredList
from accmr.core.sections import entry_types

from .filters import OrganisationFilter
from .models import Organisation

NAME_FIELDS = ("slug", "name_el", "name_en")


class OrganisationList(FilteredList):
    model = Organisation
    filterset_class = OrganisationFilter
    template_name = "members/organisation_list.html"
    card_template = "members/_organisation_card.html"
    sorts = {"name": (_("name"), "by_name")}
    title = _("Member organisations")
    filters_label = _("Filter organisations")

    def published(self):
        return Organisation.objects.members()


@public_page()
def organisation_detail(request, slug):
    organisation = get_object_or_404(Organisation.objects.members().for_listing(), slug=slug)
    # Each registered section lists the organisation's published entries through its
    # reverse relation: members never imports the feature apps (DESIGN §3).
    sections = []
    for entry_type in entry_types():
        groups = [
            group._replace(
                rows=cached_cards(
                    entry_type.card_template, list(group.rows), variant=entry_type.card_variant
                )
            )
            for group in entry_type.published_by(organisation)
        ]
        sections.append((entry_type, [group for group in groups if group.rows]))
    return render(
        request,
        "members/organisation_detail.html",
        {"organisation": organisation, "sections": sections},
    )


@public_page(params=("q",))
def organisation_suggest(request):
    """Up to ten approved organisations whose name holds the typed words, for type-aheads."""
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH]
    found = Organisation.objects.none()
    if query.strip():
        found = Organisation.objects.members().name_contains(query).by_name().only(*NAME_FIELDS)
    return JsonResponse({"results": [{"slug": o.slug, "name": o.name} for o in found[:10]]})
