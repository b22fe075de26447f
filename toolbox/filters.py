"""The toolbox's filters: what kind, on what, in which language, when, by whom."""

import django_filters
from django import forms
from django.db.models import Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from accmr.core.cache import CONTENT, remember
from accmr.core.filters import (
    ChoicesFilter,
    PanelFilter,
    PortalFilterSet,
    SearchFilter,
    TermFilter,
)
from accmr.members.filters import OwnerFilter
from accmr.taxonomy.filters import category_filters
from accmr.taxonomy.models import Language

from .models import ToolboxItem


class PublisherFilter(OwnerFilter):
    """A member chosen from the suggestions (its slug), or any publisher by name: the
    members so named and the items whose publisher's name holds the text."""

    def filter(self, qs, value):
        if not value:
            return qs
        member = self.by_slug(value)
        if member is not None:
            return qs.filter(organisation=member)
        return qs.filter(
            Q(organisation__in=self.matches(value).values("pk"))
            | Q(publisher_name_el__icontains=value)
            | Q(publisher_name_en__icontains=value)
        )


def publication_years() -> list[int]:
    """The years of the published items, newest first (kept until an entry changes)."""
    return remember(
        "toolbox:years",
        lambda: sorted(
            ToolboxItem.objects.published()
            .exclude(published_on=None)
            .annotate(year=ExtractYear("published_on"))
            .values_list("year", flat=True)
            .order_by()
            .distinct(),
            reverse=True,
        ),
        depends=(CONTENT,),
    )


class YearFilter(PanelFilter, django_filters.NumberFilter):
    """The year of publication, chosen from the years there are (`?year=2024`)."""

    panel_kind = "template"
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("field_name", "published_on__year")
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2200)
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": _("Choose a year like 2024."),
                "min_value": _("Choose a year like 2024."),
                "max_value": _("Choose a year like 2024."),
            },
        )
        super().__init__(*args, **kwargs)

    def panel_context(self, filterset) -> dict:
        chosen = filterset.chosen("year")
        return {
            "template": "toolbox/_filter_year.html",
            "years": publication_years(),
            "year": chosen[0] if chosen else None,
            "chosen": chosen,
        }

    def chip_label(self, value) -> str:
        return str(value)


class ToolboxFilter(PortalFilterSet):
    q = SearchFilter()
    kind = ChoicesFilter(label=_("Kind"), choices=ToolboxItem.Kind.choices, panel_open=True)
    topic, subtopic = category_filters(
        "topics", label=_("Topic"), child_label=_("Subtopic"), children="subtopic", panel_open=True
    )
    language = TermFilter(
        label=_("Language of the document"),
        field_name="document_languages__slug",
        queryset=Language.objects.active(),
    )
    year = YearFilter(label=_("Year of publication"))
    publisher = PublisherFilter(label=_("Publisher"))

    class Meta:
        model = ToolboxItem
        fields = []
