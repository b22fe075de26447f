"""Field values as JSON, for audit entries and change-sets of any model.

Concrete fields are stored as `Field.value_to_string()` (read back with `to_python`),
foreign keys as the related id and many-to-many fields as sorted id lists, so a stored
change can be shown as a diff and applied later.
"""

from django.db import models
from django.utils.translation import gettext


def editable_fields(model, names=None) -> list:
    """The fields a form could change: concrete editable ones and forward many-to-many."""
    return [
        f
        for f in model._meta.get_fields()
        if not f.auto_created
        and getattr(f, "editable", False)
        and (f.concrete or f.many_to_many)
        and (names is None or f.name in names)
    ]


def dump(instance, field):
    """The JSON value of `field` on a saved `instance` (a query for many-to-many)."""
    if field.many_to_many:
        return sorted(getattr(instance, field.name).values_list("pk", flat=True))
    if field.is_relation:
        return getattr(instance, field.attname)
    value = field.value_from_object(instance)
    return None if value is None else field.value_to_string(instance)


def snapshot(instance, names=None) -> dict:
    """The JSON values of `names` (all editable fields by default) on a saved instance."""
    return {f.name: dump(instance, f) for f in editable_fields(type(instance), names)}


def changed(before: dict, after: dict) -> dict:
    """{field name: [before, after]} for the values that differ."""
    return {name: [old, after.get(name)] for name, old in before.items() if old != after.get(name)}


def from_form(form, names) -> dict:
    """The JSON values of `names` as cleaned by a ModelForm (nothing is saved)."""
    data = {}
    for field in editable_fields(form._meta.model, names):
        value = form.cleaned_data.get(field.name)
        if field.many_to_many:
            data[field.name] = sorted(v.pk for v in value or [])
        elif field.is_relation:
            data[field.name] = value.pk if value is not None else None
        elif value is None:
            data[field.name] = None
        elif isinstance(field, models.FileField):
            data[field.name] = _stored_file_name(form.instance, field, value)
        else:
            data[field.name] = field.value_to_string(_holder(field, value))
    return data


def _stored_file_name(instance, field, value) -> str:
    """A new upload is stored now, so the change-set can refer to it by name; a cleared
    file (False) becomes an empty name."""
    if value is False:
        return ""
    if hasattr(value, "read") and not getattr(value, "_committed", False):
        return field.storage.save(field.generate_filename(instance, value.name), value)
    return value.name


def _holder(field, value):
    class Holder:
        pass

    holder = Holder()
    setattr(holder, field.attname, value)
    return holder


def diff(instance, data: dict) -> dict:
    """{field name: [current, proposed]} for the values in `data` that differ."""
    return changed(snapshot(instance, data.keys()), data)


def apply(instance, data: dict) -> None:
    """Set the values in `data` on `instance` and save it, many-to-many included."""
    fields = editable_fields(type(instance), data.keys())
    for field in fields:
        if field.many_to_many:
            continue
        value = data[field.name]
        if field.is_relation:
            setattr(instance, field.attname, value)
        else:
            setattr(instance, field.attname, None if value is None else field.to_python(value))
    instance.save()
    for field in fields:
        if field.many_to_many:
            getattr(instance, field.name).set(data[field.name])


def describe(model, name: str, value) -> str:
    """A readable form of a stored value, for the moderator's diff (may run a query)."""
    field = model._meta.get_field(name)
    if value in (None, "", []):
        return "—"
    if field.many_to_many:
        return ", ".join(str(o) for o in field.related_model.objects.filter(pk__in=value))
    if field.is_relation:
        return str(field.related_model.objects.filter(pk=value).first() or value)
    if field.choices:
        return str(dict(field.flatchoices).get(field.to_python(value), value))
    if isinstance(field, models.BooleanField):
        return gettext("Yes") if field.to_python(value) else gettext("No")
    return str(value)
