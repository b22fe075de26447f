from contextlib import suppress
from datetime import date, datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accmr.core.changes import field_label
from accmr.core.forms import (
    BilingualModelForm,
    RowsFormSet,
    SpecificErrors,
    in_languages,
    translated_fields,
)
from accmr.core.widgets import CoordinateInput
from accmr.taxonomy.forms import offer_categories, offer_languages

from .models import Activity, Session

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)
MAX_REPEATS = 52  # a year of weeks


class SessionForm(SpecificErrors, forms.ModelForm):
    """A session: when, and where if not at the activity's place (or an online link)."""

    repeat_until = forms.DateField(
        label=_("Repeat every week until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Adds a session on the same day and time each week, up to this date."),
    )

    class Meta:
        model = Session
        fields = [
            "starts",
            "ends",
            "online_url",
            *in_languages(translated_fields(Session)),
            "district",
        ]
        widgets = {"starts": DATETIME, "ends": DATETIME}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts", "ends"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        for name in in_languages(translated_fields(Session)):
            self.fields[name].label = field_label(Session._meta.get_field(name))
        for name in ("address_el", "address_en"):
            self.fields[name].help_text = _("Leave empty if it is at the activity's place.")

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts"), cleaned.get("ends")
        if starts and ends and ends <= starts:
            self.add_error("ends", _("A session must end after it starts."))
        # A valid repeat was spelled out into rows before this runs (repeat_weekly), so
        # a repeat still here belongs to a row that is wrong in some other way, or is
        # wrong itself.
        until = cleaned.get("repeat_until")
        if starts and until:
            if until < timezone.localtime(starts).date():
                self.add_error(
                    "repeat_until", _("The weekly repeat must end on or after the first date.")
                )
            elif until > _last_repeat(starts):
                self.add_error(
                    "repeat_until",
                    _("Weekly sessions repeat for at most a year: choose an earlier date."),
                )
        return cleaned


def _last_repeat(starts: datetime) -> date:
    return (starts + timedelta(weeks=MAX_REPEATS)).date()


# What a weekly copy takes from its session: all but the times, which move a week on.
COPIED = [name for name in SessionForm._meta.fields if name not in ("starts", "ends")]


def repeat_weekly(data, prefix: str):
    """The posted sessions with each "repeat every week until" spelled out as rows of its
    own (same weekday and wall-clock time, so 18:00 stays 18:00 across daylight saving),
    which are then checked, saved and reviewed like any row; the repeat is cleared so a
    form shown again with an error does not repeat twice. The copies follow their session
    (saved sessions keep the first places, as a formset needs) and empty rows go last, so
    a form shown again reads in date order."""
    try:
        total = int(data.get(f"{prefix}-TOTAL_FORMS") or 0)
        initial = int(data.get(f"{prefix}-INITIAL_FORMS") or 0)
    except ValueError:
        return data  # a broken management form: the formset's error says so
    data = data.copy()
    rows = []
    for i in range(total):
        key = f"{prefix}-{i}-"
        rows.append({k[len(key) :]: data.pop(k) for k in [k for k in data if k.startswith(key)]})
    kept, added, empty = rows[:initial], [], []
    for row in rows[initial:]:
        (added if any(v != [""] for v in row.values()) else empty).append(row)
    ordered = kept + [copy for row in added for copy in [row, *_weekly_copies(row)]] + empty
    copies_of_saved = [copy for row in kept for copy in _weekly_copies(row)]
    ordered[initial:initial] = copies_of_saved
    for i, row in enumerate(ordered):
        for name, value in row.items():
            data.setlist(f"{prefix}-{i}-{name}", value)
    data[f"{prefix}-TOTAL_FORMS"] = str(len(ordered))
    return data


def _weekly_copies(row: dict) -> list[dict]:
    """The weekly copies a posted session row asks for (clearing its repeat), or none if
    it asks for none or is wrong: one wrong session must not become many."""
    first = {name: values[-1] for name, values in row.items()}
    if not first.get("repeat_until") or first.get("DELETE"):
        return []
    try:
        starts = datetime.strptime(first.get("starts", ""), DATETIME_FORMAT)
        ends = datetime.strptime(first.get("ends", ""), DATETIME_FORMAT)
        until = date.fromisoformat(first["repeat_until"])
    except ValueError:
        return []  # the fields themselves say what is wrong
    if ends <= starts or not starts.date() <= until <= _last_repeat(starts):
        return []  # its form says why
    row["repeat_until"] = [""]
    copies = []
    for week in range(1, MAX_REPEATS + 1):
        step = timedelta(weeks=week)
        if (starts + step).date() > until:
            break
        copy = {name: [first.get(name, "")] for name in COPIED}
        copy["starts"] = [(starts + step).strftime(DATETIME_FORMAT)]
        copy["ends"] = [(ends + step).strftime(DATETIME_FORMAT)]
        copies.append(copy)
    return copies


class RepeatingSessions(RowsFormSet):
    def __init__(self, data=None, *args, **kwargs):
        self.note = ""  # said above the rows when the form comes back with copies in it
        if data is not None:
            prefix = kwargs.get("prefix") or self.get_default_prefix()
            posted = data.get(f"{prefix}-TOTAL_FORMS")
            data = repeat_weekly(data, prefix)
            added = 0
            with suppress(ValueError):  # a broken management form: the formset says so
                added = int(data[f"{prefix}-TOTAL_FORMS"]) - int(posted or 0)
            if added > 0:
                self.note = ngettext(
                    "The weekly repeat is now %(count)s more session below: check it, then save.",
                    "The weekly repeat is now %(count)s more sessions below: check them, "
                    "then save.",
                    added,
                ) % {"count": added}
        super().__init__(data, *args, **kwargs)


SessionFormSet = forms.inlineformset_factory(
    Activity,
    Session,
    form=SessionForm,
    formset=RepeatingSessions,
    extra=0,  # min_num's one row to start with; editors add more
    can_delete=True,
    min_num=1,
    validate_min=True,
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
    growing_formsets = ("sessions",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offer_categories(self.fields["categories"])
        offer_languages(self.fields["languages"])

    class Meta:
        model = Activity
        # The translated ones (translation.py) come first, side by side in both languages.
        fields = [
            *translated_fields(Activity),
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
