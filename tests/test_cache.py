"""Anonymous pages are shared through the cache, and never at the cost of freshness,
privacy or the CSP nonce."""

import logging
import os
import re
import socket
import time
from uuid import uuid4

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accmr.core.models import Status
from accmr.core.ratelimit import local_counts
from accmr.members.models import Organisation
from accmr.settings import redis_cache
from accmr.taxonomy.models import District

from .factories import ServiceFactory, admin_approve

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
def alice_session(alice, service):
    """alice (an admin of the service's organisation) in a browser of her own."""
    session = Client()
    session.force_login(alice)
    return session


def test_an_editor_never_gets_the_cached_anonymous_page(service, alice_session):
    for url in (LIST, service.get_absolute_url(), "/"):
        Client().get(url)  # cached for visitors now
        html = alice_session.get(url).content.decode()
        assert "Πίνακας ελέγχου" in html and "Σύνδεση" not in html, url  # the dashboard link


def test_a_visitor_never_gets_a_page_rendered_for_an_editor(service, alice_session):
    for url in (LIST, service.get_absolute_url(), "/"):
        alice_session.get(url)
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


REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture
def redis(settings):
    """The real Redis, under a key prefix of this test's own: yields a function listing
    this test's keys, which are removed afterwards (other test processes share the
    database, so it is never flushed)."""
    point_the_cache_at(settings, REDIS_URL)
    client = cache._cache.get_client()
    pattern = f"{settings.CACHES['default']['KEY_PREFIX']}:*"

    def keys() -> list[bytes]:
        return list(client.scan_iter(pattern))

    yield keys
    if found := keys():
        client.delete(*found)


def test_pages_and_generations_are_shared_through_redis(redis, client, service):
    """Production runs several workers on one Redis: the same flow, on the real server."""
    first = client.get(LIST)
    assert service.name in first.content.decode()
    second = Client().get(LIST)
    assert nonce(second) != nonce(first) and f'nonce="{nonce(second)}"' in second.content.decode()
    ServiceFactory(name_el="Μετά τη δημοσίευση")
    assert "Μετά τη δημοσίευση" in Client().get(LIST).content.decode()


# Cache-busting: a page is kept once per set of the parameters it reads.


def test_unknown_and_reordered_parameters_share_one_cached_page(service, django_assert_num_queries):
    pages = [
        (f"{LIST}?district=6&cost=free", f"{LIST}?utm_source=x&cost=free&district=6&cost=free"),
        (service.get_absolute_url(), f"{service.get_absolute_url()}?fbclid=abc"),
        ("/", "/?utm_campaign=spring&b=1&a=2"),
        (
            "/stats/?start=2026-01-01&end=2026-06-30",
            "/stats/?end=2026-06-30&x=1&start=2026-01-01",
        ),
    ]
    for first, again in pages:
        Client().get(first)
        with django_assert_num_queries(0):
            response = Client().get(again)
        assert response.status_code == 200, again
        html = response.content.decode()
        for junk in ("utm_", "fbclid", "x=1", "b=1"):
            assert junk not in html, (again, junk)  # nothing unknown is echoed to others


def test_the_parameters_a_page_reads_still_make_their_own_page(service):
    assert service.name in Client().get(LIST).content.decode()
    assert service.name not in Client().get(LIST, {"q": "καμία αντιστοιχία"}).content.decode()
    assert service.name not in Client().get(LIST, {"district": "1"}).content.decode()
    download = Client().get(LIST, {"format": "csv", "utm_source": "x"})
    assert download["Content-Type"].startswith("text/csv")


def test_junk_parameters_add_no_page_to_redis(redis, service):
    for n in range(20):
        assert Client().get(LIST, {"utm_source": n, "district": "6"}).status_code == 200
        Client().get(service.get_absolute_url(), {"ref": n})
    pages = [key for key in redis() if b":page:" in key]
    assert len(pages) == 2


# Redis unreachable: pages come from the database, limits hold per process.


def closed_port() -> int:
    """A port nothing listens on (bound for a moment, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def point_the_cache_at(settings, url: str) -> None:
    """The production cache settings (backend, timeouts), aimed at `url`."""
    settings.CACHES = {"default": redis_cache(url, f"accmr-test-{uuid4().hex}")}
    local_counts.clear()


@pytest.fixture
def redis_down(settings):
    point_the_cache_at(settings, f"redis://127.0.0.1:{closed_port()}/0")
    yield
    local_counts.clear()


@pytest.fixture
def hung_redis(settings):
    """A server that accepts connections and never answers (a hung Redis)."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(64)
        point_the_cache_at(settings, f"redis://127.0.0.1:{server.getsockname()[1]}/0")
        yield
    local_counts.clear()


