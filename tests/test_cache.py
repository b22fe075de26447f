"""Anonymous pages are shared through the cache, and never at the cost of freshness,
privacy or the CSP nonce."""

import os
import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse

from accmr.core.models import Status
from accmr.members.models import Membership, Organisation
from accmr.taxonomy.models import District

from .factories import ServiceFactory, admin_approve, member

pytestmark = pytest.mark.django_db
LIST = "/services/"


def nonce(response) -> str:
    return re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])[1]


def test_a_repeat_visit_is_served_from_the_cache(client, service, django_assert_num_queries):
    client.get(LIST)
    with django_assert_num_queries(0):
        response = client.get(LIST)
    assert service.name in response.content.decode()


def test_publishing_shows_the_service_at_once_on_the_list_home_and_map(admin_user):
    visitor, moderator = Client(), Client()
    moderator.force_login(admin_user)
    service = ServiceFactory(name_el="Νέα Υπηρεσία Υγείας", status=Status.PENDING)
    for url in (LIST, "/", "/services/map.geojson"):
        assert "Νέα Υπηρεσία Υγείας" not in visitor.get(url).content.decode()
    home_count = re.search(r"(\d+) υπηρεσ", visitor.get("/").content.decode())[1]
    admin_approve(moderator, [service])
    assert "Νέα Υπηρεσία Υγείας" in visitor.get(LIST).content.decode()
    assert "Νέα Υπηρεσία Υγείας" in visitor.get("/services/map.geojson").content.decode()
    home = visitor.get("/").content.decode()
    assert re.search(r"(\d+) υπηρεσ", home)[1] == str(int(home_count) + 1)


def test_archiving_and_suspending_take_entries_off_cached_pages(client, admin_client):
    kept = ServiceFactory(name_el="Μένει")
    gone = ServiceFactory(name_el="Φεύγει")
    assert "Φεύγει" in Client().get(LIST).content.decode()
    gone.status = Status.ARCHIVED
    gone.save()
    assert "Φεύγει" not in Client().get(LIST).content.decode()
    admin_client.post(
        reverse("admin:members_organisation_changelist"),
        {"action": "suspend", ACTION_CHECKBOX_NAME: [kept.organisation.pk]},
    )
    assert Organisation.objects.get(pk=kept.organisation.pk).approval == "suspended"
    assert "Μένει" not in Client().get(LIST).content.decode()


def test_a_renamed_term_shows_in_the_filter_panel_at_once(client, service):
    assert "Μεταφρασμένη κοινότητα" not in client.get(LIST).content.decode()
    district = District.objects.get(slug="2")
    district.name_el = "Μεταφρασμένη κοινότητα"
    district.save()
    assert "Μεταφρασμένη κοινότητα" in client.get(LIST).content.decode()


@pytest.fixture
def editor(service):
    session = Client()
    session.force_login(member("alice", service.organisation, Membership.Role.ADMIN))
    return session


def test_an_editor_never_gets_the_cached_anonymous_page(service, editor):
    for url in (LIST, service.get_absolute_url(), "/"):
        Client().get(url)  # cached for visitors now
        html = editor.get(url).content.decode()
        assert "Πίνακας ελέγχου" in html and "Σύνδεση" not in html, url  # the dashboard link


def test_a_visitor_never_gets_a_page_rendered_for_an_editor(service, editor):
    for url in (LIST, service.get_absolute_url(), "/"):
        editor.get(url)
        html = Client().get(url).content.decode()
        assert "Πίνακας ελέγχου" not in html and "Σύνδεση" in html, url
        assert "csrfmiddlewaretoken" not in html


def test_every_response_gets_its_own_csp_nonce(client, service):
    first, second = client.get(LIST), client.get(LIST)
    assert nonce(first) != nonce(second)
    for response in (first, second):
        html = response.content.decode()
        assert f'nonce="{nonce(response)}"' in html
        assert "csp-nonce" not in html


def test_a_page_with_a_message_is_not_shared(client, service):
    assert "Δεν υπάρχει σελίδα 9" in client.get(LIST, {"page": "9"}).content.decode()
    # Another visitor of the same address still gets the message, built for them.
    assert "Δεν υπάρχει σελίδα 9" in Client().get(LIST, {"page": "9"}).content.decode()
    assert "Δεν υπάρχει σελίδα" not in Client().get(LIST).content.decode()


def test_downloads_are_never_cached(client, service):
    client.get(LIST, {"format": "xlsx"})
    ServiceFactory(name_el="Δεύτερη")
    response = client.get(LIST, {"format": "csv"})
    assert "Δεύτερη" in response.content.decode("utf-8-sig")


def test_pages_and_generations_are_shared_through_redis(settings, client, service):
    """Production runs several workers on one Redis: the same flow, on the real server."""
    redis_url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": f"accmr-test-{os.getpid()}",
        }
    }
    from django.core.cache import cache

    cache.clear()
    try:
        first = client.get(LIST)
        assert service.name in first.content.decode()
        second = Client().get(LIST)
        assert (
            nonce(second) != nonce(first) and f'nonce="{nonce(second)}"' in second.content.decode()
        )
        ServiceFactory(name_el="Μετά τη δημοσίευση")
        assert "Μετά τη δημοσίευση" in Client().get(LIST).content.decode()
    finally:
        cache.clear()
