import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelMultipleChoiceField

from accmr.members.models import Organisation
from accmr.taxonomy.models import ActorType, Category, District, Language, TargetGroup

from .models import Service

# A search longer than this is refused with a message instead of being run.
MAX_QUERY_LENGTH = 200


class TermChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return getattr(obj, "label", str(obj))


class TermFilter(django_filters.ModelMultipleChoiceFilter):
    """Multi-select keyed by taxonomy slugs: `?district=6&district=7` (OR within a filter)."""

    field_class = TermChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(*args, **kwargs)


class ServiceFilter(django_filters.FilterSet):
    """The public services list's filters; every value is a repeatable GET parameter."""

    q = django_filters.CharFilter(
        label=_("Search"), method="filter_search", max_length=MAX_QUERY_LENGTH
    )
    category = TermFilter(
        label=_("Category"),
        queryset=Category.objects.active().top_level(),
        method="filter_category",
    )
    subcategory = TermFilter(
        label=_("Subcategory"),
        field_name="categories__slug",
        queryset=Category.objects.active().filter(parent__isnull=False),
    )
    district = TermFilter(
        label=_("Municipal district"),
        field_name="district__slug",
        queryset=District.objects.active(),
    )
    cost = django_filters.MultipleChoiceFilter(
        label=_("Cost"), choices=Service.Cost.choices, widget=forms.CheckboxSelectMultiple
    )
    target_group = TermFilter(
        label=_("Target group"),
        field_name="target_groups__slug",
        queryset=TargetGroup.objects.active(),
    )
    language = TermFilter(
        label=_("Language spoken"), field_name="languages__slug", queryset=Language.objects.active()
    )
    location = django_filters.MultipleChoiceFilter(
        label=_("Location"),
        field_name="location_type",
        choices=Service.LocationType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    referral = django_filters.ChoiceFilter(
        label=_("Referral"),
        choices=[("yes", _("Referral required")), ("no", _("No referral needed"))],
        method="filter_referral",
        empty_label=_("Either"),
        widget=forms.RadioSelect,
    )
    actor_type = TermFilter(
        label=_("Type of organisation"),
        field_name="organisation__actor_type__slug",
        queryset=ActorType.objects.active(),
    )
    organisation = TermFilter(
        label=_("Organisation"),
        field_name="organisation__slug",
        queryset=Organisation.objects.approved(),
        widget=forms.SelectMultiple,
    )

    class Meta:
        model = Service
        fields = []

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_category(self, queryset, name, value):
        return queryset.in_categories(value) if value else queryset

    def filter_referral(self, queryset, name, value):
        return queryset.filter(referral_required=value == "yes")

    def active_filters(self):
        """(label, parameter, value) for each applied filter value, for the removable chips."""
        if not self.is_bound or not hasattr(self.form, "cleaned_data"):
            return []
        chips = []
        for name, value in self.form.cleaned_data.items():
            if not value:
                continue
            field = self.form.fields[name]
            for v in value if isinstance(value, list) else [value]:
                if hasattr(v, "slug"):  # a taxonomy term or an organisation
                    label, key = field.label_from_instance(v), v.slug
                elif name == "q":
                    label, key = f"«{v}»", v
                else:
                    label, key = dict(field.choices).get(v, v), v
                chips.append((f"{field.label}: {label}", name, key))
        return chips
