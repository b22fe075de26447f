from django import forms
from django.utils.translation import gettext_lazy as _

from accmr.core.changes import field_label
from accmr.core.forms import BilingualModelForm, SpecificErrors
from accmr.core.widgets import CoordinateInput

from .models import Activity, Session

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SessionForm(SpecificErrors, forms.ModelForm):
    """A session: when, and where if not at the activity's place (or an online link)."""

    class Meta:
        model = Session
        fields = ["starts", "ends", "online_url", "address_el", "address_en", "district"]
        widgets = {"starts": DATETIME, "ends": DATETIME}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts", "ends"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        for name in ("address_el", "address_en"):
            self.fields[name].label = field_label(Session._meta.get_field(name))
            self.fields[name].help_text = _("Leave empty if it is at the activity's place.")

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts"), cleaned.get("ends")
        if starts and ends and ends <= starts:
            self.add_error("ends", _("A session must end after it starts."))
        return cleaned


SessionFormSet = forms.inlineformset_factory(
    Activity, Session, form=SessionForm, extra=1, can_delete=True, min_num=1, validate_min=True
)

SECTIONS = [
    (
        _("Classification"),
        ["activity_type", "categories", "target_groups", "languages", "support_wanted"],
    ),
    (_("Taking part"), ["cost", "registration_url", "capacity"]),
    (_("Usual place"), ["postcode", "district", "latitude", "longitude"]),
]


class ActivityForm(BilingualModelForm):
    sections = SECTIONS
    point_fields = ("latitude", "longitude")
    child_formsets = {"sessions": SessionFormSet}

    class Meta:
        model = Activity
        fields = [
            "title",
            "summary",
            "description",
            "address",
            *(name for _legend, names in SECTIONS for name in names),
        ]
        widgets = {
            "categories": forms.CheckboxSelectMultiple,
            "target_groups": forms.CheckboxSelectMultiple,
            "languages": forms.CheckboxSelectMultiple,
            "support_wanted": forms.CheckboxSelectMultiple,
            "latitude": CoordinateInput,
            "longitude": CoordinateInput,
        }
