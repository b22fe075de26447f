"""The kit's form base: translated fields named once, shown in Greek and English; and the
public forms anyone may send (a problem report), guarded against simple bots."""

import time
from contextlib import suppress
from hashlib import sha256

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import models
from django.forms.models import BaseInlineFormSet, ModelFormMetaclass
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from .changes import (
    changed,
    diff_lines,
    field_label,
    from_form,
    initial_value,
    rows_from_formset,
    values,
    version,
)
from .models import ChangeSet, Report
from .ratelimit import local_counts
from .redis_cache import CacheUnavailable
from .text import one_line
from .translation import translated_fields

LANGUAGES = ("el", "en")
ADD_ROW = "add_row"  # the name of an entry form's "Add a row" buttons; the value: a relation


def in_languages(names) -> list[str]:
    """Each of `names` as its fields in each language, Greek first ("name_el", "name_en")."""
    return [f"{name}_{lang}" for name in names for lang in LANGUAGES]


REQUIRED = forms.Field.default_error_messages["required"]
CHOICE_WIDGETS = (forms.Select, forms.RadioSelect, forms.CheckboxSelectMultiple)


class SpecificErrors:
    """A form mixin: "This field is required" names the field and says what to do
    ("Fill in “Name (Greek)”.", "Choose “District”."), so the error summary at the top of
    the page reads on its own (includes/error_summary.html)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.relabel()
        for field in self.fields.values():
            if field.error_messages.get("required") is REQUIRED and field.label:
                if isinstance(field.widget, forms.CheckboxInput):
                    text = _("Tick this box to continue.")  # its label may be long
                elif isinstance(field.widget, CHOICE_WIDGETS):
                    text = _("Choose “%(label)s”.")
                else:
                    text = _("Fill in “%(label)s”.")
                field.error_messages["required"] = text % {"label": field.label}

    def relabel(self) -> None:
        """A hook for forms that set labels at run time, before the messages name them."""


class BilingualMetaclass(ModelFormMetaclass):
    """Expands each translated field in Meta.fields into its `_el` and `_en` fields.

    Meta.fields stays the one list that orders the form; it takes the translated ones from
    the translation registration (`*translated_fields(Model)`, from translation.py) rather
    than naming them a second time. They are kept in Meta.bilingual for the side-by-side
    layout.
    """

    def __new__(mcs, name, bases, attrs):
        meta = attrs.get("Meta")
        model = getattr(meta, "model", None)
        fields = getattr(meta, "fields", None)
        if model is not None and isinstance(fields, list | tuple):
            translated = translated_fields(model)
            meta.bilingual = [f for f in fields if f in translated]
            meta.fields = [
                expanded
                for f in fields
                for expanded in (in_languages([f]) if f in translated else [f])
            ]
            widgets = getattr(meta, "widgets", {}) or {}
            for f in meta.bilingual:
                if isinstance(model._meta.get_field(f), models.TextField):
                    for lang in LANGUAGES:
                        widgets.setdefault(f"{f}_{lang}", forms.Textarea(attrs={"rows": 3}))
            meta.widgets = widgets
        return super().__new__(mcs, name, bases, attrs)


class BilingualModelForm(SpecificErrors, forms.ModelForm, metaclass=BilingualMetaclass):
    """An editor's form for an entry (or a profile), which edits the working version.

    The working version is the stored entry with the change waiting for review laid over
    it (`self.waiting`), so a second edit builds on the first instead of silently dropping
    it. The hidden `base_version` carries the fingerprint of the version the form was
    shown with; `check_version()` refuses a save if someone else has saved or proposed
    a change since, and says what now differs.
    """

    # (legend, field names) of the single-language fieldsets, for core/entry_form.html:
    # `lead_sections` before the texts (what the entry is), `sections` after them.
    lead_sections: list = []
    sections: list = []
    # (latitude, longitude) fields placed with a map, their inputs folded beneath it.
    point_fields: tuple = ()
    # Child rows edited with the entry: relation name → inline formset class (its
    # EntryType names the same relations in `child_relations`, so they are reviewed with it).
    child_formsets: dict = {}
    # Those whose rows the editor adds ("Add a row"; without JavaScript the button sends
    # the form back one row longer, unsaved: `adding_row` names the relation).
    growing_formsets: tuple = ()
    # Checkboxes shown beside the save buttons only when an error asks for them: a
    # warning the editor confirms ("the hours are right") rather than mends.
    confirmation_fields: tuple = ()

    base_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, copy_of=None, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.Textarea):
                field.to_python = _single_line(field.to_python)
        self.waiting, self.conflicts, self.version = None, [], ""
        self.child_forms = {}
        adding = self.data.get(ADD_ROW, "") if self.is_bound else ""
        self.adding_row = adding if adding in self.growing_formsets else ""
        # A duplicate starts as a new entry holding the values (and child rows) of another.
        self.copy_of = copy_of
        if copy_of is not None:
            for name, value in values(copy_of).items():
                if name in self.fields:
                    self.initial[name] = initial_value(type(copy_of), name, value)
        if self.instance.pk is None:
            return
        self.waiting = ChangeSet.objects.waiting_for(self.instance)
        self.proposed = self.waiting.data if self.waiting else {}
        model = type(self.instance)
        for name, value in self.proposed.items():
            if name in self.fields:
                self.initial[name] = initial_value(model, name, value)
        self.working = {**values(self.instance), **self.proposed}
        self.version = version(self.working)
        self.fields["base_version"].initial = self.version

    def relabel(self) -> None:
        """ "Name (Greek)" and "Name (English)", not modeltranslation's "Name [el]"."""
        model = self._meta.model
        for name in self.Meta.bilingual:
            for lang in LANGUAGES:
                field = self.fields.get(f"{name}_{lang}")
                if field is None:
                    continue
                field.label = field_label(model._meta.get_field(f"{name}_{lang}"))
                field.widget.attrs["lang"] = lang  # the label is in the page's language

    def formsets(self, data=None, files=None) -> dict:
        """The bound (or empty) inline formsets of the entry's child rows, by relation,
        showing the rows of the waiting change if there is one (kept in `child_forms`
        for the form's own checks)."""
        formsets = {}
        for relation, formset_class in self.child_formsets.items():
            if relation == self.adding_row and data is not None:
                data = _one_more_row(data, relation)
            rows = self.waiting.data.get(relation) if self.waiting else None
            if self.copy_of is not None:  # its rows, as new ones
                rows = [{**row, "id": None} for row in values(self.copy_of)[relation]]
            added = [row for row in rows or [] if row["id"] is None]
            formset = formset_class(
                data,
                files,
                instance=self.instance,
                prefix=relation,
                initial=[self._row_initial(formset_class.model, row) for row in added],
            )
            if rows is not None:
                self._lay_over(formset, rows, added)
            if relation == self.adding_row and formset.forms:
                new_row = formset.forms[-1]  # where the keyboard goes when the page is back
                next(iter(new_row.fields.values())).widget.attrs["autofocus"] = True
            formsets[relation] = formset
        self.child_forms = formsets
        return formsets

    def full_clean(self):
        """While a row is being added nothing is checked or saved: the form goes back to
        the editor as typed, one row longer (its rows still say what is wrong in them)."""
        if self.adding_row:
            self._errors, self.cleaned_data = ErrorDict(), {}
            return
        super().full_clean()

    def is_valid(self) -> bool:
        return not self.adding_row and super().is_valid()

    def confirmations(self) -> list:
        """The bound confirmation fields to show: those with an error or already ticked."""
        fields = (self[name] for name in self.confirmation_fields)
        return [field for field in fields if field.errors or field.value()]

    @staticmethod
    def _row_initial(model, row: dict) -> dict:
        return {k: initial_value(model, k, v) for k, v in row.items() if k != "id"}

    def _lay_over(self, formset, rows: list[dict], added: list[dict]) -> None:
        """Show the proposed rows: changed values in the stored rows' forms, removed rows
        ticked for deletion, added rows as forms that count as rows even untouched."""
        stored = len(formset.get_queryset())
        formset.min_num = stored + len(added)  # not empty_permitted: kept unless deleted
        by_id = {row["id"]: row for row in rows if row["id"]}
        for form in formset.forms[:stored]:
            row = by_id.get(form.instance.pk)
            if row is None:
                if formset.can_delete:
                    form.initial["DELETE"] = True
            else:
                form.initial.update(self._row_initial(formset.model, row))

    def warnings(self) -> list[str]:
        """What the editor should know after saving, though it is not an error."""
        return []

    def check_version(self, formsets: dict) -> bool:
        """True if the version this form was shown with is still the working version.

        Otherwise someone else saved or proposed a change meanwhile: the form gets an
        error, `conflicts` lists (field, now saved, yours) where the two differ, and the
        form now carries the current version, so saving again is a deliberate choice.
        """
        base = self.cleaned_data.get("base_version")
        if not base or not self.version or base == self.version:
            return True
        model = type(self.instance)
        names = [n for n in self.fields if not isinstance(self.fields[n], forms.FileField)]
        mine = {
            **from_form(self, names),
            **{relation: rows_from_formset(fs) for relation, fs in formsets.items()},
        }
        saved = {name: self.working[name] for name in mine if name in self.working}
        self.conflicts = diff_lines(model, changed(saved, mine))
        self.add_error(
            None,
            _(
                "Someone else saved a change to this entry while you were editing it. "
                "Compare the saved version with yours in the table, then save again to keep "
                "yours."
            ),
        )
        data = self.data.copy()
        data[self.add_prefix("base_version")] = self.version
        self.data = data
        return False

    def bilingual_pairs(self):
        """(Greek field, English field) for each translated field, in Meta.fields order."""
        return [(self[f"{name}_el"], self[f"{name}_en"]) for name in self.Meta.bilingual]


