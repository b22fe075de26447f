"""Field values as JSON, for audit entries and change-sets of any model.

Concrete fields are stored as `Field.value_to_string()` (read back with `to_python`),
foreign keys as the related id and many-to-many fields as sorted id lists, so a stored
change can be shown as a diff and applied later.

A registered kind may name child relations in `child_relations` (an activity's sessions,
a service's opening periods): their rows travel with the entry as a list of
{"id": pk or None, field: value} under the relation's name, so they are proposed, diffed
row by row and field by field, audited and applied with the entry in one change-set.
"""

import difflib
import hashlib
import json
import re

from django.db import models
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext

from .sections import kind_of
from .uploads import UploadStorage, approved_file, make_private


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


def _same(old, new) -> bool:
    # An empty text is empty whether stored as NULL (a translation field left unset) or "".
    return old == new or (old in (None, "") and new in (None, ""))


def changed(before: dict, after: dict) -> dict:
    """{field name: [before, after]} for the values that differ."""
    return {
        name: [old, after.get(name)]
        for name, old in before.items()
        if not _same(old, after.get(name))
    }


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
        # Kept private until a moderator approves the change (accmr.core.uploads).
        name = field.generate_filename(instance, value.name)
        if isinstance(field.storage, UploadStorage):
            name = make_private(name)
        return field.storage.save(name, value)
    return value if isinstance(value, str) else value.name


def _holder(field, value):
    class Holder:
        pass

    holder = Holder()
    setattr(holder, field.attname, value)
    return holder


def child_relations(model) -> tuple[str, ...]:
    """The relations whose rows are reviewed with `model`'s rows (as its kind declares)."""
    kind = kind_of(model)
    return kind.child_relations if kind else ()


def _child_fields(model, relation: str) -> tuple[object, list]:
    """The child model of `relation` and its editable fields, the link to the parent aside."""
    remote = model._meta.get_field(relation)
    child = remote.related_model
    return child, [f for f in editable_fields(child) if f.name != remote.field.name]


def child_rows(instance, relation: str) -> list[dict]:
    """The stored rows of a child relation as JSON values, in id order (a query)."""
    _child, fields = _child_fields(type(instance), relation)
    return [
        {"id": row.pk, **{f.name: dump(row, f) for f in fields}}
        for row in getattr(instance, relation).order_by("pk")
    ]


def rows_from_formset(formset) -> list[dict]:
    """The rows a validated inline formset proposes: kept and new ones (deleted ones left
    out), read from the forms' instances, which validation has filled but not saved."""
    relation = formset.fk.remote_field.get_accessor_name()
    fields = _child_fields(type(formset.instance), relation)[1]
    rows = []
    for form in formset.forms:
        if form.instance.pk is None and form.empty_permitted and not form.has_changed():
            continue  # an untouched blank form (a proposed new row is not empty_permitted)
        if formset.can_delete and formset._should_delete_form(form):
            continue
        values = {f.name: dump(form.instance, f) for f in fields if not f.many_to_many}
        values.update(from_form(form, [f.name for f in fields if f.many_to_many]))
        rows.append({"id": form.instance.pk, **values})
    return rows


def diff(instance, data: dict) -> dict:
    """{name: [current, proposed]} for the values in `data` that differ; a child relation's
    value is its whole list of rows."""
    relations = set(child_relations(type(instance))) & data.keys()
    changes = changed(snapshot(instance, data.keys() - relations), data)
    for relation in relations:
        current = child_rows(instance, relation)
        if current != data[relation]:
            changes[relation] = [current, data[relation]]
    return changes


def values(instance) -> dict:
    """Every editable value of a saved instance, child rows included (queries)."""
    data = snapshot(instance)
    for relation in child_relations(type(instance)):
        data[relation] = child_rows(instance, relation)
    return data


def version(data: dict) -> str:
    """A short fingerprint of values (from `values()`, perhaps with a proposal laid over):
    what an editor or a moderator saw, checked again when they save or decide."""
    encoded = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()[:20]


def initial_value(model, name: str, value):
    """A stored JSON value as a form's initial value (the inverse of `dump`)."""
    field = model._meta.get_field(name)
    if value is None or field.many_to_many or field.is_relation:
        return value
    if isinstance(field, models.FileField):
        return field.attr_class(None, field, value)
    return field.to_python(value)


