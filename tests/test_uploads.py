"""Uploads: capped, checked by content, re-encoded, renamed, private until approved."""

import io
import re

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from accmr.core.actions import approve_change
from accmr.core.models import ChangeSet
from accmr.members.actions import set_approval
from accmr.members.models import Membership, Organisation

from .factories import OrganisationFactory, UserFactory, member
from .test_accounts import REGISTER, registration

pytestmark = pytest.mark.django_db


def picture(kind="PNG", size=(64, 48), name="logo.png", tail=b"") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, kind)
    return SimpleUploadedFile(name, buffer.getvalue() + tail, content_type="image/png")


def register_with(client, logo):
    return client.post(REGISTER, {**registration(), "logo": logo})


def logo_errors(response) -> str:
    return " ".join(response.context["form"].errors.get("logo", []))


POLYGLOT_PDF = b"%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"


def test_a_registration_logo_is_private_renamed_and_re_encoded(client, admin_client):
    response = register_with(client, picture(name="../../evil name.png", tail=POLYGLOT_PDF))
    assert response.status_code == 200
    logo = Organisation.objects.get().logo
    assert re.fullmatch(r"private/logos/[0-9a-f]{32}\.png", logo.name)  # generated, not theirs
    stored = storages["private"].open(logo.name.removeprefix("private/")).read()
    assert stored.startswith(b"\x89PNG") and b"JavaScript" not in stored and b"%PDF" not in stored
    assert not storages["default"].exists(logo.name.removeprefix("private/"))  # not public
    # Staff see it through the portal; visitors do not.
    assert logo.url.startswith("/private-media/")
    assert Client().get(logo.url).status_code == 302  # to the admin login
    shown = admin_client.get(logo.url)
    assert shown.status_code == 200 and "no-store" in shown["Cache-Control"]
    assert b"".join(shown.streaming_content) == stored


def test_approval_makes_the_logo_public(client, admin_user):
    register_with(client, picture())
    organisation = Organisation.objects.get()
    set_approval(organisation, Organisation.Approval.APPROVED, by=admin_user)
    organisation.refresh_from_db()
    assert re.fullmatch(r"logos/[0-9a-f]{32}\.png", organisation.logo.name)
    assert storages["default"].exists(organisation.logo.name)
    assert organisation.logo.url.startswith("/media/logos/")
    assert storages["private"].listdir("logos")[1] == []


def test_a_logo_in_a_proposed_change_stays_private_until_approved(admin_user):
    organisation = OrganisationFactory(email="org@example.org")
    editor = Client()
    editor.force_login(member("eleni", organisation, Membership.Role.ADMIN))
    page = editor.get(reverse("organisation_edit")).context["form"]
    data = {n: page[n].value() for n in page.fields if n != "logo" and page[n].value() is not None}
    editor.post(reverse("organisation_edit"), {**data, "logo": picture(kind="WEBP", name="x.webp")})
    organisation.refresh_from_db()
    assert not organisation.logo  # the public profile is unchanged
    change = ChangeSet.objects.get()
    assert re.fullmatch(r"private/logos/[0-9a-f]{32}\.webp", change.data["logo"])
    approve_change(change, by=admin_user)
    organisation.refresh_from_db()
    assert re.fullmatch(r"logos/[0-9a-f]{32}\.webp", organisation.logo.name)
    assert storages["default"].exists(organisation.logo.name)


@pytest.mark.parametrize(
    ("logo", "message"),
    [
        (picture(kind="GIF", name="logo.png"), "PNG, JPEG ή WebP"),
        (SimpleUploadedFile("logo.svg", b"<svg onload='alert(1)'/>"), "PNG, JPEG ή WebP"),
        (SimpleUploadedFile("logo.png", POLYGLOT_PDF), "PNG, JPEG ή WebP"),
        (picture(size=(12000, 12000)), "12000 × 12000"),
    ],
    ids=["gif-named-png", "svg", "pdf-named-png", "pixel-bomb"],
)
def test_anything_but_a_reasonable_picture_is_refused_clearly(client, logo, message):
    response = register_with(client, logo)
    assert message in logo_errors(response)
    assert not Organisation.objects.exists()


def test_no_upload_is_read_past_the_cap_and_the_form_says_so(client, settings):
    settings.MAX_UPLOAD_BYTES = 100 * 1024
    big = SimpleUploadedFile("logo.png", b"\x89PNG" + b"0" * (300 * 1024))
    response = register_with(client, big)
    assert "μεγαλύτερη από" in logo_errors(response)
    assert not Organisation.objects.exists()
    # What was typed is kept.
    assert 'value="https://solidarity.example.org"' in response.content.decode()


def test_a_large_logo_is_scaled_down(client):
    register_with(client, picture(size=(3000, 1500)))
    logo = Organisation.objects.get().logo
    with storages["private"].open(logo.name.removeprefix("private/")) as stored:
        assert Image.open(stored).size == (1024, 512)


def test_only_staff_reach_private_media_and_never_outside_it(client):
    UserFactory(username="nobody")
    client.force_login(UserFactory(username="staff", is_staff=True))
    assert client.get("/private-media/../settings.py").status_code in (400, 404)
    assert client.get("/private-media/logos/missing.png").status_code == 404


def test_a_document_replaced_through_an_approved_change_stays_private(client, admin_user):
    """Toolbox documents are only ever served by the portal (counted, under a safe name):
    an approved replacement must not land in the public media the proxy serves."""
    from pathlib import Path

    from django.conf import settings

    from toolbox.demo import pdf

    from .test_toolbox import form_data, item

    organisation = OrganisationFactory()
    entry = item("Οδηγός", organisation=organisation)
    assert entry.file.name.startswith("private/toolbox/")
    client.force_login(member("eleni", organisation, Membership.Role.ADMIN))
    new = SimpleUploadedFile("new.pdf", pdf("Νέος οδηγός", ["Νέο κείμενο."], author="x"))
    response = client.post(
        reverse("toolboxitem_dashboard:edit", args=[entry.pk]),
        form_data(file=new, title_el="Οδηγός"),
    )
    assert response.status_code == 302
    change = ChangeSet.objects.get()
    assert change.data["file"].startswith("private/toolbox/")
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):  # and the file's reading task
        approve_change(change, by=admin_user)
    entry.refresh_from_db()
    assert entry.file.name == change.data["file"]  # the new one, still private
    public = Path(settings.MEDIA_ROOT)
    assert not public.exists() or not [p for p in public.rglob("*") if p.is_file()]
    download = Client().get(reverse("toolbox:download", args=[entry.slug]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert "νεο κειμενο" in entry.search_text  # the new document was read
