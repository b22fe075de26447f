"""Stored uploads: how much room an organisation's files take, and removing the files
nothing refers to any more.

A file is referred to by a file field (kept in UploadStorage) of a stored row, or by a
change-set waiting for review. Once a save, a delete or a decision leaves a file with no
reference, it is deleted after the transaction commits (a draft's replaced document, the
old logo of an approved change, the upload of a withdrawn or rejected change);
`manage.py purge_unused_files` sweeps what a crash left behind.

An organisation may keep at most STORAGE_QUOTA_BYTES (STORAGE_QUOTA_PENDING_BYTES until it
is approved) and upload at most RATE_LIMITS["upload"] files an hour: `room_for()` refuses a
form's new files past either, with the reason on the field.
"""

import logging
import os
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import storages
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models.signals import post_delete, post_init, post_save
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .models import ChangeSet
from .ratelimit import over_limit
from .uploads import PRIVATE, UploadStorage

log = logging.getLogger(__name__)


def upload_fields(model) -> list:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.FileField) and isinstance(f.storage, UploadStorage)
    ]


def models_with_uploads() -> list:
    return [model for model in apps.get_models() if upload_fields(model)]


def names_in(instance) -> set[str]:
    """The stored files `instance` refers to (a change-set only while it waits), read
    without a query even when a field was deferred."""
    if isinstance(instance, ChangeSet):
        data = instance.__dict__.get("data") or {}
        if instance.__dict__.get("state") != ChangeSet.State.PENDING or not data:
            return set()
        model = ContentType.objects.get_for_id(instance.content_type_id).model_class()
        fields = {f.name for f in upload_fields(model)} if model else set()
        return {value for name, value in data.items() if name in fields and value}
    names = set()
    for field in upload_fields(type(instance)):
        value = instance.__dict__.get(field.attname)
        name = getattr(value, "name", value)
        if name:
            names.add(name)
    return names


def in_use(name: str) -> bool:
    """Whether any stored row or waiting change-set refers to the file `name`."""
    for model in models_with_uploads():
        query = models.Q()
        for field in upload_fields(model):
            query |= models.Q(**{field.name: name})
        if model._default_manager.filter(query).exists():
            return True
    return any(
        name in names_in(change_set)
        for change_set in ChangeSet.objects.pending().only("content_type", "data", "state")
    )


def delete_unused(names) -> None:
    """Delete those of `names` nothing refers to (a missing file is no error)."""
    storage = UploadStorage()
    for name in names:
        if name and not in_use(name):
            try:
                storage.delete(name)
            except OSError:
                log.warning("Could not delete the unused file %s", name)


# Each row remembers the files it referred to when loaded, so a save or a delete can
# hand the ones it let go to delete_unused once the transaction commits.


def _remember(sender, instance, **kwargs):
    instance._stored_names = names_in(instance)


def _after_save(sender, instance, **kwargs):
    gone = getattr(instance, "_stored_names", set()) - names_in(instance)
    instance._stored_names = names_in(instance)
    if gone:
        transaction.on_commit(lambda: delete_unused(gone))


def _after_delete(sender, instance, **kwargs):
    gone = getattr(instance, "_stored_names", set()) | names_in(instance)
    if gone:
        transaction.on_commit(lambda: delete_unused(gone))


def watch() -> None:
    """Connect the signals to every model with uploads, and to change-sets (AppConfig)."""
    for model in [*models_with_uploads(), ChangeSet]:
        uid = f"accmr-files-{model._meta.label}"
        post_init.connect(_remember, sender=model, dispatch_uid=uid)
        post_save.connect(_after_save, sender=model, dispatch_uid=uid)
        post_delete.connect(_after_delete, sender=model, dispatch_uid=uid)


def sweep(*, older_than_seconds: int) -> list[str]:
    """Delete every file in the public and private storages that nothing refers to and
    that is older than `older_than_seconds` (a file being saved right now is kept)."""
    referred = set()
    for model in models_with_uploads():
        for field in upload_fields(model):
            referred.update(
                model._default_manager.exclude(**{field.name: ""}).values_list(
                    field.name, flat=True
                )
            )
    for change_set in ChangeSet.objects.pending().only("content_type", "data", "state"):
        referred |= names_in(change_set)
    deleted, limit = [], time.time() - older_than_seconds
    for prefix, storage in (("", storages["default"]), (PRIVATE, storages["private"])):
        root = Path(storage.location)
        for folder, _dirs, files in os.walk(root):
            for file in files:
                path = Path(folder, file)
                name = prefix + path.relative_to(root).as_posix()
                if name not in referred and path.stat().st_mtime < limit:
                    path.unlink(missing_ok=True)
                    deleted.append(name)
    return deleted


# Quotas


def quota(owner) -> int:
    approved = getattr(owner, "is_approved", True)
    return settings.STORAGE_QUOTA_BYTES if approved else settings.STORAGE_QUOTA_PENDING_BYTES


def used_by(owner) -> int:
    """Bytes taken by the files of `owner` (an organisation): its own, its entries' and
    those of their changes waiting for review, each file counted once."""
    names = names_in(owner) | _waiting_names(type(owner), [owner.pk])
    for model in models_with_uploads():
        if any(
            f.name == "organisation" and f.related_model is type(owner)
            for f in model._meta.concrete_fields
        ):
            rows = list(model._default_manager.filter(organisation=owner))
            for row in rows:
                names |= names_in(row)
            names |= _waiting_names(model, [row.pk for row in rows])
    storage, total = UploadStorage(), 0
    for name in names:
        try:
            total += storage.size(name)
        except OSError:
            continue  # a file gone missing takes no room
    return total


def _waiting_names(model, pks) -> set[str]:
    waiting = ChangeSet.objects.pending().filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=pks
    )
    return set().union(*(names_in(change_set) for change_set in waiting)) if pks else set()


def room_for(form, owner) -> bool:
    """Whether `owner` may store the files newly uploaded in the valid `form`: within its
    quota, and within the hourly upload limit. If not, the field says why."""
    new = {
        name: value
        for name, value in form.cleaned_data.items()
        if isinstance(value, UploadedFile)  # a kept file cleans to the stored FieldFile
    }
    if not new:
        return True
    used, room = used_by(owner), quota(owner)
    needed = sum(value.size for value in new.values())
    first = next(iter(new))
    if used + needed > room:
        form.add_error(
            first,
            _(
                "Your organisation's files take %(used)s of the %(room)s it may keep, and this "
                "upload needs %(needed)s. Remove or replace an old document, or ask the "
                "city's team for more room."
            )
            % {
                "used": filesizeformat(used),
                "room": filesizeformat(room),
                "needed": filesizeformat(needed),
            },
        )
        return False
    if over_limit("upload", f"owner:{owner._meta.label}:{owner.pk}"):
        form.add_error(
            first,
            _(
                "Your organisation has uploaded many files in the last hour. Please upload "
                "this one later: what you typed is kept."
            ),
        )
        return False
    return True
