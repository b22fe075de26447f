import pytest

from .factories import OrganisationFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def test_geojson_holds_the_filtered_pins_and_never_a_confidential_one(client):
    organisation = OrganisationFactory(name_el="Κέντρο Κυψέλης", name_en="Kypseli Centre")
    ServiceFactory(slug="kypseli", name_el="Κυψέλη", name_en="Kypseli", organisation=organisation)
    ServiceFactory(slug="secret", address_confidential=True)
    ServiceFactory(
        slug="phone", location_type="virtual", district=None, latitude=None, longitude=None
    )
    ServiceFactory(slug="other", categories=["dental"])
    data = client.get("/services/map.geojson", {"category": "education"}).json()
    assert data["type"] == "FeatureCollection"
    assert [f["properties"]["url"] for f in data["features"]] == ["/services/kypseli/"]
    feature = data["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [23.7408, 37.9994]}
    assert feature["properties"]["name"] == "Κυψέλη"
    assert feature["properties"]["organisation"] == "Κέντρο Κυψέλης"
    english = client.get("/en/services/map.geojson", {"category": "education"}).json()
    assert english["features"][0]["properties"] == {
        "name": "Kypseli",
        "organisation": "Kypseli Centre",
        "url": "/en/services/kypseli/",
    }


def test_geojson_sends_greek_as_utf8_not_escapes(client):
    ServiceFactory(name_el="Υγεία")
    body = client.get("/services/map.geojson").content
    assert "Υγεία".encode() in body and b"\\u" not in body


def test_geojson_tolerates_bad_filters(client):
    ServiceFactory()
    response = client.get("/services/map.geojson", {"district": "99", "q": "x" * 5000})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"


def test_geojson_query_count_does_not_grow_with_the_results(client, django_assert_max_num_queries):
    for _ in range(30):
        ServiceFactory()
    with django_assert_max_num_queries(3):
        assert len(client.get("/services/map.geojson").json()["features"]) == 30
