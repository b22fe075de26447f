"""Filters shared by the public lists, and the filter panel they draw.

Every filter is a repeatable GET parameter keyed by slugs or choice values. Each one also
says how it appears in the panel (`panel_kind`); the choices of taxonomy filters are read
once per language and kept in the cache until a term changes (accmr.core.cache).
"""

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .cache import TAXONOMY, remember
from .models import linked_to_any, linked_to_tree

# A search longer than this is refused with a message instead of being run.
MAX_QUERY_LENGTH = 200

# The dates a URL may ask for: wider than any real list's, and far enough inside Python's
# calendar (0001-01-01 to 9999-12-31) that the day after, or Athens' offset from UTC, is
# still in it (`?to=9999-12-31` was a 500).
FIRST_DATE, LAST_DATE = date(1900, 1, 1), date(2200, 12, 31)


def term_label(term) -> str:
    """A term as filters show it: with its neighbourhoods or native name where it has one."""
    return getattr(term, "label", str(term))


class PanelFilter:
    """How a filter shows in the panel: `panel_kind` picks the markup, `panel_open` keeps
    its group unfolded even when nothing is chosen; `in_panel=False` leaves it to another
    group (a tree's children)."""

    panel_kind = "checkbox"

    def __init__(self, *args, panel_open: bool = False, in_panel: bool = True, **kwargs):
        self.panel_open = panel_open
        if not in_panel:
            self.panel_kind = None
        super().__init__(*args, **kwargs)

    def panel_choices(self) -> list[tuple[str, str]]:
        return [(str(value), str(label)) for value, label in self.extra["choices"]]

    def chip_label(self, value) -> str:
        return dict(self.panel_choices()).get(str(value), str(value))

    def chip_value(self, value) -> str:
        """The value as the URL writes it, for the chip that removes it."""
        return str(getattr(value, "slug", value))


class TermFilter(PanelFilter, django_filters.ModelMultipleChoiceFilter):
    """Multi-select keyed by slugs: `?district=6&district=7` (OR within a filter).

    `field_name` is the relation followed by `__slug` (`languages__slug`,
    `organisation__actor_type__slug`). A many-to-many relation of the filtered model is
    matched with `linked_to_any`, a foreign key by its id: neither needs DISTINCT.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        relation = self.field_name.removesuffix("__slug")
        if "__" not in relation and qs.model._meta.get_field(relation).many_to_many:
            return qs.filter(linked_to_any(qs.model, relation, value))
        return qs.filter(**{f"{relation}__in": value})

    def panel_choices(self):
        queryset = self.extra["queryset"]
        key = f"choices:{queryset.model._meta.label}:{self.model._meta.label}.{self.field_name}"
        return remember(
            key, lambda: [(t.slug, term_label(t)) for t in queryset.all()], depends=(TAXONOMY,)
        )

    def chip_label(self, value) -> str:
        return term_label(value)


class TreeFilter(TermFilter):
    """The top level of a term tree, drawn with its children (the filter `children`) as
    one nested group; choosing a top term also matches its children. `field_name` is the
    many-to-many relation followed by `__slug` (`categories__slug`)."""

    panel_kind = "tree"

    def __init__(self, *args, children: str, **kwargs):
        self.children = children
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(linked_to_tree(qs.model, self.field_name.removesuffix("__slug"), value))

    def panel_choices(self):
        """(slug, name, [(child slug, child name), …]) for each active top-level term."""
        queryset = self.extra["queryset"]
        key = f"tree:{queryset.model._meta.label}"
        return remember(
            key,
            lambda: [
                (top.slug, top.name, [(c.slug, c.name) for c in children])
                for top, children in queryset.model.objects.active().tree()
            ],
            depends=(TAXONOMY,),
        )


class ChoicesFilter(PanelFilter, django_filters.MultipleChoiceFilter):
    """Multi-select over a model field's choices (`?cost=free&cost=mixed`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return qs.filter(**{f"{self.field_name}__in": value}) if value else qs


