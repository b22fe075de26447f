from django.utils.translation import gettext_lazy as _

from accmr.core.filters import (
    ChoicesFilter,
    PortalFilterSet,
    RadioFilter,
    SearchFilter,
    TermFilter,
    TreeFilter,
)
from accmr.members.filters import OwnerFilter
from accmr.taxonomy.models import ActorType, Category, District, Language, TargetGroup

from .models import Service


class ServiceFilter(PortalFilterSet):
    """The public services list's filters; every value is a repeatable GET parameter."""

    q = SearchFilter()
    category = TreeFilter(
        label=_("Category"),
        queryset=Category.objects.active().top_level(),
        method="filter_category",
        children="subcategory",
        panel_open=True,
    )
    subcategory = TermFilter(
        label=_("Subcategory"),
        field_name="categories__slug",
        queryset=Category.objects.active().filter(parent__isnull=False),
        in_panel=False,
    )
    district = TermFilter(
        label=_("Municipal district"),
        field_name="district__slug",
        queryset=District.objects.active(),
        panel_open=True,
    )
    cost = ChoicesFilter(label=_("Cost"), choices=Service.Cost.choices, panel_open=True)
    target_group = TermFilter(
        label=_("Target group"),
        field_name="target_groups__slug",
        queryset=TargetGroup.objects.active(),
    )
    language = TermFilter(
        label=_("Language spoken"), field_name="languages__slug", queryset=Language.objects.active()
    )
    location = ChoicesFilter(
        label=_("Location"), field_name="location_type", choices=Service.LocationType.choices
    )
    referral = RadioFilter(
        label=_("Referral"),
        choices=[("yes", _("Referral required")), ("no", _("No referral needed"))],
        method="filter_referral",
        empty_label=_("Either"),
    )
    actor_type = TermFilter(
        label=_("Type of organisation"),
        field_name="organisation__actor_type__slug",
        queryset=ActorType.objects.active(),
    )
    organisation = OwnerFilter()

    class Meta:
        model = Service
        fields = []

    def filter_category(self, queryset, name, value):
        return queryset.in_categories(value) if value else queryset

    def filter_referral(self, queryset, name, value):
        return queryset.filter(referral_required=value == "yes")
