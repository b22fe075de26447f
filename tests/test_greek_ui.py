"""No English UI string on a Greek page: Django's own strings included (Django 6 added
some that its Greek catalogue lacks; the portal's catalogue translates them)."""

import json
import re
from pathlib import Path

import django.contrib.admin
import pytest
from babel.messages.pofile import read_po
from django.contrib import admin
from django.urls import reverse

from accmr.core.actions import propose_change, record
from accmr.core.models import AuditEntry, Report
from accmr.members.models import Membership

from .factories import OrganisationFactory, ServiceFactory, member

pytestmark = pytest.mark.django_db

# English strings that have shown on Greek pages, and other common English UI words.
ENGLISH = [
    "Select an option",
    "This field is required",
    "Show counts",
    "Hide counts",
    "Start typing to filter",
    "Filter by",
    "Run",
    "content type",
    "username",
    "Save and continue",
    "Action:",
    "Please correct",
    # Added with the phone, forms and report work: Django's admin landmarks and ages, and
    # the portal's own new strings.
    "Model name",
    "Add link",
    "Change or view list link",
    "Pagination",
    "minutes",
    "ago",
    "Skip to results",
    "Filters",
    "Close",
    "Report a problem",
    "There is a problem",
    "Fill in",
    "Choose",
    # Added with the walk through every section: Django 6's admin (its theme switch and
    # landmarks), django-axes' models, Django's password reset label, the point picker.
    "Toggle theme",
    "Breadcrumbs",
    "Sidebar",
    "Filter navigation items",
    "Logout",
    "Access attempts",
    "Access failures",
    "Access logs",
    "Email:",
    "Zoom in",
    "Zoom out",
    "Search",  # the admin's search icon
    "Seen version",
]

# What a screen reader or a pointer shows besides the text.
SPOKEN_ATTRIBUTES = re.compile(r'\s(?:aria-label|title|placeholder|alt)="([^"]*)"')