def apply_rows(instance, relation: str, rows: list[dict]) -> None:
    """Make the stored rows of `relation` those of `rows`: update, add and delete."""
    child, fields = _child_fields(type(instance), relation)
    manager = getattr(instance, relation)
    manager.exclude(pk__in=[row["id"] for row in rows if row["id"]]).delete()
    for row in rows:
        item = manager.get(pk=row["id"]) if row["id"] else child(**{manager.field.name: instance})
        for field in fields:
            value = row.get(field.name)
            if field.is_relation:
                setattr(item, field.attname, value)
            else:
                setattr(item, field.attname, None if value is None else field.to_python(value))
        item.save()


def apply(instance, data: dict) -> None:
    """Set the values in `data` on `instance` and save it, many-to-many and child rows
    included."""
    fields = editable_fields(type(instance), data.keys())
    for field in fields:
        if field.many_to_many:
            continue
        value = data[field.name]
        if field.is_relation:
            setattr(instance, field.attname, value)
        elif isinstance(field, models.FileField):
            # Approved: public, unless the field keeps its files private.
            setattr(instance, field.attname, approved_file(instance, field, value or ""))
        else:
            setattr(instance, field.attname, None if value is None else field.to_python(value))
    instance.save()
    for field in fields:
        if field.many_to_many:
            getattr(instance, field.name).set(data[field.name])
    for relation in set(child_relations(type(instance))) & data.keys():
        apply_rows(instance, relation, data[relation])


def row_changes(model, relation: str, before: list[dict], after: list[dict]) -> list:
    """(label, before, after) per changed field of each changed, added or removed row of a
    child relation, for the moderator's diff and the audit history (may run queries)."""
    child, fields = _child_fields(model, relation)
    name = str(model._meta.get_field(relation).related_model._meta.verbose_name)
    old = {row["id"]: row for row in before}
    lines = []
    for number, row in enumerate(after, 1):
        previous = old.pop(row["id"], None) if row["id"] else None
        label = f"{name} {number}" if previous is not None else f"{name} {number} (+)"
        for field in fields:
            was = previous.get(field.name) if previous else None
            if previous is None or was != row.get(field.name):
                lines.append(
                    (
                        f"{label} · {field_label(field)}",
                        describe(child, field.name, was),
                        describe(child, field.name, row.get(field.name)),
                    )
                )
    for row in old.values():
        summary = ", ".join(describe(child, f.name, row.get(f.name)) for f in fields)
        lines.append((f"{name} (−)", summary, "—"))
    return lines


def field_label(field) -> str:
    """A field's name for people: "Name (Greek)" for a translated field, not
    modeltranslation's "name [el]"."""
    original = getattr(field, "translated_field", None)
    if original is None:
        return capfirst(field.verbose_name)
    language = {"el": gettext("%(field)s (Greek)"), "en": gettext("%(field)s (English)")}
    return language[field.language] % {"field": capfirst(original.verbose_name)}


def diff_lines(model, changes: dict) -> list:
    """(label, before, after) for every change, child rows field by field (queries)."""
    lines = []
    for name, (old, new) in changes.items():
        if name in child_relations(model):
            lines.extend(row_changes(model, name, old or [], new or []))
        else:
            field = model._meta.get_field(name)
            lines.append(
                (field_label(field), describe(model, name, old), describe(model, name, new))
            )
    return lines


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
    if hasattr(field, "readable"):  # a field that says its values itself ("Monday–Friday")
        return field.readable(field.to_python(value))
    if isinstance(field, models.BooleanField):
        return gettext("Yes") if field.to_python(value) else gettext("No")
    if isinstance(field, models.TimeField):
        return field.to_python(value).strftime("%H:%M")  # "17:00", not "17:00:00"
    return str(value)


WORDS = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> tuple[str, str]:
    """`old` and `new` as safe HTML with the words that differ marked: removed words in
    <del>, added ones in <ins>, line breaks kept (the moderator's review of a change)."""
    before, after = WORDS.findall(old), WORDS.findall(new)
    old_html, new_html = [], []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = "".join(before[i1:i2]), "".join(after[j1:j2])
        if op == "equal":
            old_html.append(_lines(removed))
            new_html.append(_lines(added))
            continue
        if removed:
            old_html.append(f"<del>{_lines(removed)}</del>")
        if added:
            new_html.append(f"<ins>{_lines(added)}</ins>")
    return mark_safe("".join(old_html)), mark_safe("".join(new_html))


def _lines(text: str) -> str:
    return escape(text).replace("\n", "<br>")
