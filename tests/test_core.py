import re
import subprocess
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from accmr.core.models import Page

from .factories import ServiceFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def test_healthz_answers_ok_after_asking_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.content == b"OK"
    assert response["Content-Type"] == "text/plain"


def test_greek_is_at_the_root_and_english_under_en(client):
    assert client.get("/").headers["Content-Language"] == "el"
    assert client.get("/en/").headers["Content-Language"] == "en"
    assert '<html lang="el">' in client.get("/").content.decode()
    assert '<html lang="en">' in client.get("/en/").content.decode()


def test_the_language_switcher_keeps_the_page_and_its_filters(client, service):
    html = client.get("/services/?district=6&cost=free").content.decode()
    assert 'href="/en/services/?cost=free&amp;district=6" hreflang="en"' in html
    html = client.get("/en/services/greek-lessons-kypseli/").content.decode()
    assert 'href="/services/greek-lessons-kypseli/" hreflang="el"' in html


def test_home_has_a_search_box_counts_and_quick_links(
    client, service, django_assert_max_num_queries
):
    ServiceFactory(
        categories=["dental"], district=None, location_type="virtual", latitude=None, longitude=None
    )
    # The services' search and counts, the next activities, the open requests and the
    # network's four totals (each shared until an entry changes).
    with django_assert_max_num_queries(12):
        response = client.get("/")
    html = response.content.decode()
    assert 'action="/services/"' in html and 'name="q"' in html
    assert "2 υπηρεσίες δημοσιευμένες" in html
    assert 'href="/services/?category=education"' in html
    assert 'href="/services/?district=6"' in html
    section = response.context["sections"][0][1]
    assert {c.slug: n for c, n in section["categories"]}["education"] == 1
    assert {c.slug: n for c, n in section["categories"]}["health"] == 1
    assert {d.slug: n for d, n in section["districts"]} == {
        "1": 0,
        "2": 0,
        "3": 0,
        "4": 0,
        "5": 0,
        "6": 1,
        "7": 0,
    }
    assert "Browse by category" in client.get("/en/").content.decode()


@pytest.mark.parametrize("slug", ["about", "guide", "privacy"])
def test_static_pages_exist_in_both_languages(client, slug):
    page = Page.objects.get(slug=slug)
    assert page.title_el and page.title_en and page.body_el and page.body_en
    assert page.title_el in client.get(f"/pages/{slug}/").content.decode()
    assert page.title_en in client.get(f"/en/pages/{slug}/").content.decode()


def test_static_page_text_is_escaped(client):
    Page.objects.create(slug="test", title_el="Δοκιμή", body_el="<b>bold</b>\n\nδεύτερη")
    html = client.get("/pages/test/").content.decode()
    assert "&lt;b&gt;bold&lt;/b&gt;" in html and "<p>δεύτερη</p>" in html


def test_pages_carry_a_csp_with_a_nonce_on_inline_scripts(client, service):
    response = client.get("/services/")
    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy
    inline = re.findall(
        r"<script(?![^>]*\bsrc=)(?![^>]*application/json)([^>]*)>", response.content.decode()
    )
    assert inline and all(f'nonce="{nonce}"' in attrs for attrs in inline)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/services/",
        "/members/",
        "/pages/about/",
        "/pages/guide/",
        "/pages/privacy/",
        "/accounts/login/",
        "/accounts/register/",
        "/accounts/password/reset/",
        "/accounts/confirm/resend/",
        "/en/",
        "/en/services/",
        "/en/members/",
    ],
)
def test_every_page_has_exactly_one_h1(client, service, path):
    assert client.get(path).content.decode().count("<h1") == 1


def test_unknown_pages_get_a_translated_404(client):
    assert "Η σελίδα δεν βρέθηκε" in client.get("/no/such/page/").content.decode()
    assert "Page not found" in client.get("/en/no/such/page/").content.decode()


def test_server_errors_get_a_friendly_translated_page():
    from accmr.core.views import server_error

    with translation.override("en"):
        response = server_error(None)
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    with translation.override("el"):
        assert "Κάτι πήγε στραβά" in server_error(None).content.decode()


def test_no_model_change_lacks_a_migration():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_the_greek_catalogue_is_complete():
    po = ROOT / "locale/el/LC_MESSAGES/django.po"
    stats = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    assert "untranslated" not in stats and "fuzzy" not in stats, stats


def test_one_string_is_translated_per_locale():
    with translation.override("el"):
        assert translation.gettext("Services") == "Υπηρεσίες"
    with translation.override("en"):
        assert translation.gettext("Services") == "Services"


def test_deploy_checks_pass_with_production_settings(monkeypatch):
    # Set by the browser tests' conftest for Playwright; never in a deployment.
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)
    with override_settings(
        SECRET_KEY="k3#9Lq!vZ8@pW2^mR6&tY1*uE5(oI7)aS4_dF0+gH-jJ=lK;xC:vB<nM>",
        MAILERS={"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend"}},
        DEBUG=False,
        SITE_URL="https://accmr.example.gr",
        SECURE_SSL_REDIRECT=True,
        SECURE_HSTS_SECONDS=31536000,
        SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
        SECURE_HSTS_PRELOAD=True,
        SESSION_COOKIE_SECURE=True,
        CSRF_COOKIE_SECURE=True,
        REDIS_URL="redis://127.0.0.1:6379/15",
    ):
        out = StringIO()
        call_command("check", "--deploy", "--fail-level", "WARNING", stdout=out, stderr=out)
    assert "no issues" in out.getvalue()


