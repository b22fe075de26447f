"""Storage cannot be exhausted: a quota per organisation (smaller until it is approved), an
hourly upload limit, and files deleted once nothing refers to them (issue 21, item 6)."""

import io
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from accmr.core.actions import approve_change, reject_change
from accmr.core.files import used_by
from accmr.core.models import ChangeSet, Status
from accmr.members.models import Membership, Organisation
from toolbox.demo import pdf
from toolbox.models import ToolboxItem

from .factories import OrganisationFactory, UserFactory, member
from .test_toolbox import CREATE, form_data, stored_files

pytestmark = pytest.mark.django_db
DOCUMENT = pdf("Οδηγός", ["Κείμενο."], author="x")


def upload(client, name="o.pdf", content=DOCUMENT, url=CREATE, **fields):
    return client.post(url, form_data(file=SimpleUploadedFile(name, content), **fields))


def editor_of(client, **organisation):
    owner = OrganisationFactory(**organisation)
    client.force_login(member("eleni", owner, Membership.Role.ADMIN))
    return owner


def test_a_pending_organisation_fills_its_smaller_quota_and_is_told_so(client, settings):
    settings.STORAGE_QUOTA_PENDING_BYTES = int(len(DOCUMENT) * 2.5)
    settings.STORAGE_QUOTA_BYTES = len(DOCUMENT) * 100
    owner = editor_of(client, approval=Organisation.Approval.PENDING)
    assert upload(client).status_code == 302
    assert upload(client).status_code == 302
    before = stored_files()
    response = upload(client)
    assert response.status_code == 200
    [error] = response.context["form"].errors["file"]
    assert "Τα αρχεία του οργανισμού σας καταλαμβάνουν" in error
    assert ToolboxItem.objects.count() == 2 and stored_files() == before
    items = ToolboxItem.objects.all()
    # Each file and, once it has been read, its preview.
    assert used_by(owner) == sum(
        item.file.size + (item.preview.size if item.preview else 0) for item in items
    )
    # Approved, it has the full quota, and the dashboard says what is used.
    Organisation.objects.filter(pk=owner.pk).update(approval=Organisation.Approval.APPROVED)
    assert upload(client).status_code == 302
    dashboard = client.get("/dashboard/").content.decode()
    assert "καταλαμβάνουν" in dashboard.split('id="storage"')[1].split("</p>")[0]


def test_uploads_are_limited_per_hour_per_organisation(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "upload": (2, 3600)}
    editor_of(client, trusted=True)
    assert upload(client).status_code == 302
    assert upload(client).status_code == 302
    response = upload(client)
    assert response.status_code == 200
    assert "τελευταία ώρα" in response.context["form"].errors["file"][0]
    # A form with no new file is not an upload.
    assert upload(client, content=b"").status_code == 200  # (empty: refused as empty)
    assert client.post(CREATE, form_data(external_url="https://example.org/a")).status_code == 302


def test_a_replaced_draft_document_is_deleted_but_a_shared_one_is_kept(
    client, django_capture_on_commit_callbacks
):
    editor_of(client)
    upload(client)
    draft = ToolboxItem.objects.get()
    first, first_preview = draft.file.name, draft.preview.name
    url = f"/dashboard/toolbox/{draft.pk}/edit/"
    other = pdf("Άλλος", ["Άλλο κείμενο."], author="x")
    with django_capture_on_commit_callbacks(execute=True):
        assert upload(client, content=other, url=url, base_version="").status_code == 302
    draft.refresh_from_db()
    assert draft.file.name != first and draft.file.storage.exists(draft.file.name)
    assert not draft.file.storage.exists(first) and not draft.file.storage.exists(first_preview)
    # A duplicate refers to the same file: deleting one keeps the file for the other.
    twin = ToolboxItem.objects.create(
        organisation=draft.organisation, title_el="Δίδυμο", file=draft.file.name
    )
    with django_capture_on_commit_callbacks(execute=True):
        twin.delete()
    assert draft.file.storage.exists(draft.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        ToolboxItem.objects.get(pk=draft.pk).delete()
    assert not draft.file.storage.exists(draft.file.name)


@pytest.mark.parametrize("decision", ["approved", "rejected"])
def test_a_decided_change_leaves_only_the_file_in_use(
    client, django_capture_on_commit_callbacks, decision
):
    editor_of(client, trusted=True)
    upload(client, submit="1")
    item = ToolboxItem.objects.get()
    ToolboxItem.objects.filter(pk=item.pk).update(status=Status.PUBLISHED)
    item.refresh_from_db()
    old = item.file.name
    url = f"/dashboard/toolbox/{item.pk}/edit/"
    other = pdf("Νέα έκδοση", ["Νέο κείμενο."], author="x")
    response = client.get(url)
    base = response.context["form"]["base_version"].value()
    assert upload(client, content=other, url=url, base_version=base).status_code == 302
    change = ChangeSet.objects.pending().get()
    proposed = change.data["file"]
    storage = item.file.storage
    assert storage.exists(proposed) and storage.exists(old)
    moderator = UserFactory(is_staff=True, is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        if decision == "approved":
            approve_change(change, by=moderator)
        else:
            reject_change(change, by=moderator, note="Όχι.")
    item.refresh_from_db()
    assert storage.exists(item.file.name)
    gone = old if decision == "approved" else proposed
    assert item.file.name != gone and not storage.exists(gone)


def test_the_sweep_deletes_old_files_nothing_refers_to(client, tmp_path):
    editor_of(client)
    upload(client)
    item = ToolboxItem.objects.get()
    storage = item.file.storage
    orphan = storage.save("private/toolbox/orphan.pdf", SimpleUploadedFile("o", DOCUMENT))
    young = storage.save("logos/young.png", SimpleUploadedFile("y", b"png"))
    day_ago = time.time() - 2 * 86400
    for name in (orphan, item.file.name, item.preview.name):
        os.utime(storage.path(name), (day_ago, day_ago))
    call_command("purge_unused_files", stdout=io.StringIO())
    assert not storage.exists(orphan)
    assert storage.exists(young)  # perhaps being saved right now
    assert storage.exists(item.file.name) and storage.exists(item.preview.name)
