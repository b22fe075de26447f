"""The toolbox's tasks: reading an uploaded document, away from the upload's request."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.tasks import task

from accmr.core.tasks import enqueue

from . import documents
from .models import ToolboxItem

# What reading a file sets (and what the search text is made from): saved alone, so an edit
# made while the file was being read is kept.
READ_FIELDS = [
    "file_kind",
    "page_count",
    "document_text",
    "preview",
    "reading",
    "reading_error",
    "search_text",
    "name_key_el",
    "name_key_en",
]


@receiver(post_save, sender=ToolboxItem)
def queue_reading(sender, instance, **kwargs):
    """Queue the reading of the file a save has just attached (ToolboxItem.save)."""
    if name := instance.__dict__.pop("_to_read", ""):
        enqueue(read_document, instance.pk, name)


@task(queue_name="documents")
def read_document(item_id: int, name: str) -> str:
    """Read the file `name` of toolbox item `item_id` (its type, pages, text and preview)
    in the bounded child process, and say what happened.

    Done only while the item still has that file, unread: a second run, or the run for a
    file since replaced or removed, does nothing. The slow reading holds no transaction;
    the item is locked and checked again before what was read is saved. A file that
    cannot be read stays stored, the item marked failed with the reason.
    """
    item = ToolboxItem.objects.filter(pk=item_id).first()
    if item is None or not item.awaits_reading(name):
        return "skipped"
    with item.file.open("rb") as stored:
        data = stored.read()
    try:
        document, reason = documents.read(data), ""
    except documents.NotADocument as refused:
        document, reason = None, refused.reason
    with transaction.atomic():
        item = ToolboxItem.objects.select_for_update().filter(pk=item_id).first()
        if item is None or not item.awaits_reading(name):
            return "skipped"
        if document is None:
            item.could_not_read(reason)
        else:
            item.describe(document)
        item.save(update_fields=READ_FIELDS)
    return item.reading