def public_pages(service) -> list[str]:
    return [
        "/",
        "/en/",
        LIST,
        f"{LIST}?district=6&q=ελληνικά",
        service.get_absolute_url(),
        "/services/map.geojson",
        "/activities/",
        "/toolbox/",
        "/members/",
        "/support/",
        "/stats/",
        "/stats/?district=6&start=2026-01-01&end=2026-06-30",
        "/pages/about/",
    ]


def test_with_redis_unreachable_every_public_page_is_served_from_the_database(redis_down, service):
    for url in public_pages(service):
        for visitor in (Client(), Client()):  # a miss, then what would have been a hit
            started = time.monotonic()
            response = visitor.get(url)
            assert response.status_code == 200, url
            assert time.monotonic() - started < 3, url
    assert service.name in Client().get(LIST).content.decode()


def test_with_redis_unreachable_pages_still_show_changes_at_once(redis_down, service):
    assert "Μετά τη διακοπή" not in Client().get(LIST).content.decode()
    ServiceFactory(name_el="Μετά τη διακοπή")
    assert "Μετά τη διακοπή" in Client().get(LIST).content.decode()


def test_with_redis_unreachable_downloads_are_built_and_limited_per_visitor(
    redis_down, settings, service
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "export": (2, 60)}
    statuses = [Client().get(LIST, {"format": fmt}).status_code for fmt in ("csv", "xlsx", "csv")]
    assert statuses == [200, 200, 429]
    csv_file = Client(REMOTE_ADDR="198.51.100.7").get(LIST, {"format": "csv"})
    assert service.name in csv_file.content.decode("utf-8-sig")
    chart = Client().get("/stats/services-by-district.csv", {"district": "6"})
    assert chart.status_code == 200


def test_with_redis_unreachable_a_large_export_is_still_built_by_its_task_and_offered(
    redis_down, settings, service, django_capture_on_commit_callbacks
):
    """What the slots on this host once bounded: no web worker builds a long list's file.
    (Without the generations' tokens each request is a new export, as each page is.)"""
    settings.EXPORT_TASK_ROWS = 0
    with django_capture_on_commit_callbacks(execute=True) as queued:
        waiting = Client().get(LIST, {"format": "xlsx"})
    assert waiting.status_code == 202 and len(queued) == 1
    status = re.search(r'href="(/exports/[0-9a-f]{32}/)"', waiting.content.decode())[1]
    assert f'href="{status}file/"' in Client().get(status).content.decode()
    assert Client().get(f"{status}file/")["Content-Disposition"].startswith("attachment")


def test_with_redis_unreachable_mail_is_sent_and_its_limits_still_hold(
    redis_down, settings, django_capture_on_commit_callbacks
):
    from .test_accounts import REGISTER, registration

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "mail": (3, 3600), "mail_to": (3, 3600)}
    office = Client()
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [
            office.post(
                REGISTER,
                registration(name_el=f"Σύλλογος {n}", name_en="", user_email=f"u{n}@example.org"),
            ).status_code
            for n in range(4)
        ]
    assert statuses == [200, 200, 200, 429]
    assert len(mail.outbox) == 3
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    reset = elsewhere.post("/accounts/password/reset/", {"email": "someone@example.org"})
    assert reset.status_code == 302


def test_with_redis_unreachable_the_outage_is_logged_once_a_minute(redis_down, service, caplog):
    for url in (LIST, LIST, "/", "/stats/", "/healthz/"):
        Client().get(url)
    records = [*caplog.get_records("setup"), *caplog.records]  # the service's save: the first
    warnings = [r for r in records if r.name == "accmr.core.redis_cache"]
    assert len(warnings) == 1
    assert (
        warnings[0].levelno == logging.WARNING and "cannot be reached" in warnings[0].getMessage()
    )


def test_healthz_says_when_the_cache_is_down_and_stays_in_rotation(redis_down):
    response = Client().get("/healthz/")
    assert response.status_code == 200  # the database answers: keep serving
    assert response.content.startswith(b"DEGRADED") and b"cache: down" in response.content
    strict = Client().get("/healthz/", {"strict": "1"})
    assert strict.status_code == 503 and strict.content.startswith(b"DEGRADED")


def test_healthz_says_ok_when_redis_answers(redis):
    for query in ({}, {"strict": "1"}):
        response = Client().get("/healthz/", query)
        assert response.status_code == 200 and response.content == b"OK"


def test_a_hung_redis_holds_a_page_for_at_most_its_timeout_once(hung_redis, service, settings):
    timeout = settings.CACHES["default"]["OPTIONS"]["socket_timeout"]
    assert 0 < timeout <= 1
    started = time.monotonic()
    for url in (LIST, service.get_absolute_url(), "/", "/stats/"):
        assert Client().get(url).status_code == 200, url
    # One wait for the first call (connecting, then the handshake's answer); after it the
    # server is left alone for a while.
    assert time.monotonic() - started < 2 * timeout + 2