class RadioFilter(PanelFilter, django_filters.ChoiceFilter):
    """One of a few choices, or either (`?referral=yes`)."""

    panel_kind = "radio"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.RadioSelect)
        super().__init__(*args, **kwargs)

    def panel_choices(self):
        return [("", str(self.extra["empty_label"])), *super().panel_choices()]


class DateParamField(forms.DateField):
    """A date given as a GET parameter (`2027-03-01`), between FIRST_DATE and LAST_DATE;
    any other value is a message, never an error further on."""

    default_error_messages = {
        "out_of_range": _("Choose a date between %(first)s and %(last)s."),
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.DateInput(
                attrs={"type": "date", "min": FIRST_DATE.isoformat(), "max": LAST_DATE.isoformat()},
                format="%Y-%m-%d",
            ),
        )
        super().__init__(*args, **kwargs)

    def validate(self, value):
        super().validate(value)
        if value and not FIRST_DATE <= value <= LAST_DATE:
            raise ValidationError(
                self.error_messages["out_of_range"],
                code="out_of_range",
                params={"first": FIRST_DATE.isoformat(), "last": LAST_DATE.isoformat()},
            )


class DateFilter(PanelFilter, django_filters.DateFilter):
    """A date as `?from=2027-03-01` (ISO), typed in a date box; a bad one is a message."""

    panel_kind = "date"
    field_class = DateParamField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("error_messages", {"invalid": _("Enter a date like 2027-03-01.")})
        super().__init__(*args, **kwargs)

    def chip_label(self, value) -> str:
        return date_format(value, "SHORT_DATE_FORMAT")

    def chip_value(self, value) -> str:
        return value.isoformat()


class SearchFilter(django_filters.CharFilter):
    """Free text matched word by word against the rows' normalised search_text."""

    panel_kind = "search"
    # Each new text is a query over every row: a page computed for one counts towards
    # RATE_LIMITS["search"] per visitor (accmr.core.cache.public_page).
    rate_limit = "search"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Search"))
        kwargs.setdefault("max_length", MAX_QUERY_LENGTH)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return qs.search(value) if value else qs

    def chip_label(self, value) -> str:
        return f"«{value}»"


def _input(kind: str, name: str, value: str, label: str) -> str:
    ident = f"{name}-{value or 'any'}"
    return format_html(
        '<div class="check"><input type="{}" name="{}" value="{}" id="{}"> '
        '<label for="{}">{}</label></div>',
        kind,
        name,
        value,
        ident,
        ident,
        label,
    )


def _tree(name: str, children: str, tree: list) -> str:
    items = []
    for slug, label, kids in tree:
        nested = ""
        if kids:
            nested = format_html(
                '<details class="subcategories" data-top="{}"><summary><span class="visually-hidden">'
                "{}: </span>{}</summary><ul>{}</ul></details>",
                slug,
                label,
                gettext("Subcategories"),
                format_html_join(
                    "", "<li>{}</li>", ((_input("checkbox", children, c, n),) for c, n in kids)
                ),
            )
        items.append(format_html("<li>{}{}</li>", _input("checkbox", name, slug, label), nested))
    return format_html('<ul class="tree">{}</ul>', mark_safe("".join(items)))


def _tick(markup: str, name: str, values) -> str:
    """Check the inputs of `name` with these values in cached, unchecked markup."""
    for value in values:
        attrs = format_html('name="{}" value="{}"', name, value)
        markup = markup.replace(f"{attrs} ", f"{attrs} checked ", 1)
    return markup


@dataclass
class PanelGroup:
    """One group of the filter panel, ready for includes/filter_panel.html.

    `choices_html` is the group's inputs with this request's values ticked; the untouched
    markup is built once per language and kept until a term changes.
    """

    name: str
    label: str
    kind: str
    chosen: set = field(default_factory=set)
    open: bool = False
    choices_html: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def count(self) -> int:
        """How many values are chosen in the group (a tree's children included)."""
        return len(self.chosen) + len(self.extra.get("chosen_children", ()))


