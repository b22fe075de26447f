from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.html import format_html
from django.utils.text import capfirst

from accmr.core.clients import site_url
from accmr.core.widgets import point_picker

register = template.Library()


@register.simple_tag(takes_context=True)
def url_replace(context, **changes):
    """The current query string with `changes` applied; a value of None drops the key.

    Pagination and sort links use it so they keep every filter.
    """
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query.pop(key, None)
        if value is not None and value != "":
            query[key] = value
    return "?" + query.urlencode() if query else "?"


@register.simple_tag(takes_context=True)
def url_without(context, key, value):
    """The current query string minus one value of a (possibly repeated) parameter."""
    query = context["request"].GET.copy()
    query.setlist(key, [v for v in query.getlist(key) if v != str(value)])
    query.pop("page", None)  # the result count changes, so start again at page 1
    return "?" + query.urlencode() if query else "?"


@register.simple_tag(takes_context=True)
def language_links(context):
    """(code, name, url of this same page in that language, is current) for the switcher."""
    request = context["request"]
    current = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    names = {"el": "Ελληνικά", "en": "English"}
    # "//evil.example/" is a path to the server but a host to a browser: one leading slash.
    path = "/" + request.get_full_path().lstrip("/\\")
    return [
        (code, names.get(code, code), translate_url(path, code), code == current)
        for code, _name in settings.LANGUAGES
    ]


@register.filter
def language_name(language) -> str:
    """A language in the page's language, then in its own, marked as such for screen
    readers: "Φαρσί (<span lang="fa">فارسی</span>)"."""
    native = getattr(language, "native_name", "")
    if not native or native == language.name:
        return language.name
    return format_html('{} (<span lang="{}">{}</span>)', language.name, language.slug, native)


@register.filter
def field_label(form, name):
    """The label of the form field `name` (for listing a form's errors by field)."""
    field = form.fields.get(name)
    return field.label if field else name


@register.filter
def field(form, name):
    """The bound field `name` of `form` (templates cannot index by a variable)."""
    return form[name]


@register.filter
def verbose_name_plural(model) -> str:
    """A model's plural name, capitalised (for legends of child-row formsets)."""
    return capfirst(model._meta.verbose_name_plural)


@register.filter
def verbose_name(model) -> str:
    """A model's name, capitalised (for each row of a child-row formset)."""
    return capfirst(model._meta.verbose_name)


@register.filter
def absolute(path: str) -> str:
    """An absolute URL of a path on this site (SITE_URL, else the address being served):
    search engines want absolute hreflang and canonical links."""
    return site_url() + path


@register.filter
def report_url(entry) -> str:
    """Where a visitor reports a problem with a public entry of any registered type."""
    return reverse("report", args=[entry._meta.app_label, entry.pk])


@register.inclusion_tag("widgets/point_picker_map.html")
def point_picker_map(latitude, longitude) -> dict:
    """The point picker's map for two bound fields (the editor form's folded coordinates)."""
    return {"picker": point_picker(latitude.auto_id, longitude.auto_id)}


@register.filter
def any_entries(groups) -> bool:
    """Whether any (status, label, entries) group of the dashboard holds an entry."""
    return any(entries for _status, _label, entries in groups)


@register.filter
def any_errors(formsets) -> bool:
    """Whether any of the (bound) formsets has an error, for the form's error summary."""
    return any(formset.total_error_count() for formset in formsets or ())


@register.filter
def anchor(bound_field) -> str:
    """The id an error summary links to: the field's input, or the first of a group of
    radios or checkboxes (whose label points at none)."""
    return bound_field.id_for_label or f"{bound_field.auto_id}_0"
