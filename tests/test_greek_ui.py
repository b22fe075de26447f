"""No English UI string on a Greek page: Django's own strings included (Django 6 added
some that its Greek catalogue lacks; the portal's catalogue translates them)."""

import re

import pytest
from django.urls import reverse

from accmr.core.actions import propose_change
from accmr.core.models import Report
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
]


def english_on(html: str) -> list[str]:
    """The listed English strings in the page's visible text (tags, scripts, styles and
    attributes removed), as whole words."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
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
