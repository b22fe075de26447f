"""Filter pieces shared by the public lists (services, members, and later the others)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelMultipleChoiceField

# A search longer than this is refused with a message instead of being run.
MAX_QUERY_LENGTH = 200


class TermChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return getattr(obj, "label", str(obj))


class TermFilter(django_filters.ModelMultipleChoiceFilter):
    """Multi-select keyed by slugs: `?district=6&district=7` (OR within a filter).

    `field_name` must end in `__slug`: django-filter compares the raw value with it.
    """

    field_class = TermChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(*args, **kwargs)


class SearchFilter(django_filters.CharFilter):
    """Free text matched word by word against the rows' normalised search_text."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Search"))
        kwargs.setdefault("max_length", MAX_QUERY_LENGTH)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return qs.search(value) if value else qs


class PortalFilterSet(django_filters.FilterSet):
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
                elif isinstance(self.filters[name], SearchFilter):
                    label, key = f"«{v}»", v
                else:
                    label, key = dict(field.choices).get(v, v), v
                chips.append((f"{field.label}: {label}", name, key))
        return chips
