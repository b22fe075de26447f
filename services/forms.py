from django import forms
from django.utils.translation import gettext_lazy as _

from accmr.core.changes import field_label
from accmr.core.forms import (
    BilingualModelForm,
    RowsFormSet,
    SpecificErrors,
    in_languages,
    translated_fields,
)
from accmr.core.text import normalise
from accmr.core.widgets import CoordinateInput
from accmr.taxonomy.forms import offer_categories, offer_languages
from accmr.taxonomy.models import TargetGroup

from .models import Closure, Schedule, Service, Weekday, days_label


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
    (_("Opening hours"), ["hours", "opens_on_holidays"]),
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


DAY_MINUTES = 24 * 60
WEEK_MINUTES = 7 * DAY_MINUTES


def _minutes(value) -> int:
    return value.hour * 60 + value.minute


class ScheduleForm(SpecificErrors, forms.ModelForm):
    class Meta:
        model = Schedule
        fields = ["byday", "opens_at", "closes_at", "valid_from", "valid_to"]
        widgets = {
            "byday": forms.CheckboxSelectMultiple,  # also in the admin (not its text input)
            "opens_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "closes_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_to": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens is not None and opens == closes:
            self.add_error(
                "closes_at",
                _("It closes when it opens. For a period past midnight, give the next day's time."),
            )
        first, last = cleaned.get("valid_from"), cleaned.get("valid_to")
        if first and last and last < first:
            self.add_error("valid_to", _("“Valid to” cannot be before “valid from”."))
        return cleaned

    def spans(self) -> list[tuple[int, int]]:
        """The period on each of its days as minutes of the week, Monday 00:00 = 0 (past
        midnight: beyond). A period is shorter than a day, so its own days never meet."""
        opens, closes = (
            _minutes(self.cleaned_data["opens_at"]),
            _minutes(self.cleaned_data["closes_at"]),
        )
        length = closes - opens + (DAY_MINUTES if closes <= opens else 0)
        days = self.cleaned_data["byday"].split(",")
        starts = [list(Weekday).index(Weekday(d)) * DAY_MINUTES + opens for d in days]
        return [(start, start + length) for start in starts]


def _dates_meet(a: dict, b: dict) -> bool:
    """Whether two periods' validity ranges share a day (no bound: always)."""
    starts = [d for d in (a.get("valid_from"), b.get("valid_from")) if d]
    ends = [d for d in (a.get("valid_to"), b.get("valid_to")) if d]
    return not starts or not ends or max(starts) <= min(ends)


class ScheduleFormSet(RowsFormSet):
    def clean(self):
        """Refuse two periods that overlap on the same days (past midnight and from Sunday
        into Monday included), naming them."""
        super().clean()
        kept = [
            form
            for form in self.forms
            if form.is_valid()
            and form.cleaned_data.get("opens_at")
            and form.cleaned_data.get("byday")
            and not (self.can_delete and self._should_delete_form(form))
        ]
        for i, first in enumerate(kept):
            for second in kept[i + 1 :]:
                if not _dates_meet(first.cleaned_data, second.cleaned_data):
                    continue
                if any(
                    a < d + shift and c + shift < b
                    for a, b in first.spans()
                    for c, d in second.spans()
                    for shift in (-WEEK_MINUTES, 0, WEEK_MINUTES)
                ):
                    raise forms.ValidationError(
                        _("These periods overlap: %(first)s and %(second)s.")
                        % {"first": _period(first), "second": _period(second)}
                    )


def _period(form) -> str:
    data = form.cleaned_data
    return (
        f"{days_label(data['byday'].split(','))} {data['opens_at']:%H:%M}–{data['closes_at']:%H:%M}"
    )


class ClosureForm(SpecificErrors, forms.ModelForm):
    class Meta:
        model = Closure
        fields = ["starts_on", "ends_on", *in_languages(translated_fields(Closure))]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ends_on"].required = False  # one day: the day it starts
        self.fields["ends_on"].help_text = _("Leave empty for a single day.")
        for name in in_languages(translated_fields(Closure)):
            self.fields[name].label = field_label(Closure._meta.get_field(name))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("starts_on") and not cleaned.get("ends_on"):
            cleaned["ends_on"] = cleaned["starts_on"]
            self.instance.ends_on = cleaned["starts_on"]
        return cleaned


# One empty row each: a row covers several days, and editors add more (core/entry_form.html).
SchedulesFormSet = forms.inlineformset_factory(
    Service, Schedule, form=ScheduleForm, formset=ScheduleFormSet, extra=1, can_delete=True
)
ClosuresFormSet = forms.inlineformset_factory(
    Service, Closure, form=ClosureForm, formset=RowsFormSet, extra=1, can_delete=True
)


class ServiceForm(BilingualModelForm):
    """Everything an editor may set on a service; the organisation and status are not here."""

    sections = SECTIONS
    point_fields = ("latitude", "longitude")
    child_formsets = {"schedules": SchedulesFormSet, "closures": ClosuresFormSet}
    growing_formsets = ("schedules", "closures")
    confirmation_fields = ("confirm_hours",)

    confirm_hours = forms.BooleanField(
        label=_("The hours are right: save them as they are"), required=False
    )

    class Meta:
        model = Service
        # The translated ones (translation.py) come first, side by side in both languages.
        fields = [
            *translated_fields(Service),
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
        offer_categories(self.fields["categories"])
        self.fields["target_groups"].queryset = TargetGroup.objects.active()
        offer_languages(self.fields["languages"])
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
        if (caution := self.hours_caution(cleaned)) and not cleaned.get("confirm_hours"):
            self.add_error("confirm_hours", caution)
        return cleaned

    def hours_caution(self, cleaned: dict) -> str:
        """Hours that contradict themselves, which the editor mends or confirms: periods
        that a kind other than regular hours hides from the page, or regular hours with no
        day (the page would say closed all week). "" if the periods have errors of their
        own, which are shown instead."""
        schedules = self.child_forms.get("schedules")
        if schedules is None or not schedules.is_valid():
            return ""
        removed = set(schedules.deleted_forms)
        periods = [f for f in schedules.forms if f.cleaned_data.get("byday") and f not in removed]
        kind = cleaned.get("hours")
        if kind is None:  # not a kind of hours: its own error says so
            return ""
        if kind == Service.Hours.REGULAR and not periods:
            return _(
                "You chose “Regular opening hours” but gave no opening period, so the "
                "service's page would say it is closed every day. Add its days and hours "
                "below, or choose another kind of hours."
            )
        if kind != Service.Hours.REGULAR and periods:
            return _(
                "You chose “%(kind)s” but also gave opening periods: the service's page "
                "would say “%(kind)s” and not show them. Choose “Regular opening hours”, "
                "or remove the periods."
            ) % {"kind": Service.Hours(kind).label}
        return ""