class PortalFilterSet(django_filters.FilterSet):
    def chosen(self, name: str) -> list:
        """The valid values of filter `name` in this request (instances for terms)."""
        if not self.is_bound or not hasattr(self.form, "cleaned_data"):
            return []
        value = self.form.cleaned_data.get(name)
        if value in (None, "", []):
            return []
        return (
            list(value) if isinstance(value, list | tuple) or hasattr(value, "model") else [value]
        )

    def query(self) -> str:
        """The request's filter parameters less the values that could not be applied, for
        links that must show what the list shows (its calendar feed, its map's pins)."""
        if not self.is_bound:
            return ""
        wrong = self.errors
        return urlencode(
            [
                (name, value)
                for name, values in self.data.lists()
                if name in self.filters and name not in wrong
                for value in values
                if value != ""
            ]
        )

    def active_filters(self):
        """(label, parameter, value) for each applied filter value, for the removable chips."""
        chips = []
        for name, filter_ in self.filters.items():
            label = self.form.fields[name].label
            for value in self.chosen(name):
                key = (
                    filter_.chip_value(value)
                    if hasattr(filter_, "chip_value")
                    else getattr(value, "slug", value)
                )
                chips.append((f"{label}: {filter_.chip_label(value)}", name, key))
        return chips

    def _markup(self) -> dict[str, str]:
        """Each group's inputs, unticked, in the active language (cached until a term
        changes: a taxonomy edit bumps the generation in the key)."""
        key = f"panel:{type(self).__module__}.{type(self).__name__}"

        def build():
            markup = {}
            for name, filter_ in self.filters.items():
                kind = getattr(filter_, "panel_kind", None)
                if kind == "tree":
                    markup[name] = _tree(name, filter_.children, filter_.panel_choices())
                elif kind in ("checkbox", "radio"):
                    markup[name] = "".join(
                        _input(kind, name, value, label) for value, label in filter_.panel_choices()
                    )
            return markup

        return remember(key, build, depends=(TAXONOMY,))

    def panel(self) -> list[PanelGroup]:
        """The panel's groups in declaration order, with this request's choices ticked;
        a group is open if one of its values is chosen or it asks to be."""
        markup = self._markup()
        groups = []
        for name, filter_ in self.filters.items():
            kind = getattr(filter_, "panel_kind", None)
            if kind is None:
                continue
            chosen = {str(getattr(v, "slug", v)) for v in self.chosen(name)}
            group = PanelGroup(
                name=name,
                label=str(self.form.fields[name].label),
                kind=kind,
                chosen=chosen,
                open=bool(chosen) or getattr(filter_, "panel_open", False),
            )
            html = markup.get(name, "")
            if kind == "radio":
                html = _tick(html, name, chosen or {""})
            elif kind == "checkbox":
                html = _tick(html, name, chosen)
            elif kind == "tree":
                children = {str(v.slug) for v in self.chosen(filter_.children)}
                html = _tick(_tick(html, name, chosen), filter_.children, children)
                for top, _label, kids in filter_.panel_choices() if children else ():
                    if children & {slug for slug, _n in kids}:
                        html = html.replace(f'data-top="{top}">', f'data-top="{top}" open>', 1)
                group.extra = {"chosen_children": children}
                group.open = group.open or bool(children)
            elif kind == "owner":
                group.extra = {"shown": filter_.shown_value(self.chosen(name))}
            elif kind == "date":  # a wrong date stays in its box, beside its message
                typed = self.data.get(name, "") if self.is_bound else ""
                group.extra = {
                    "value": chosen and next(iter(chosen)) or typed,
                    "min": FIRST_DATE.isoformat(),
                    "max": LAST_DATE.isoformat(),
                }
            elif kind == "template":  # a group drawn by its own template (opening hours)
                group.extra = filter_.panel_context(self)
                group.chosen = set(group.extra.get("chosen", ()))
            group.choices_html = mark_safe(html)
            groups.append(group)
        return groups