def test_the_default_secret_fails_the_deploy_check():
    from accmr.core.checks import check_secret_key

    assert [e.id for e in check_secret_key(None)] == ["accmr.E001"]


def test_the_deploy_check_warns_when_workers_share_no_cache(settings):
    from accmr.core.checks import check_shared_cache

    settings.REDIS_URL = ""
    assert [e.id for e in check_shared_cache(None)] == ["accmr.W002"]
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    assert check_shared_cache(None) == []


def test_admin_loads_without_gdal_and_lists_services(admin_client, service):
    response = admin_client.get(reverse("admin:services_service_changelist"))
    assert response.status_code == 200
    assert service.name in response.content.decode()


@pytest.mark.parametrize("path", ["//evil.example/", "/\\evil.example/", "///evil.example/x"])
def test_a_404_for_a_host_like_path_links_only_to_this_site(client, path):
    # As the server receives it (the test client would read "//host/" as a host).
    response = client.get("/", PATH_INFO=path)
    assert response.status_code == 404
    html = response.content.decode()
    hrefs = re.findall(r'href="([^"]*)"', html)
    off_site = [
        h
        for h in hrefs
        if h.startswith(("//", "/\\")) or urlsplit(h).netloc not in ("", "testserver")
    ]
    assert hrefs and not off_site, hrefs


def test_pages_name_their_absolute_canonical_url_and_language_alternates(client, settings):
    settings.SITE_URL = "https://accmr.example.gr"
    html = client.get("/services/?district=6").content.decode()
    assert '<link rel="canonical" href="https://accmr.example.gr/services/?district=6">' in html
    assert 'hreflang="el" href="https://accmr.example.gr/services/?district=6"' in html
    assert 'hreflang="en" href="https://accmr.example.gr/en/services/?district=6"' in html
    assert 'hreflang="x-default" href="https://accmr.example.gr/services/?district=6"' in html


def test_without_site_url_the_served_address_is_used_and_cached_apart(client, settings):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["one.example.gr", "two.example.gr"]
    one = client.get("/", HTTP_HOST="one.example.gr").content.decode()
    two = client.get("/", HTTP_HOST="two.example.gr").content.decode()
    assert 'rel="canonical" href="http://one.example.gr/"' in one
    assert 'rel="canonical" href="http://two.example.gr/"' in two


def test_robots_txt_keeps_crawlers_out_of_forms_and_downloads(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    rules = response.content.decode().splitlines()
    assert rules[0] == "User-agent: *"
    for path in ("/admin/", "/dashboard/", "/en/report/"):
        assert f"Disallow: {path}" in rules
    # A section's own private pages, as its registration declares them.
    for path in ("/support/conversation/", "/en/support/conversation/"):
        assert f"Disallow: {path}" in rules
    assert "Disallow: /*format=" in rules
    assert not any(
        rule.startswith(("Disallow: /services", "Disallow: /accounts")) for rule in rules
    )


def test_with_site_url_no_page_links_to_another_host_it_answered_to(client, settings, service):
    """A second allowed host (or a proxy passing the visitor's Host on) must not reach
    the links a page builds, nor, through the shared page cache, anyone else's copy."""
    from datetime import timedelta

    from django.utils import timezone

    from accmr.taxonomy.models import ActivityType
    from activities.models import Activity, Session

    settings.SITE_URL = "https://accmr.example.gr"
    settings.ALLOWED_HOSTS = ["accmr.example.gr", "other.example.net"]
    activity = Activity.objects.create(
        organisation=service.organisation,
        slug="workshop",
        title_el="Εργαστήρι",
        activity_type=ActivityType.objects.get(slug="workshop"),
        status="published",
    )
    starts = timezone.now() + timedelta(days=2)
    Session.objects.create(activity=activity, starts=starts, ends=starts + timedelta(hours=1))
    pages = [
        service.get_absolute_url(),
        "/en" + service.get_absolute_url(),
        "/activities/",
        activity.get_absolute_url(),
        reverse("activities:ics", args=[activity.slug]),
        reverse("activities:calendar"),
        "/services/?format=csv",
    ]
    for host in ("other.example.net", "accmr.example.gr"):  # the second reads the cache
        for path in pages:
            response = client.get(path, HTTP_HOST=host)
            assert response.status_code == 200, path
            body = b"".join(response) if response.streaming else response.content
            assert b"other.example.net" not in body, (host, path)
    detail = client.get(service.get_absolute_url(), HTTP_HOST="other.example.net").content.decode()
    share = f'id="share-link" type="text" readonly value="https://accmr.example.gr{service.get_absolute_url()}"'
    assert share in detail


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


@pytest.mark.parametrize("path", ["/", "/services/", "/services/greek-lessons-kypseli/", "/en/"])
def test_a_logged_in_users_pages_are_never_kept_by_a_shared_cache(client, service, path):
    from .factories import UserFactory

    assert "private" not in cache_control(client.get(path))  # a visitor's copy is everyone's
    client.force_login(UserFactory())
    page = client.get(path)
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()  # the log-out form
    assert {"private", "no-store"} <= cache_control(page)


def test_a_visitors_page_with_a_form_or_a_cookie_is_private(client, service):
    for path in ["/accounts/login/", f"/report/services/{service.pk}/"]:
        page = client.get(path)
        assert 'name="csrfmiddlewaretoken"' in page.content.decode()
        assert "private" in cache_control(page), path
    listed = client.get("/services/", {"page": "99"})  # a message waits in a cookie
    assert listed.cookies and "private" in cache_control(listed)
