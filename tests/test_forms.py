"""Forms say what is wrong where it is wrong: an error summary linking to each field,
specific messages, invalid fields marked, human labels; archiving asks first."""

import re

import pytest
from django.urls import reverse

from accmr.core.models import Status
from services.models import Service

from .factories import ServiceFactory
from .test_dashboard import form_data

pytestmark = pytest.mark.django_db


def summary(page: str) -> str:
    match = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert match, "no error summary"
    return match.group(0)


@pytest.mark.parametrize(
    ("prefix", "message", "label"),
    [
        ("", "Συμπληρώστε το πεδίο «Όνομα (ελληνικά)».", "Όνομα (ελληνικά)"),
        ("/en", "Fill in “Name (Greek)”.", "Name (Greek)"),
    ],
)
def test_an_editor_form_with_errors_lists_and_links_each_one(client, alice, prefix, message, label):
    client.force_login(alice)
    url = prefix + reverse("service_dashboard:create")
    page = client.post(url, {**form_data(name_el="", cost=""), "save": "1"}).content.decode()
    box = summary(page)
    assert 'role="alert"' in box
    assert f'<a href="#id_name_el">{message}</a>' in box
    assert 'href="#id_cost"' in box  # every error, each once
    assert box.count("<li>") == 2
    name_input = re.search(r'<input[^>]*name="name_el"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in name_input
    assert "id_name_el_error" in name_input  # aria-describedby names the message
    assert f">{label}:</label>" in page or f">{label}</label>" in page
    assert "[el]" not in page  # modeltranslation's labels are gone
    assert not Service.objects.exists()  # and what was typed is still there
    assert 'value="Φωκίωνος Νέγρη 5"' in page


def test_the_english_inputs_say_they_are_english(client, alice):
    client.force_login(alice)
    page = client.get(reverse("service_dashboard:create")).content.decode()
    assert re.search(
        r'<input[^>]*lang="en"[^>]*name="name_en"|<input[^>]*name="name_en"[^>]*lang="en"', page
    )


def test_the_coordinates_are_folded_behind_the_map_until_one_is_wrong(client, alice):
    client.force_login(alice)
    url = reverse("service_dashboard:create")
    page = client.get(url).content.decode()
    folded = re.search(r'<details class="coordinates">.*?</details>', page, re.S).group(0)
    assert 'id="id_latitude"' in folded and 'id="id_longitude"' in folded
    assert page.index('class="point-picker"') < page.index('<details class="coordinates"')
    assert 'data-latitude-id="id_latitude" data-longitude-id="id_longitude"' in page
    wrong = client.post(url, {**form_data(latitude="north"), "save": "1"}).content.decode()
    assert '<details class="coordinates" open>' in wrong
    assert 'href="#id_latitude"' in summary(wrong)


def test_the_form_has_one_primary_button(client, alice):
    client.force_login(alice)
    page = client.get(reverse("service_dashboard:create")).content.decode()
    buttons = re.findall(r'<button type="submit"[^>]*>', page)
    # The hidden default button (Enter saves rather than adds a row) is not shown.
    shown = [b for b in buttons if "visually-hidden" not in b]
    primary = [b for b in shown if "button-secondary" not in b and "link-button" not in b]
    assert len(primary) == 1 and 'name="submit"' in primary[0]


def test_archiving_asks_first(client, alice, organisation):
    client.force_login(alice)
    service = ServiceFactory(organisation=organisation)
    url = reverse("service_dashboard:archive", args=[service.pk])
    dashboard = client.get("/dashboard/").content.decode()
    assert (
        f'<a href="{url}">Αρχειοθέτηση<span class="visually-hidden">: {service.name_el}</span></a>'
        in dashboard
    )
    question = client.get(url).content.decode()
    assert f"Αρχειοθέτηση του «{service.name_el}»;" in question
    service.refresh_from_db()
    assert service.status == Status.PUBLISHED  # asking changes nothing
    assert client.post(url).status_code == 302
    service.refresh_from_db()
    assert service.status == Status.ARCHIVED


@pytest.mark.parametrize(
    ("prefix", "message"),
    [("", "Συμπληρώστε το πεδίο «E-mail»."), ("/en", "Fill in “E-mail”.")],
)
def test_public_forms_name_the_missing_field(client, prefix, message):
    page = client.post(
        prefix + "/accounts/login/", {"username": "", "password": "x"}
    ).content.decode()
    assert message in summary(page)


def test_a_service_at_an_address_without_district_or_point_is_told_at_those_fields(client, alice):
    client.force_login(alice)
    url = reverse("service_dashboard:create")
    data = {**form_data(district="", latitude="", longitude=""), "save": "1"}
    page = client.post(url, data).content.decode()
    box = summary(page)
    assert '<a href="#id_district">Επιλέξτε τη δημοτική κοινότητα' in box
    assert '<a href="#id_latitude">Τοποθετήστε την υπηρεσία στον χάρτη.</a>' in box
    assert "χρειάζεται δημοτική κοινότητα" not in box  # the constraint's general message
    assert '<details class="coordinates" open>' in page


def test_the_password_forms_name_their_fields_in_the_portals_words(client, alice):
    client.force_login(alice)
    page = client.post("/accounts/password/change/", {}).content.decode()
    assert "Συμπληρώστε το πεδίο «Παλιός κωδικός πρόσβασης»." in summary(page)
    assert "συνθηματικ" not in page.lower()  # Django's word; the portal says «κωδικός»
    client.logout()
    reset = client.post("/accounts/password/reset/", {"email": ""}).content.decode()
    assert "Συμπληρώστε το πεδίο" in summary(reset)


def test_line_breaks_in_a_one_line_field_are_saved_as_spaces(client, alice):
    client.force_login(alice)
    url = reverse("service_dashboard:create")
    data = {
        **form_data(name_el="Μαθήματα\r\nATTENDEE:evil", name_en="Lessons\n\x0bX-EVIL:1"),
        "description_el": "Πρώτη γραμμή.\r\nΔεύτερη γραμμή.",
        "save": "1",
    }
    assert client.post(url, data).status_code == 302
    service = Service.objects.get()
    assert (service.name_el, service.name_en) == ("Μαθήματα ATTENDEE:evil", "Lessons X-EVIL:1")
    assert service.description_el == "Πρώτη γραμμή.\r\nΔεύτερη γραμμή."  # many lines: kept
