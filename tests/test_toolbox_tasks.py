"""A toolbox upload is checked in its request and read by a task on the "documents" queue:
the editor sees "being processed" meanwhile, and a file that cannot be read is reported."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.tasks import task_backends
from django.urls import reverse

from toolbox.demo import pdf
from toolbox.models import ToolboxItem
from toolbox.tasks import read_document

from .test_toolbox import CREATE, form_data, trusted_alice  # noqa: F401 (a fixture)
from .test_toolbox_hostile import TOO_LARGE, tall_page

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("trusted_alice")]
DUMMY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend", "QUEUES": []}}
PROCESSING = "Το αρχείο βρίσκεται σε επεξεργασία"


@pytest.fixture
def queue(settings):
    """Tasks are kept, not run: the test runs them."""
    settings.TASKS = DUMMY
    backend = task_backends["default"]
    backend.clear()
    yield backend
    backend.clear()


def upload(send, client, content: bytes, name="odigos.pdf"):
    response = send(client, CREATE, form_data(file=SimpleUploadedFile(name, content)))
    assert response.status_code == 302
    return ToolboxItem.objects.get()


def test_the_upload_request_queues_the_reading_and_the_pages_say_processing(client, send, queue):
    entry = upload(send, client, pdf("Οδηγός", ["Πρώτη.", "Δεύτερη."], author="x"))
    assert [(r.task.name, r.task.queue_name, r.args) for r in queue.results] == [
        ("read_document", "documents", [entry.pk, entry.file.name])
    ]
    assert entry.reading == ToolboxItem.Reading.PENDING
    assert (entry.file_kind, entry.page_count, entry.document_text) == ("", None, "")
    assert not entry.preview and entry.file_size > 0
    assert PROCESSING in client.get("/dashboard/").content.decode()
    preview = client.get(reverse("toolboxitem_dashboard:preview", args=[entry.pk])).content.decode()
    assert PROCESSING in preview and "document-preview" not in preview


def test_running_the_task_reads_the_file_once(client, send, queue):
    entry = upload(send, client, pdf("Οδηγός", ["Πρώτη.", "Ουδετερότητα."], author="x"))
    name = queue.results[0].args[1]
    assert read_document.call(entry.pk, name) == "done"
    entry.refresh_from_db()
    assert (entry.reading, entry.file_kind, entry.page_count) == ("done", "pdf", 2)
    assert entry.preview.read().startswith(b"\x89PNG")
    assert "ουδετεροτητα" in entry.search_text
    assert PROCESSING not in client.get("/dashboard/").content.decode()
    preview = entry.preview.name
    assert read_document.call(entry.pk, name) == "skipped"  # a second run does nothing
    entry.refresh_from_db()
    assert entry.preview.name == preview


def test_the_immediate_backend_reads_the_file_after_the_upload_commits(client, send):
    entry = upload(send, client, pdf("Οδηγός", ["Πρώτη."], author="x"))
    assert (entry.reading, entry.file_kind, entry.page_count) == ("done", "pdf", 1)


def test_a_replaced_file_makes_the_first_task_do_nothing(client, send, queue):
    entry = upload(send, client, pdf("Πρώτο", ["Παλιό κείμενο."], author="x"))
    first = queue.results[0].args[1]
    entry.file = ContentFile(pdf("Δεύτερο", ["Νέο.", "Κείμενο."], author="x"), name="x.pdf")
    entry.save()
    second = entry.file.name
    assert second != first
    assert read_document.call(entry.pk, first) == "skipped"
    entry.refresh_from_db()
    assert (entry.reading, entry.page_count) == ("pending", None)
    assert read_document.call(entry.pk, second) == "done"
    entry.refresh_from_db()
    assert entry.page_count == 2 and "νεο" in entry.search_text and "παλιο" not in entry.search_text


def test_a_file_that_fails_to_read_is_kept_and_reported_to_its_editor(client, send, queue):
    entry = upload(send, client, tall_page())  # passes the upload's checks; its page does not
    assert read_document.call(entry.pk, entry.file.name) == "failed"
    entry.refresh_from_db()
    assert (entry.reading, entry.reading_error) == ("failed", "too_large")
    assert entry.file and entry.file.storage.exists(entry.file.name)
    dashboard = client.get("/dashboard/").content.decode()
    assert "Το αρχείο δεν μπόρεσε να διαβαστεί." in dashboard and TOO_LARGE in dashboard
    assert entry.file_size == len(tall_page()) and entry.file_kind == ""
    assert read_document.call(entry.pk, entry.file.name) == "skipped"
