import re
from datetime import date, timedelta

import pytest
from django.test import Client

from accmr.core.models import Status
from accmr.taxonomy.models import Language, TargetGroup

from .factories import ServiceFactory

pytestmark = pytest.mark.django_db


def test_detail_shows_every_field_in_greek(client, organisation):
    service = ServiceFactory(
        organisation=organisation,
        slug="full",
        name_el="Νομική συνδρομή",
        description_el="Βοήθεια στη διαδικασία ασύλου.",
        phone="+30 210 1234567",
        email="legal@example.org",
        website="https://legal.example.org",
        cost="mixed",
        fees_description_el="Μικρό αντίτιμο",
        referral_required=True,
        application_process_el="Στείλτε παραπομπή.",
        eligibility_description_el="Αιτούντες άσυλο.",
        required_documents_el="Κάρτα αιτούντος.",
        wheelchair_access="yes",
        interpretation_available=True,
        funding_el="Ευρωπαϊκή Ένωση",
        valid_until=date.today() + timedelta(days=90),
        postcode="11257",
        categories=["asylum-procedure"],
        target_groups=[TargetGroup.objects.get(slug="asylum-seekers")],
        languages=[Language.objects.get(slug="fa")],
    )
    html = client.get("/services/full/").content.decode()
    for text in [
        "Νομική συνδρομή",
        "Βοήθεια στη διαδικασία ασύλου.",
        "Κέντρο Ένταξης Μεταναστών",
        "+30 210 1234567",
        "legal@example.org",
        "https://legal.example.org",
        "Μικρό αντίτιμο",
        "Απαιτείται παραπομπή",
        "Στείλτε παραπομπή.",
        "Αιτούντες άσυλο.",
        "Κάρτα αιτούντος.",
        "Ευρωπαϊκή Ένωση",
        "Φωκίωνος Νέγρη 10",
        "11257",
        "Κυψέλη",
        'Φαρσί (<span lang="fa">فارسی</span>)',
        "Διαδικασία ασύλου",
        "Νομική υποστήριξη",
        "Διερμηνεία διαθέσιμη",
        "Τελευταία επιβεβαίωση",
    ]:
        assert text in html, text
    assert 'data-point="37.999400,23.740800"' in html
    assert service.get_absolute_url() == "/services/full/"


def test_detail_in_english_with_a_copyable_link(client, service):
    html = client.get("/en/services/greek-lessons-kypseli/").content.decode()
    assert "Greek lessons in Kypseli" in html
    assert "Migrant Integration Centre" in html
    assert 'value="http://testserver/en/services/greek-lessons-kypseli/"' in html
    assert "Copy link" in html
    assert 'media="print"' in html


def test_a_confidential_address_never_reaches_the_page(client):
    ServiceFactory(slug="shelter", address_el="Κρυφή οδός 5", address_confidential=True)
    html = client.get("/services/shelter/").content.decode()
    assert "Κρυφή οδός" not in html
    assert "data-point" not in html and "37.9994" not in html
    assert "Εμπιστευτική διεύθυνση" in html
    assert "6η Δημοτική Κοινότητα" in html


def test_a_service_unverified_for_12_months_may_be_out_of_date(client):
    ServiceFactory(slug="old", assured_date=date.today() - timedelta(days=400))
    ServiceFactory(slug="fresh", assured_date=date.today() - timedelta(days=300))
    assert "μπορεί να μην είναι επίκαιρες" in client.get("/services/old/").content.decode()
    assert "μπορεί να μην είναι επίκαιρες" not in client.get("/services/fresh/").content.decode()
    assert "may be out of date" in client.get("/en/services/old/").content.decode()


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PENDING, Status.REJECTED, Status.ARCHIVED])
def test_unpublished_services_are_hidden_from_visitors_but_previewed_by_moderators(
    admin_client, status
):
    ServiceFactory(slug="hidden", status=status)
    assert Client().get("/services/hidden/").status_code == 404
    response = admin_client.get("/services/hidden/")
    assert response.status_code == 200
    assert "Προεπισκόπηση — δεν είναι δημόσια" in response.content.decode()


def test_unknown_slug_gives_the_translated_404_page(client):
    response = client.get("/services/no-such-service/")
    assert response.status_code == 404
    assert "Η σελίδα δεν βρέθηκε" in response.content.decode()
    assert "Page not found" in client.get("/en/services/no-such-service/").content.decode()


def test_virtual_service_shows_how_it_is_delivered(client):
    ServiceFactory(
        slug="line", location_type="virtual", district=None, latitude=None, longitude=None
    )
    html = client.get("/en/services/line/").content.decode()
    assert "By phone or online" in html
    assert "data-point" not in html


def test_the_detail_page_reads_the_service_in_six_queries(
    client, service, django_assert_num_queries
):
    # The service with its organisation, type and district; then categories, target groups,
    # languages, opening periods and closures.
    with django_assert_num_queries(6):
        assert client.get(service.get_absolute_url()).status_code == 200


def test_the_english_page_shows_the_greek_street_sign_too(client, service):
    url = service.get_absolute_url()  # reverse() follows the language a request leaves active
    html = client.get("/en" + url).content.decode()
    card = html[html.index('class="referral-card"') : html.index('id="about-title"')]
    assert "10 Fokionos Negri" in card
    assert '<span lang="el">On Greek street signs: Φωκίωνος Νέγρη 10</span>' in card
    assert "Free" in card and "No referral needed." in card
    greek = client.get(url).content.decode()
    assert "Greek street signs" not in greek and "πινακίδες" not in greek


def test_the_map_pin_finds_its_icon_under_hashed_static_names(client, service):
    """Leaflet guesses its icons' folder from its stylesheet, which a hashed name breaks
    in production: the page names the folder, where the unhashed icon exists."""
    from django.contrib.staticfiles import finders

    html = client.get(service.get_absolute_url()).content.decode()
    folder = re.search(r'data-icons="([^"]+)"', html).group(1)
    assert folder == "/static/leaflet/images/"
    assert finders.find(folder.removeprefix("/static/") + "marker-icon.png")
