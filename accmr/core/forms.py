"""The kit's form base: translated fields named once, shown in Greek and English."""

from django import forms
from django.db import models
from django.forms.models import ModelFormMetaclass
from modeltranslation.translator import NotRegistered, translator

LANGUAGES = ("el", "en")


def translated_fields(model) -> set[str]:
    """The names of `model`'s fields registered with modeltranslation (e.g. "name")."""
    try:
        return set(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return set()


class BilingualMetaclass(ModelFormMetaclass):
    """Expands each translated field in Meta.fields into its `_el` and `_en` fields.

    Meta.fields stays the one list that orders the form; the translated ones are read from
    the translation registration (translation.py) instead of being listed twice, and are
    kept in Meta.bilingual for the side-by-side layout.
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
                for expanded in ([f"{f}_{lang}" for lang in LANGUAGES] if f in translated else [f])
            ]
            widgets = getattr(meta, "widgets", {}) or {}
            for f in meta.bilingual:
                if isinstance(model._meta.get_field(f), models.TextField):
                    for lang in LANGUAGES:
                        widgets.setdefault(f"{f}_{lang}", forms.Textarea(attrs={"rows": 3}))
            meta.widgets = widgets
        return super().__new__(mcs, name, bases, attrs)


class BilingualModelForm(forms.ModelForm, metaclass=BilingualMetaclass):
    # (legend, field names) of the single-language fieldsets, for core/entry_form.html.
    sections: list = []
    # Child rows edited with the entry: relation name → inline formset class (the model
    # names the same relations in `child_relations`, so they are reviewed with it).
    child_formsets: dict = {}

    def formsets(self, data=None, files=None) -> dict:
        """The bound (or empty) inline formsets of the entry's child rows, by relation."""
        return {
            relation: formset(data, files, instance=self.instance, prefix=relation)
            for relation, formset in self.child_formsets.items()
        }

    def bilingual_pairs(self):
        """(Greek field, English field) for each translated field, in Meta.fields order."""
        return [(self[f"{name}_el"], self[f"{name}_en"]) for name in self.Meta.bilingual]
