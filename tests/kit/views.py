from django.shortcuts import render

from accmr.core.access import get_entry_for_viewer
from accmr.core.lists import FilteredList

from .exports import PROGRAMME_EXPORT
from .filters import ProgrammeFilter
from .models import Programme


class ProgrammeList(FilteredList):
    model = Programme
    filterset_class = ProgrammeFilter
    template_name = "kit/programme_list.html"
    card_template = "kit/_programme_card.html"
    sorts = {"name": ("by title", "by_name")}
    export = PROGRAMME_EXPORT
    title = "Programmes"
    filters_label = "Filter the programmes"


def programme_detail(request, pk: int):
    programme = get_entry_for_viewer(request, Programme.objects.for_detail(), pk=pk)
    return render(request, "kit/programme_detail.html", {"programme": programme})
