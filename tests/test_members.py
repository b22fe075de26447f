import pytest

from accmr.core.models import Status
from accmr.members.models import Organisation
from accmr.taxonomy.models import ActorType, Category, District

from .factories import OrganisationFactory, ServiceFactory

pytestmark = pytest.mark.django_db
LIST = "/members/"


def names(response):
    return [o.name for o in response.context["page_obj"].object_list]


def test_directory_lists_approved_organisations_in_greek_order(client):
    OrganisationFactory(name_el="Ωμέγα")
    OrganisationFactory(name_el="Άλφα")
    OrganisationFactory(name_el="Σε αναμονή", approval=Organisation.Approval.PENDING)
    OrganisationFactory(name_el="Σε αναστολή", approval=Organisation.Approval.SUSPENDED)
    assert names(client.get(LIST)) == ["Άλφα", "Ωμέγα"]


def test_directory_filters_by_actor_type_activity_field_district_and_text(client):
    match = OrganisationFactory(
        name_el="Νομική Βοήθεια",
        name_en="Legal Aid",
        description_el="Δωρεάν ΣΥΜΒΟΥΛΕΣ για άσυλο",
        actor_type=ActorType.objects.get(slug="international-ngo"),
        district=District.objects.get(slug="1"),
    )
    match.activity_fields.set([Category.objects.get(slug="legal")])
    OrganisationFactory(name_el="Άλλος", district=District.objects.get(slug="2"))
    for params in [
        {"actor_type": "international-ngo"},
        {"activity_field": "legal"},
        {"district": "1"},
        {"q": "συμβουλες"},
        {"q": "LEGAL aid"},
        {"q": "νομικη", "district": "1", "activity_field": ["legal", "health"]},
    ]:
        assert names(client.get(LIST, params)) == ["Νομική Βοήθεια"], params


def test_directory_bad_input_never_fails(client):
    OrganisationFactory(name_el="Οργανισμός")
    for params in [{"district": "99"}, {"actor_type": "nope"}, {"q": "x" * 5000}, {"page": "abc"}]:
        response = client.get(LIST, params)
        assert response.status_code == 200, params
        assert names(response) == ["Οργανισμός"], params
    assert "έγκυρη επιλογή" in client.get(LIST, {"district": "99"}).content.decode()


def test_directory_empty_states(client):
    assert "Δεν υπάρχουν ακόμη οργανισμοί-μέλη" in client.get(LIST).content.decode()
    OrganisationFactory()
    html = client.get(LIST, {"q": "ανύπαρκτο"}).content.decode()
    assert "Κανένας οργανισμός δεν ταιριάζει με αυτά τα φίλτρα" in html


def test_directory_runs_the_same_queries_for_1_and_many_organisations(
    client, django_assert_num_queries
):
    params = {"activity_field": "legal", "district": "1"}

    def make():
        org = OrganisationFactory(district=District.objects.get(slug="1"))
        org.activity_fields.set(Category.objects.filter(slug__in=["legal", "health"]))

    make()
    client.get(LIST)  # the filter panel's choices are read once, then cached
    with django_assert_num_queries(5) as one:
        client.get(LIST, params)
    for _ in range(19):
        make()
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(LIST, params)
    assert len(names(response)) == 20


def test_profile_lists_only_the_organisations_published_services(client):
    org = OrganisationFactory(name_el="Κέντρο", slug="kentro", website="https://kentro.example.org")
    published = ServiceFactory(organisation=org, name_el="Δημοσιευμένη")
    ServiceFactory(organisation=org, name_el="Πρόχειρη", status=Status.DRAFT)
    ServiceFactory(name_el="Άλλου οργανισμού")
    response = client.get("/members/kentro/")
    html = response.content.decode()
    assert f'<a href="{published.get_absolute_url()}">Δημοσιευμένη</a>' in html  # a card
    assert "Πρόχειρη" not in html and "Άλλου οργανισμού" not in html
    assert "https://kentro.example.org" in html
    assert (
        "/members/kentro/"
        in client.get(org.services.get(name_el="Δημοσιευμένη").get_absolute_url()).content.decode()
    )


def test_profile_of_a_pending_organisation_is_not_found(client):
    OrganisationFactory(slug="pending", approval=Organisation.Approval.PENDING)
    assert client.get("/members/pending/").status_code == 404
    assert client.get("/en/members/no-such-org/").status_code == 404


def test_profile_in_english(client):
    OrganisationFactory(
        slug="kentro", name_el="Κέντρο", name_en="Centre", description_en="We help."
    )
    html = client.get("/en/members/kentro/").content.decode()
    assert "Centre" in html and "We help." in html
    assert "no published services" in html


def test_the_organisation_type_ahead_suggests_approved_organisations(client):
    OrganisationFactory(
        name_el="Κέντρο Ένταξης Μεταναστών", name_en="Integration Centre", slug="kem"
    )
    OrganisationFactory(name_el="Κέντρο Ημέρας", slug="day", approval="pending")
    OrganisationFactory(name_el="Άλλος φορέας")
    results = client.get("/members/suggest.json", {"q": "κεντρο"}).json()["results"]
    assert results == [{"slug": "kem", "name": "Κέντρο Ένταξης Μεταναστών"}]
    english = client.get("/en/members/suggest.json", {"q": "integration"}).json()["results"]
    assert english == [{"slug": "kem", "name": "Integration Centre"}]
    assert client.get("/members/suggest.json", {"q": ""}).json() == {"results": []}
    for hostile in ("x" * 5000, "\x00", "κέν\x00τρο", "%", "_"):
        assert client.get("/members/suggest.json", {"q": hostile}).status_code == 200
