"""Uploads that cannot hurt: capped, checked by content, re-encoded, renamed, and kept
private until a moderator has approved what they belong to.

- CappedUploadHandler stops reading a file past MAX_UPLOAD_BYTES (nothing larger ever
  reaches memory or disk) and hands the form an OversizedUpload, which it refuses clearly.
- ImageUploadField accepts only PNG, JPEG and WebP as Pillow reads them (never by the
  name), refuses more than a pixel limit before decoding, and re-encodes the picture
  (dropping anything appended to it, as in a PNG+PDF polyglot) under a generated name.
- UploadStorage keeps names under "private/" in STORAGES["private"], outside the public
  media, served only to staff; publish_files() moves an approved entry's files out.
"""

import io
import uuid
import warnings
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.db import models
from django.urls import reverse
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

PRIVATE = "private/"
IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}


class OversizedUpload(SimpleUploadedFile):
    """Stands for a file the handler stopped reading: its name and that it was too big."""

    oversized = True

    def __init__(self, name: str):
        super().__init__(name, b"")


class CappedUploadHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: passes chunks on until a file exceeds the cap."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received, self.oversized = 0, False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.MAX_UPLOAD_BYTES:
            self.oversized = True
        return None if self.oversized else raw_data

    def file_complete(self, file_size):
        return OversizedUpload(self.file_name) if self.oversized else None


def generated_name(extension: str) -> str:
    return f"{uuid.uuid4().hex}.{extension}"


class ImageUploadField(forms.FileField):
    """A picture as PNG, JPEG or WebP, re-encoded, at most `max_bytes` and `max_pixels`,
    and no wider or taller than `max_side` (larger ones are scaled down)."""

    default_error_messages = {
        "too_big": _("The image is larger than %(size)s MB. Please upload a smaller one."),
        "not_image": _("Upload a PNG, JPEG or WebP image; this file is not one."),
        "too_many_pixels": _(
            "The image is %(width)d × %(height)d pixels; upload one of at most %(limit)s "
            "megapixels."
        ),
    }

    def __init__(self, *, max_bytes=2 * 1024 * 1024, max_pixels=16_000_000, max_side=1024, **kw):
        self.max_bytes, self.max_pixels, self.max_side = max_bytes, max_pixels, max_side
        kw.setdefault(
            "widget", forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"})
        )
        super().__init__(**kw)

    def to_python(self, data):
        # Before FileField's own checks: a file stopped at the cap looks empty to them.
        if getattr(data, "oversized", False) or getattr(data, "size", 0) > self.max_bytes:
            raise ValidationError(
                self.error_messages["too_big"],
                code="too_big",
                params={"size": self.max_bytes // (1024 * 1024)},
            )
        upload = super().to_python(data)
        if upload is None:
            return None
        try:
            with warnings.catch_warnings():
                # Pillow warns of a huge image on opening; the pixel check below refuses it.
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                image = Image.open(upload)
            kind = image.format
            if kind not in IMAGE_FORMATS:
                raise ValidationError(self.error_messages["not_image"], code="not_image")
            width, height = image.size
            if width * height > self.max_pixels:
                raise ValidationError(
                    self.error_messages["too_many_pixels"],
                    code="too_many_pixels",
                    params={"width": width, "height": height, "limit": self.max_pixels // 10**6},
                )
            image.load()
            return self._reencode(image, kind)
        except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError):
            raise ValidationError(self.error_messages["not_image"], code="not_image") from None

    def _reencode(self, image, kind: str) -> SimpleUploadedFile:
        image.thumbnail((self.max_side, self.max_side))
        if kind == "JPEG":
            image = image.convert("RGB")
        elif image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA")
        out = io.BytesIO()
        image.save(out, format=kind)  # pixels only: no metadata, nothing appended
        extension = IMAGE_FORMATS[kind]
        return SimpleUploadedFile(
            generated_name(extension), out.getvalue(), content_type=f"image/{kind.lower()}"
        )


@deconstructible
class UploadStorage(Storage):
    """Routes names under "private/" to STORAGES["private"] and the rest to the default
    storage, so one file field can hold an approved (public) or unapproved file."""

    def _route(self, name: str) -> tuple[Storage, str]:
        if name.startswith(PRIVATE):
            return storages["private"], name[len(PRIVATE) :]
        return storages["default"], name

    def _open(self, name, mode="rb"):
        storage, inner = self._route(name)
        return storage.open(inner, mode)

    def _save(self, name, content):
        storage, inner = self._route(name)
        saved = storage.save(inner, content)
        return PRIVATE + saved if name.startswith(PRIVATE) else saved

    def get_available_name(self, name, max_length=None):
        return name  # the routed storage picks the free name in _save

    def delete(self, name):
        storage, inner = self._route(name)
        storage.delete(inner)

    def exists(self, name):
        storage, inner = self._route(name)
        return storage.exists(inner)

    def size(self, name):
        storage, inner = self._route(name)
        return storage.size(inner)

    def path(self, name):
        storage, inner = self._route(name)
        return storage.path(inner)

    def url(self, name):
        if name.startswith(PRIVATE):
            return reverse("private_media", args=[name[len(PRIVATE) :]])
        return storages["default"].url(name)


def upload_path(folder: str, filename: str, *, public: bool) -> str:
    """Where a new upload of an entry goes: under "private/" until the entry is public
    (a change-set's files always are, see accmr.core.changes)."""
    path = f"{folder}/{PurePosixPath(filename).name}"
    return path if public else PRIVATE + path


def make_private(name: str) -> str:
    return name if name.startswith(PRIVATE) else PRIVATE + name


def publish_file(name: str) -> str:
    """Move a private file to the public storage; returns its public name."""
    if not name.startswith(PRIVATE):
        return name
    storage = UploadStorage()
    with storage.open(name) as source:
        public = storages["default"].save(name[len(PRIVATE) :], ContentFile(source.read()))
    storage.delete(name)
    return public


def keeps_private(instance, field) -> bool:
    """True if `field` keeps the files of `instance` private even now, as its new uploads
    would be (a toolbox document always: the portal serves it, counted and safely named).
    """
    return field.generate_filename(instance, "file").startswith(PRIVATE)


def approved_file(instance, field, name: str) -> str:
    """The name file `name` of `field` should have now that `instance`, or a change of
    it, is approved: moved to the public storage unless the field keeps it private."""
    if not name.startswith(PRIVATE) or keeps_private(instance, field):
        return name
    return publish_file(name)


def publish_files(instance) -> None:
    """Make the files of an entry that has just become public public too (those its
    fields do not keep private)."""
    changed = []
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.FileField):
            current = getattr(instance, field.attname)
            name = approved_file(instance, field, current.name) if current else ""
            if current and name != current.name:
                setattr(instance, field.attname, name)
                changed.append(field.name)
    if changed:
        instance.save(update_fields=changed)
