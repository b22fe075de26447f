from django import forms
from django.utils.translation import gettext_lazy as _

from accmr.core.forms import BilingualModelForm
from accmr.core.text import normalise
from accmr.core.widgets import CoordinateInput
from accmr.taxonomy.models import Category, Language, TargetGroup

from .models import Service


def _streets(place) -> set[str]:
    """The street names of a place's addresses in both languages: the part before the
    first comma ("Φωκίωνος Νέγρη 10, 11361 Αθήνα"), numbers dropped, accents ignored."""
    first_parts = (
        normalise((address or "").split(",")[0]) for address in (place.address_el, place.address_en)
    )
    return {
        street
        for part in first_parts
        if (street := " ".join(w for w in part.split() if w.isalpha()))
    }


def same_street(first, second) -> bool:
    return bool(_streets(first) & _streets(second))


# The single-language fields, by fieldset.
SECTIONS = [
    (_("Classification"), ["categories", "target_groups", "languages"]),
    (
        _("Location"),
        ["location_type", "postcode", "district", "latitude", "longitude", "address_confidential"],
    ),
    (
        _("Contact and access"),
        [
            "phone",
            "email",
            "website",
            "cost",
            "referral_required",
            "wheelchair_access",
            "interpretation_available",
            "valid_from",
            "valid_until",
        ],
    ),
]


class ServiceForm(BilingualModelForm):
    """Everything an editor may set on a service; the organisation and status are not here."""

    sections = SECTIONS
    point_fields = ("latitude", "longitude")

    class Meta:
        model = Service
        # The translated ones (see translation.py) come first, side by side in both languages.
        fields = [
            "name",
            "description",
            "address",
            "fees_description",
            "application_process",
            "eligibility_description",
            "required_documents",
            "funding",
            *(name for _legend, names in SECTIONS for name in names),
        ]
        widgets = {
            "categories": forms.CheckboxSelectMultiple,
            "target_groups": forms.CheckboxSelectMultiple,
            "languages": forms.CheckboxSelectMultiple,
            "latitude": CoordinateInput,
            "longitude": CoordinateInput,
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_until": forms.DateInput(attrs={"type": "date"}),
        }

    def warnings(self) -> list[str]:
        """A confidential service whose organisation's public profile shows the same
        street (the demo's shelter did): the profile would give the address away."""
        service = self.instance
        if not service.address_confidential or not service.organisation_id:
            return []
        if not same_street(service.organisation, service):
            return []
        return [
            _(
                "This service's address is confidential, but your organisation's public "
                "profile shows an address on the same street. If it is the same place, "
                "remove or change the address in the organisation's profile."
            )
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].queryset = (
            Category.objects.active()
            .filter(children__isnull=True)
            .select_related("parent")
            .order_by("parent__position", "position")
        )
        self.fields["categories"].label_from_instance = lambda c: (
            f"{c.parent.name} › {c.name}" if c.parent_id else c.name
        )
        self.fields["target_groups"].queryset = TargetGroup.objects.active()
        self.fields["languages"].queryset = Language.objects.active()
        self.fields["languages"].label_from_instance = lambda lang: lang.label
        self.fields["name_el"].help_text = _("Required. The English name falls back to it.")

    def clean(self):
        """What the model's constraints require of a service at an address, said at the
        fields concerned (the constraint alone can only say it above the form)."""
        cleaned = super().clean()
        if cleaned.get("location_type") == Service.LocationType.PHYSICAL:
            if not cleaned.get("district") and "district" not in self.errors:
                self.add_error(
                    "district", _("Choose the municipal district of a service at an address.")
                )
            if cleaned.get("latitude") is None and "latitude" not in self.errors:
                self.add_error("latitude", _("Place the service on the map."))
        return cleaned
