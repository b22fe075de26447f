from django.utils.translation import gettext_lazy as _

from accmr.core.filters import PortalFilterSet, SearchFilter, TermFilter
from accmr.taxonomy.models import ActorType, Category, District

from .models import Organisation


class OrganisationFilter(PortalFilterSet):
    """The members directory's filters, keyed by slugs like the services list."""

    q = SearchFilter()
    actor_type = TermFilter(
        label=_("Type of organisation"),
        field_name="actor_type__slug",
        queryset=ActorType.objects.active(),
    )
    activity_field = TermFilter(
        label=_("Activity field"),
        field_name="activity_fields__slug",
        queryset=Category.objects.active().top_level(),
    )
    district = TermFilter(
        label=_("Municipal district"),
        field_name="district__slug",
        queryset=District.objects.active(),
    )

    class Meta:
        model = Organisation
        fields = []
