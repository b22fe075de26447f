"""Nobody can flood mailboxes or hold the workers: rate limits and bounded exports."""

import pytest
from django.test import Client

from .factories import ServiceFactory, UserFactory
from .test_accounts import REGISTER, registration

pytestmark = pytest.mark.django_db
LIST = "/services/"


@pytest.fixture
def limits(settings):
    settings.RATE_LIMITS = {
        "mail": (3, 3600),
        "mail_to": (3, 3600),
        "invite": (2, 3600),
        "export": (2, 60),
    }
    return settings.RATE_LIMITS


def _register(client, n, **overrides):
    data = registration(name_el=f"Σύλλογος {n}", name_en="", user_email=f"u{n}@example.org")
    return client.post(REGISTER, data | overrides)


def test_registrations_from_one_address_are_limited_and_others_are_not(client, limits):
    statuses = [_register(client, n).status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = _register(client, 9, user_email="late@example.org")
    assert response["Retry-After"] == "3600"
    assert "Έχουν σταλεί πάρα πολλά e-mail" in response.content.decode()
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert _register(elsewhere, 10).status_code == 200
    assert client.get(REGISTER).status_code == 200  # the form itself is never limited


def test_refused_registrations_do_not_count_towards_the_limit(client, limits):
    """Two colleagues' typos in a shared office must not lock the office out."""
    for n in range(6):
        typo = _register(client, n, password2="another-password")
        assert typo.status_code == 200 and typo.context["form"].errors
    done = _register(client, 7)
    assert done.status_code == 200 and "registration/register_done.html" in (
        t.name for t in done.templates
    )


def test_past_the_limit_the_form_comes_back_with_what_was_typed(client, limits):
    for n in range(3):
        _register(client, n)
    page = _register(client, 5, description_el="Νομική βοήθεια στην Κυψέλη.")
    assert page.status_code == 429
    form = page.context["form"]
    assert form["name_el"].value() == "Σύλλογος 5"
    assert form["description_el"].value() == "Νομική βοήθεια στην Κυψέλη."
    html = page.content.decode()
    assert 'value="Σύλλογος 5"' in html and "Νομική βοήθεια στην Κυψέλη." in html
    assert "Έχουν σταλεί πάρα πολλά e-mail" in html


def test_refused_resends_and_resets_do_not_count_and_the_limit_keeps_the_form(client, limits):
    for _ in range(5):
        assert (
            client.post("/accounts/password/reset/", {"email": "not-an-address"}).status_code == 200
        )
    for n in range(3):
        sent = client.post("/accounts/password/reset/", {"email": f"n{n}@example.org"})
        assert sent.status_code == 302
    page = client.post("/accounts/password/reset/", {"email": "late@example.org"})
    assert page.status_code == 429
    assert page.context["form"]["email"].value() == "late@example.org"


def test_one_mailbox_cannot_be_flooded_from_many_addresses(limits, mailoutbox):
    UserFactory(username="eleni", email="eleni@example.org", is_active=False)
    statuses = [
        Client(REMOTE_ADDR=f"192.0.2.{n}")
        .post("/accounts/confirm/resend/", {"email": "Eleni@example.org"})
        .status_code
        for n in range(4)
    ]
    assert statuses == [302, 302, 302, 429]
    statuses = [
        Client(REMOTE_ADDR=f"192.0.2.{n}")
        .post("/accounts/password/reset/", {"email": "eleni@example.org"})
        .status_code
        for n in range(10, 14)
    ]
    assert statuses[-1] == 429


def test_invitations_are_limited(client, limits):
    from accmr.members.models import Membership

    from .factories import OrganisationFactory, member

    client.force_login(member("alice", OrganisationFactory(), Membership.Role.ADMIN))
    statuses = [
        client.post(
            "/dashboard/editors/", {"email": f"n{n}@example.org", "role": "editor"}
        ).status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]


def test_downloads_per_visitor_are_limited(client, limits, service):
    statuses = [client.get(LIST, {"format": "csv"}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert Client(REMOTE_ADDR="198.51.100.7").get(LIST, {"format": "csv"}).status_code == 200
    assert client.get(LIST).status_code == 200  # the list is never limited


def test_an_export_is_built_once_per_filter_set_and_shared(
    client, service, django_assert_max_num_queries
):
    first = client.get(LIST, {"format": "xlsx", "district": "6"}).content
    with django_assert_max_num_queries(3):  # filters' terms at most: the file is cached
        again = Client().get(LIST, {"district": "6", "format": "xlsx"})
    assert again.content == first
    ServiceFactory(name_el="Νέα υπηρεσία")  # a change: the next download is rebuilt
    assert Client().get(LIST, {"format": "xlsx", "district": "6"}).content != first


def test_a_large_export_never_holds_the_request_and_the_list_stays_available(
    client, settings, service, django_capture_on_commit_callbacks
):
    """What the export slot once bounded: a long list's file is built by a task."""
    settings.EXPORT_TASK_ROWS = 0
    with django_capture_on_commit_callbacks() as queued:  # the task waits for its worker
        response = client.get(LIST, {"format": "xlsx"})
    assert response.status_code == 202 and len(queued) == 1
    assert "Η λήψη σας ετοιμάζεται" in response.content.decode()
    assert client.get(LIST).status_code == 200
    queued[0]()  # the worker builds it
    assert client.get(LIST, {"format": "xlsx"})["Content-Disposition"].startswith("attachment")


def test_an_export_holds_at_most_the_row_limit(client, settings):
    settings.EXPORT_MAX_ROWS = 2
    for n in range(3):
        ServiceFactory(name_el=f"Υπηρεσία {n}")
    lines = client.get(LIST, {"format": "csv"}).content.decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + 2


def test_statistics_for_chosen_filters_are_limited_per_visitor_and_the_default_never(settings):
    """Each new range costs seconds of a worker; one already computed costs nothing."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "stats": (2, 60)}
    visitor = Client()
    ranges = ["2025-01-01", "2025-01-01", "2024-01-01", "2023-01-01"]  # the second is cached
    statuses = [visitor.get("/stats/", {"start": day}).status_code for day in ranges]
    assert statuses == [200, 200, 200, 429]
    refused = visitor.get("/stats/", {"district": "6"})
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert "Πάρα πολλά στατιστικά" in refused.content.decode()
    english = visitor.get("/en/stats/", {"start": "2022-01-01"})
    assert english.status_code == 429 and "Too many statistics" in english.content.decode()
    assert visitor.get("/stats/services-by-district.csv", {"district": "6"}).status_code == 429
    # The numbers of a range the page counted are kept: its CSV costs nothing.
    assert visitor.get("/stats/coverage.csv", {"start": "2024-01-01"}).status_code == 200
    for _ in range(5):  # the page everyone sees first is never limited
        assert visitor.get("/stats/").status_code == 200
        assert visitor.get("/stats/", {"utm_source": "x"}).status_code == 200
    assert Client(REMOTE_ADDR="198.51.100.7").get("/stats/", {"district": "6"}).status_code == 200


def test_searches_are_limited_per_visitor_and_lists_without_one_never(settings, service):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": (2, 60)}
    visitor = Client()
    statuses = [visitor.get(LIST, {"q": word}).status_code for word in ("α", "β", "β", "γ")]
    assert statuses == [200, 200, 200, 429]
    refused = visitor.get("/activities/", {"q": "δ"})
    assert refused.status_code == 429 and "Πάρα πολλές αναζητήσεις" in refused.content.decode()
    assert "Too many searches" in visitor.get(f"/en{LIST}", {"q": "ε"}).content.decode()
    for _ in range(5):
        assert visitor.get(LIST).status_code == 200
        assert visitor.get(LIST, {"district": "6", "sort": "verified"}).status_code == 200
    assert Client(REMOTE_ADDR="198.51.100.7").get(LIST, {"q": "γ"}).status_code == 200
