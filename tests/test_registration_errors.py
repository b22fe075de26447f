"""A registration sent back with errors says what is wrong where it is wrong, as the other
forms do: a summary linking to each field, the fields marked, and a word on what a form
cannot keep (the password, a chosen logo)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accmr.members.models import Organisation

from .test_accounts import REGISTER, STRONG, png, registration

pytestmark = pytest.mark.django_db


def summary(page: str) -> str:
    match = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert match, "no error summary"
    return match.group(0)


def field_box(page: str, name: str) -> str:
    """The opening tag of the `.form-field` that holds the input called `name`."""
    boxes = re.findall(r'<div class="form-field[^"]*">(?:(?!<div class="form-field).)*', page, re.S)
    box = next(b for b in boxes if f'name="{name}"' in b)
    return box[: box.index(">") + 1]


@pytest.mark.parametrize(
    ("prefix", "name_message", "consent_message"),
    [
        ("", "Συμπληρώστε το πεδίο «Όνομα στα ελληνικά».", "Τσεκάρετε αυτό το πλαίσιο"),
        ("/en", "Fill in “Name in Greek”.", "Tick this box to continue."),
    ],
)
def test_a_registration_with_errors_lists_and_links_each_one_and_marks_the_fields(
    client, prefix, name_message, consent_message
):
    data = registration(name_el="", consent=None, password2="Something-else-2026")
    page = client.post(prefix + REGISTER, data).content.decode()
    box = summary(page)
    assert 'role="alert"' in box and 'tabindex="-1"' in box  # the script focuses it
    assert f'<a href="#id_name_el">{name_message}</a>' in box
    assert 'href="#id_password2"' in box
    assert re.search(r'<a href="#id_consent">[^<]*' + re.escape(consent_message), box)
    assert box.count("<li>") == 3  # every error, each once
    for name in ("name_el", "password2", "consent"):
        assert "has-error" in field_box(page, name), name
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
        assert 'aria-invalid="true"' in tag and f"id_{name}_error" in tag
    assert "has-error" not in field_box(page, "email")
    assert "Διορθώστε τα πεδία" not in page and "Please correct the fields" not in page
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    ("prefix", "again"),
    [
        ("", "Για την ασφάλειά σας, πληκτρολογήστε ξανά τον κωδικό πρόσβασης."),
        ("/en", "For your security, type the password again."),
    ],
)
def test_a_registration_sent_back_asks_for_the_password_again_beside_it(client, prefix, again):
    page = client.get(prefix + REGISTER).content.decode()
    assert again not in page
    page = client.post(prefix + REGISTER, registration(name_el="")).content.decode()
    assert STRONG not in page
    help_text = re.search(r'<div class="helptext" id="id_password1_helptext">.*?</div>', page, re.S)
    assert again in help_text.group(0)
    tag = re.search(r'<input[^>]*name="password1"[^>]*>', page).group(0)
    assert "id_password1_helptext" in tag  # read out with the field


@pytest.mark.parametrize(
    ("prefix", "again"),
    [
        ("", "Το αρχείο που επιλέξατε, «logo.png», δεν κρατήθηκε: επιλέξτε το ξανά."),
        ("/en", "The file you chose, “logo.png”, has not been kept: choose it again."),
    ],
)
def test_a_chosen_logo_that_a_registration_with_errors_drops_is_asked_for_again(
    client, prefix, again
):
    page = client.post(prefix + REGISTER, {**registration(name_el=""), "logo": png()})
    page = page.content.decode()
    help_text = re.search(r'<div class="helptext" id="id_logo_helptext">.*?</div>', page, re.S)
    assert again in help_text.group(0)
    tag = re.search(r'<input[^>]*name="logo"[^>]*>', page).group(0)
    assert "id_logo_helptext" in tag
    # Without a chosen file, or when the file is itself the error, nothing more is said.
    page = client.post(prefix + REGISTER, registration(name_el="")).content.decode()
    assert "logo.png" not in page
    not_a_picture = SimpleUploadedFile("logo.png", b"not a picture", content_type="image/png")
    page = client.post(prefix + REGISTER, {**registration(name_el=""), "logo": not_a_picture})
    page = page.content.decode()
    assert again not in page