def _single_line(to_python):
    """A one-line field's cleaning, with line breaks and control characters as spaces: a
    browser sends none from a text input, and a title or name is written where a line
    break would start something else (a calendar file, a mail's subject)."""

    def clean(value):
        value = to_python(value)
        return one_line(value) if isinstance(value, str) else value

    return clean


class RowsFormSet(BaseInlineFormSet):
    """Child rows an editor adds ("Add a row", listed in the form's `growing_formsets`)
    and removes with a tick (core/entry_form.html)."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this row")


def _one_more_row(data, relation: str):
    """A copy of posted `data` whose formset of `relation` counts one more (empty) row."""
    data = data.copy()
    key = f"{relation}-TOTAL_FORMS"
    with suppress(ValueError):  # a broken management form: the formset's error says so
        data[key] = str(int(data.get(key, "")) + 1)
    return data


HUMAN_SALT = "accmr.core.forms.human"


class HumanCheckForm(SpecificErrors, forms.Form):
    """A public form that simple bots fail without a third-party service: a field people
    never see (`website`, filled only by bots that fill everything) and a signed time the
    form was shown, refused if sent back sooner than HUMAN_CHECK_SECONDS, later than
    HUMAN_CHECK_MAX_MINUTES, or a second time (a used token is kept in the cache until it
    would have expired anyway, so one captured form cannot be replayed). A refusal keeps
    what was typed, says what to do, and carries a fresh token for the next try."""

    trap_fields = ("website",)  # hidden by CSS (includes/form.html)
    not_sent = _("This has not been sent yet. Please check the form and send it again.")
    stale = _(
        "The form was open for more than %(minutes)s minutes, so it has not been sent yet. "
        "What you typed is kept: please check it and send it again."
    )
    sent_already = _(
        "This form has already been sent once. To send it again, check it and send it once more."
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    shown = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shown"].initial = signing.dumps(time.time(), salt=HUMAN_SALT)

    @property
    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))

    def clean(self):
        cleaned = super().clean()
        if self.errors:  # the timing is checked on the try that would otherwise go through
            return cleaned
        token = self.data.get("shown", "")
        seconds = settings.HUMAN_CHECK_MAX_MINUTES * 60
        error = None
        try:
            shown = signing.loads(token, salt=HUMAN_SALT, max_age=seconds)
        except signing.SignatureExpired:
            error = self.stale % {"minutes": settings.HUMAN_CHECK_MAX_MINUTES}
        except signing.BadSignature:
            error = self.not_sent
        else:
            age = time.time() - shown if isinstance(shown, float | int) else -1
            if age < settings.HUMAN_CHECK_SECONDS:
                error = self.not_sent
            elif age > seconds:
                error = self.stale % {"minutes": settings.HUMAN_CHECK_MAX_MINUTES}
            elif not _first_use(f"human-used:{sha256(token.encode()).hexdigest()}", seconds):
                error = self.sent_already
        # Whatever happens next (this error, another refusal by the view), the form shown
        # again carries a token of its own: the next try starts now.
        self.data = self.data.copy()
        self.data["shown"] = self.fields["shown"].initial
        if error:
            self.add_error(None, error)
        return cleaned


def _first_use(key: str, seconds: int) -> bool:
    """Record `key` as used; False if it already was. With the shared cache down, this
    process remembers (a token replayed on another worker then passes once more)."""
    try:
        return cache.add(key, 1, seconds)
    except CacheUnavailable:
        return local_counts.add(key, 1, seconds)


class ReportForm(HumanCheckForm, forms.ModelForm):
    not_sent = _("Your report has not been sent yet. Please check it and send it again.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_suffix = ""  # the labels are questions; Greek ends them with «;»
        self.fields["problem"].choices = Report.Problem.choices  # no blank radio

    def cleaned_data_for_report(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}

    class Meta:
        model = Report
        fields = ["problem", "message", "email"]
        widgets = {
            "problem": forms.RadioSelect,
            "message": forms.Textarea(attrs={"rows": 5}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        labels = {"message": _("What should it say instead?")}
        help_texts = {
            "message": _(
                "Say what you found and, if you know it, what is right. Do not write anyone's "
                "personal details here."
            ),
            "email": _("Optional: only if you would like an answer. It is not published."),
        }
        error_messages = {
            "problem": {"required": _("Choose what is wrong.")},
            "message": {"required": _("Write what is wrong, so that the editors can fix it.")},
            "email": {
                "invalid": _("Enter an e-mail address like name@example.org, or leave it empty.")
            },
        }
