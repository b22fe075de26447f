import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from accmr.core.filters import MAX_QUERY_LENGTH, PortalFilterSet, SearchFilter, TermFilter
from accmr.taxonomy.filters import district_filter
from accmr.taxonomy.models import Category

from .models import Organisation, member_actor_types


def actor_type_filter(field_name="organisation__actor_type__slug", **kwargs) -> TermFilter:
    """The "type of organisation" filter of the members or of their entries; never
    «Ιδιώτης», since a private person is not a member (unless `queryset` says otherwise:
    the support board's posters may be private persons)."""
    kwargs = {"label": _("Type of organisation"), "queryset": member_actor_types(), **kwargs}
    return TermFilter(field_name=field_name, **kwargs)


class OrganisationFilter(PortalFilterSet):
    """The members directory's filters, keyed by slugs like the services list."""

    q = SearchFilter()
    actor_type = actor_type_filter("actor_type__slug", panel_open=True)
    activity_field = TermFilter(
        label=_("Activity field"),
        field_name="activity_fields__slug",
        queryset=Category.objects.active().top_level(),
        panel_open=True,
    )
    district = district_filter()

    class Meta:
        model = Organisation
        fields = []


class OwnerFilter(django_filters.Filter):
    """The organisation that publishes an entry: `?organisation=<slug>`.

    The panel offers it as a type-ahead (members:suggest). Typed without the suggestions
    (no JavaScript), the text is matched against approved organisations' names instead:
    the exact name first, else every organisation whose name holds all the words.
    """

    field_class = forms.CharField
    panel_kind = "owner"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Organisation"))
        kwargs.setdefault("max_length", MAX_QUERY_LENGTH)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(organisation__in=self.matches(value).values("pk"))

    def matches(self, value: str):
        """Approved organisations meant by `value` (a query): its slug, else its name."""
        approved = Organisation.objects.members()
        if self.by_slug(value) is not None:
            return approved.filter(slug=value)
        exact = approved.named(value)
        return exact if exact.exists() else approved.name_contains(value)

    def by_slug(self, value: str) -> Organisation | None:
        """The approved organisation at slug `value` (one query per request)."""
        if getattr(self, "_found", (None,))[0] != value:
            self._found = (value, Organisation.objects.members().filter(slug=value).first())
        return self._found[1]

    def chip_label(self, value) -> str:
        found = self.by_slug(value)
        return found.name if found else f"«{value}»"

    def shown_value(self, chosen: list) -> dict:
        """What the type-ahead box shows: the chosen organisation's name, or the text."""
        if not chosen:
            return {"text": "", "slug": ""}
        found = self.by_slug(chosen[0])
        return (
            {"text": found.name, "slug": found.slug} if found else {"text": chosen[0], "slug": ""}
        )