def english_on(html: str) -> list[str]:
    """The listed English strings in the page's visible text (tags, scripts and styles
    removed) and in its spoken attributes (aria-label, title…), as whole words."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    spoken = " | ".join(SPOKEN_ATTRIBUTES.findall(text))
    text = re.sub(r"<[^>]+>", " ", text) + " | " + spoken
    return [e for e in ENGLISH if re.search(rf"(?<!\w){re.escape(e)}(?!\w)", text)]


PUBLIC_FORMS = [
    "/accounts/register/",
    "/accounts/login/",
    "/accounts/password/reset/",
    "/accounts/confirm/resend/",
]


def test_lists_and_the_report_form_are_all_greek(client):
    service = ServiceFactory()
    for url in ["/services/?cost=free", "/members/", service.get_absolute_url()]:
        assert english_on(client.get(url).content.decode()) == [], url
    report = f"/report/services/{service.pk}/"
    assert english_on(client.get(report).content.decode()) == []
    assert english_on(client.post(report, {}).content.decode()) == []


@pytest.mark.parametrize("url", PUBLIC_FORMS)
def test_public_forms_are_all_greek(client, url):
    assert english_on(client.get(url).content.decode()) == []
    # And their error state.
    assert english_on(client.post(url, {}).content.decode()) == []


def test_editor_forms_are_all_greek(client):
    organisation = OrganisationFactory()
    client.force_login(member("eleni", organisation, Membership.Role.ADMIN))
    service = ServiceFactory(organisation=organisation)
    for url in [
        "/dashboard/",
        reverse("service_dashboard:create"),
        reverse("service_dashboard:edit", args=[service.pk]),
        "/dashboard/organisation/",
        "/dashboard/editors/",
        reverse("service_dashboard:archive", args=[service.pk]),
    ]:
        assert english_on(client.get(url).content.decode()) == [], url
    posted = client.post(reverse("service_dashboard:create"), {}).content.decode()
    assert english_on(posted) == []


def test_admin_moderation_pages_are_all_greek(admin_client):
    service = ServiceFactory()
    change = propose_change(service, data={"name_el": "Άλλο"}, by=None)
    Report.objects.create(entry=service, problem="other", message="Λάθος τηλέφωνο")
    for url in [
        "/admin/",
        "/admin/core/report/?state=open",
        "/admin/services/service/",
        "/admin/members/organisation/",
        "/admin/core/changeset/?state__exact=pending",
        reverse("admin:services_service_change", args=[service.pk]),
        reverse("admin:core_changeset_change", args=[change.pk]),
    ]:
        assert english_on(admin_client.get(url).content.decode()) == [], url


def test_every_admin_page_a_moderator_opens_is_all_greek(client, moderator):
    client.force_login(moderator)
    service = ServiceFactory()
    change = propose_change(service, data={"name_el": "Άλλο"}, by=None)
    report = Report.objects.create(entry=service, problem="other", message="Λάθος τηλέφωνο")
    record(service, action=AuditEntry.Action.VERIFIED, by=moderator)  # its history, inline
    urls = ["/admin/", "/admin/password_change/"]
    for model in admin.site._registry:
        opts = model._meta
        if moderator.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        if moderator.has_perm(f"{opts.app_label}.add_{opts.model_name}"):
            urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    for obj in [service, service.organisation, change, report]:
        opts = obj._meta
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
    assert len(urls) > 12  # the entry types, organisations, changes, reports, the audit
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert english_on(response.content.decode()) == [], url


def test_the_login_protection_pages_are_all_greek(admin_client):
    index = admin_client.get("/admin/").content.decode()
    for name in ["Απόπειρες σύνδεσης", "Αποτυχημένες συνδέσεις", "Καταγραφές συνδέσεων"]:
        assert name in index
    for model in ["accessattempt", "accessfailurelog", "accesslog"]:
        page = admin_client.get(reverse(f"admin:axes_{model}_changelist")).content.decode()
        assert english_on(page) == [], model


def test_the_password_reset_asks_for_the_address_in_the_portals_words(client):
    assert ">Διεύθυνση e-mail:</label>" in client.get("/accounts/password/reset/").content.decode()


def test_the_point_picker_gives_leaflet_the_pages_words(admin_client):
    service = ServiceFactory()
    url = reverse("admin:services_service_change", args=[service.pk])
    for prefix, zoom_in, zoom_out in [
        ("", "Μεγέθυνση", "Σμίκρυνση"),
        ("/en", "Zoom in", "Zoom out"),
    ]:
        html = admin_client.get(prefix + url).content.decode()
        (picker,) = re.findall(r'<div class="point-picker"[^>]*>', html)
        assert f'data-zoom-in="{zoom_in}"' in picker and f'data-zoom-out="{zoom_out}"' in picker
        # The public maps' plain prefix, not Leaflet's link titled in English.
        assert 'data-attribution-prefix="Leaflet"' in picker


# Every string of the admin's scripts (the many-to-many selector, the date and time
# pickers, the list's actions), as Django 6 ships them.
ADMIN_JS = Path(django.contrib.admin.__file__).parent / "locale/en/LC_MESSAGES/djangojs.po"


def served_catalogue(client, url: str) -> dict:
    """The translations a JavaScriptCatalog view sends (its `newcatalog` object, which an
    English page has none of)."""
    response = client.get(url)
    assert response.status_code == 200
    found = re.search(r"const newcatalog = (\{.*?\});", response.content.decode(), re.S)
    return json.loads(found.group(1)) if found else {}


def test_the_admin_scripts_speak_greek(client, moderator):
    client.force_login(moderator)
    with ADMIN_JS.open("rb") as po:
        messages = [m for m in read_po(po) if m.id]
    assert len(messages) > 80
    catalogue = served_catalogue(client, reverse("admin:jsi18n"))
    untranslated = []
    for message in messages:
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        key = f"{message.context}\x04{msgid}" if message.context else msgid
        greek = catalogue.get(key)
        forms = greek if isinstance(greek, list) else [greek]
        # Greek, or at least not the English ("%(day)s %(month)s %(year)s" has no letters).
        if not all(form and (re.search("[Α-Ωα-ωΆ-ώ]", form) or form != msgid) for form in forms):
            untranslated.append(msgid)
    assert untranslated == []
    # The portal's catalogue (LOCALE_PATHS) wins over Django's older Greek one.
    assert catalogue["Available %s"] == "Διαθέσιμα: %s"
    assert catalogue["Choose all %s"] == "Επιλογή όλων (%s)"
    # And the English admin keeps its English.
    assert "Choose all %s" not in served_catalogue(client, "/en" + reverse("admin:jsi18n"))


def test_the_pending_changes_list_opens_on_what_waits_and_filters_by_kind(admin_client):
    response = admin_client.get("/admin/core/changeset/")
    assert response["Location"].endswith("?state__exact=pending")
    changelist = admin_client.get(response["Location"]).context["cl"]
    (kinds,) = [f for f in changelist.filter_specs if getattr(f, "parameter_name", "") == "kind"]
    labels = [label for _value, label in kinds.lookup_choices]
    assert labels == [
        "Οργανισμοί",
        "Υπηρεσίες",
        "Δράσεις",
        "Εργαλειοθήκη",
        "Αναρτήσεις υποστήριξης",
        "Programmes",
    ]  # last: tests' own
    assert admin_client.get("/admin/core/changeset/?kind=%00").status_code == 200
