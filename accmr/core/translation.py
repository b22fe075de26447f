from modeltranslation.translator import (
    FieldsAggregationMetaClass,
    NotRegistered,
    TranslationOptions,
    register,
    translator,
)

from .models import Page


class _InWrittenOrder(FieldsAggregationMetaClass):
    """Keeps `fields` in the order written as `field_order`: modeltranslation makes a set
    of them, whose order changes from one process to the next."""

    def __new__(mcs, name, bases, attrs):
        written = [
            *attrs.get("fields", ()),
            *(f for b in bases for f in getattr(b, "field_order", ())),
        ]
        cls = super().__new__(mcs, name, bases, attrs)
        cls.field_order = tuple(dict.fromkeys(written))
        return cls


class Translation(TranslationOptions, metaclass=_InWrittenOrder):
    """The translation options the sections register with: modeltranslation's, which
    also remember the order of `fields`, the order the editors' forms show them in."""


def translated_fields(model) -> list[str]:
    """The names of `model`'s fields registered with modeltranslation (e.g. "name"), in
    the order its translation.py gives them. A form takes them from here rather than
    naming them again, so a field added there is in the form too."""
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return []
    written = [f for f in getattr(options, "field_order", ()) if f in options.all_fields]
    # Any registered otherwise (not through Translation, or on a parent): in model order.
    others = [f.name for f in model._meta.fields if f.name in options.all_fields]
    return list(dict.fromkeys([*written, *others]))


@register(Page)
class PageTranslation(Translation):
    fields = ("title", "body")
    required_languages = ("el",)
