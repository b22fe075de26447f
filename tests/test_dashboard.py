import re

import pytest
from django.test import Client
from django.urls import reverse

from accmr.core.models import AuditEntry, ChangeSet, Status
from accmr.core.sections import entry_types
from accmr.members.models import Membership
from accmr.taxonomy.models import Category, District
from services.models import Service

from .factories import NO_HOURS_ROWS, OrganisationFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_session(admin_user):
    """The superuser in a browser of their own, so alice and the admin stay logged in at once."""
    session = Client()
    session.force_login(admin_user)
    return session


def form_data(**overrides):
    data = {
        "name_el": "Μαθήματα ελληνικών",
        "name_en": "Greek lessons",
        "description_el": "Δωρεάν τμήματα.",
        "description_en": "Free classes.",
        "categories": [Category.objects.get(slug="greek-language").pk],
        "location_type": "physical",
        "address_el": "Φωκίωνος Νέγρη 5",
        "district": District.objects.get(slug="6").pk,
        "latitude": "37.999000",
        "longitude": "23.741000",
        "cost": "free",
        **NO_HOURS_ROWS,
    }
    data.update(overrides)
    return data


def test_an_editor_submits_a_service_for_review(client, alice, organisation):
    client.force_login(alice)
    response = client.post(reverse("service_dashboard:create"), {**form_data(), "submit": "1"})
    assert response.status_code == 302
    service = Service.objects.get()
    assert service.organisation == organisation and service.status == Status.PENDING
    assert service.assured_date is not None
    assert AuditEntry.objects.filter(object_id=service.pk, action="created", user=alice).exists()
    assert client.get(service.get_absolute_url()).status_code == 404  # not public yet


def test_a_trusted_organisation_publishes_directly(client, alice, organisation):
    organisation.trusted = True
    organisation.save()
    client.force_login(alice)
    client.post(reverse("service_dashboard:create"), {**form_data(), "submit": "1"})
    assert Service.objects.get().status == Status.PUBLISHED
    assert client.get(Service.objects.get().get_absolute_url()).status_code == 200


def test_a_pending_organisation_can_only_prepare_drafts(client, dora):
    client.force_login(dora)
    response = client.post(
        reverse("service_dashboard:create"), {**form_data(), "submit": "1"}, follow=True
    )
    assert Service.objects.get().status == Status.DRAFT
    assert "περιμένει έγκριση" in response.content.decode()


def test_a_forged_organisation_in_the_form_is_ignored(
    client, alice, organisation, other_organisation
):
    client.force_login(alice)
    client.post(
        reverse("service_dashboard:create"), {**form_data(), "organisation": other_organisation.pk}
    )
    assert Service.objects.get().organisation == organisation


def test_bad_input_keeps_what_was_typed_and_saves_nothing(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("service_dashboard:create"),
        form_data(
            latitude="",
            longitude="",
            name_en="Typed in English",
            valid_from="2026-10-01",
            valid_until="2026-01-01",
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert '<a href="#id_latitude">Τοποθετήστε την υπηρεσία στον χάρτη.</a>' in html
    assert "δεν μπορεί να είναι πριν" in html  # the dates' constraint, above the form
    assert 'value="Typed in English"' in html
    assert not Service.objects.exists()


def test_editing_a_published_service_waits_for_review_while_the_old_version_stays(
    client, admin_session, alice, organisation, mailoutbox, django_capture_on_commit_callbacks
):
    service = ServiceFactory(organisation=organisation, name_el="Παλιό όνομα", name_en="Old name")
    client.force_login(alice)
    edit = reverse("service_dashboard:edit", args=[service.pk])
    data = form_data(
        name_el="Νέο όνομα", name_en="New name", categories=[Category.objects.get(slug="dental").pk]
    )
    response = client.post(edit, {**data, "submit": "1"}, follow=True)
    assert "περιμένουν έλεγχο" in response.content.decode()
    service.refresh_from_db()
    assert service.name_el == "Παλιό όνομα" and service.status == Status.PUBLISHED
    assert "Παλιό όνομα" in client.get(service.get_absolute_url()).content.decode()
    change = ChangeSet.objects.get(state="pending")
    assert change.data["name_el"] == "Νέο όνομα"

    review = reverse("admin:core_changeset_change", args=[change.pk])
    page = re.sub(r"</?(ins|del)>", "", admin_session.get(review).content.decode())
    assert (
        "Παλιό όνομα" in page and "Νέο όνομα" in page and "Old name" in page and "New name" in page
    )
    assert "Οδοντιατρική φροντίδα" in page  # the category, by name
    with django_capture_on_commit_callbacks(execute=True):
        admin_session.post(review, {"approve": "1"})
    service.refresh_from_db()
    assert service.name_el == "Νέο όνομα" and service.name_en == "New name"
    assert list(service.categories.values_list("slug", flat=True)) == ["dental"]
    assert "Νέο όνομα" in client.get(service.get_absolute_url()).content.decode()
    actions = list(AuditEntry.objects.filter(object_id=service.pk).values_list("action", flat=True))
    assert actions[:2] == ["change_approved", "change_proposed"]
    assert mailoutbox[0].to == ["alice@example.org", "office@kem.example.org"]  # sorted


def test_a_rejected_change_leaves_the_published_version(
    client, admin_session, alice, organisation, mailoutbox, django_capture_on_commit_callbacks
):
    service = ServiceFactory(organisation=organisation, name_el="Παλιό όνομα")
    client.force_login(alice)
    client.post(reverse("service_dashboard:edit", args=[service.pk]), form_data(name_el="Λάθος"))
    change = ChangeSet.objects.get()
    review = reverse("admin:core_changeset_change", args=[change.pk])
    admin_session.post(review, {"reject": "1", "reason": ""})
    change.refresh_from_db()
    assert change.state == "pending"  # a rejection needs a reason
    with django_capture_on_commit_callbacks(execute=True):
        admin_session.post(review, {"reject": "1", "reason": "Λάθος όνομα"})
    change.refresh_from_db()
    service.refresh_from_db()
    assert change.state == "rejected" and service.name_el == "Παλιό όνομα"
    assert "Λάθος όνομα" in mailoutbox[0].body


def test_a_newer_edit_replaces_the_one_waiting(client, alice, organisation):
    service = ServiceFactory(organisation=organisation)
    client.force_login(alice)
    edit = reverse("service_dashboard:edit", args=[service.pk])
    client.post(edit, form_data(name_el="Πρώτη"))
    client.post(edit, form_data(name_el="Δεύτερη"))
    assert list(ChangeSet.objects.values_list("state", "data__name_el").order_by("id")) == [
        ("withdrawn", "Πρώτη"),
        ("pending", "Δεύτερη"),
    ]


def test_archive_restore_and_confirm_accurate(client, alice, organisation):
    service = ServiceFactory(organisation=organisation, assured_date="2024-01-01")
    client.force_login(alice)
    client.post(reverse("service_dashboard:verify", args=[service.pk]))
    service.refresh_from_db()
    assert str(service.assured_date) != "2024-01-01" and not service.is_stale
    client.post(reverse("service_dashboard:archive", args=[service.pk]))
    service.refresh_from_db()
    assert service.status == Status.ARCHIVED
    assert client.get(service.get_absolute_url()).status_code == 404
    client.post(reverse("service_dashboard:restore", args=[service.pk]))
    service.refresh_from_db()
    assert service.status == Status.DRAFT
    assert Service.objects.count() == 1  # nothing is ever deleted


def test_dashboard_groups_entries_by_state_with_the_reviewers_reason(client, alice, organisation):
    ServiceFactory(organisation=organisation, name_el="Δημοσιευμένη")
    ServiceFactory(
        organisation=organisation,
        name_el="Απορριφθείσα",
        status=Status.REJECTED,
        review_note="Λείπει τηλέφωνο",
    )
    ServiceFactory(name_el="Ξένη")
    client.force_login(alice)
    response = client.get("/dashboard/")
    sections = {
        entry_type.model: by_status for entry_type, by_status in response.context["sections"]
    }
    groups = {status: [s.name for s in entries] for status, _label, entries in sections[Service]}
    assert groups["published"] == ["Δημοσιευμένη"] and groups["rejected"] == ["Απορριφθείσα"]
    html = response.content.decode()
    assert "Λείπει τηλέφωνο" in html and "Ξένη" not in html


def test_dashboard_query_count_does_not_grow(
    client, alice, organisation, django_assert_num_queries
):
    ServiceFactory(organisation=organisation)
    client.force_login(alice)
    # Session, user, memberships (twice: access and the switcher), then two per entry type
    # (its entries and which have a change waiting), and two for the room its files take
    # (a change waiting on its profile, its toolbox items: it has none, so no changes).
    with django_assert_num_queries(6 + 2 * len(entry_types())) as one:
        client.get("/dashboard/")
    for _ in range(20):
        ServiceFactory(organisation=organisation)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get("/dashboard/")


def test_a_user_in_two_organisations_switches_between_them(
    client, alice, organisation, other_organisation
):
    Membership.objects.create(user=alice, organisation=other_organisation)
    ServiceFactory(organisation=other_organisation, name_el="Του Δικτύου")
    client.force_login(alice)
    # It opens on the first by name: «Δίκτυο Νομικής Βοήθειας» before «Κέντρο Ένταξης».
    assert client.get("/dashboard/").context["organisation"] == other_organisation
    client.post("/dashboard/switch/", {"organisation": organisation.pk})
    assert client.get("/dashboard/").context["organisation"] == organisation
    stranger = OrganisationFactory()
    for forged in [stranger.pk, "abc", "", "²", "-1", "9" * 40]:
        response = client.post("/dashboard/switch/", {"organisation": forged}, follow=True)
        assert response.status_code == 200
        assert response.context["organisation"] == organisation


ROLES = ["anonymous", "alice", "charlie", "dora", "admin"]


@pytest.fixture
def as_role(client, alice, charlie, dora, admin_user):
    users = {"alice": alice, "charlie": charlie, "dora": dora, "admin": admin_user}

    def login(role):
        if role in users:
            client.force_login(users[role])
        return client

    return login


@pytest.mark.parametrize(
    ("url", "method", "expected"),
    [
        (
            "/dashboard/",
            "get",
            {"anonymous": 302, "alice": 200, "charlie": 200, "dora": 200, "admin": 403},
        ),
        (
            "/dashboard/services/new/",
            "get",
            {"anonymous": 302, "alice": 200, "charlie": 200, "dora": 200, "admin": 403},
        ),
        (
            "edit",
            "get",
            {"anonymous": 302, "alice": 200, "charlie": 404, "dora": 404, "admin": 403},
        ),
        (
            "archive",
            "post",
            {"anonymous": 302, "alice": 302, "charlie": 404, "dora": 404, "admin": 403},
        ),
        (
            "restore",
            "post",
            {"anonymous": 302, "alice": 302, "charlie": 404, "dora": 404, "admin": 403},
        ),
        (
            "verify",
            "post",
            {"anonymous": 302, "alice": 302, "charlie": 404, "dora": 404, "admin": 403},
        ),
        (
            "remove_charlie",
            "post",
            {"anonymous": 302, "alice": 404, "charlie": 403, "dora": 403, "admin": 403},
        ),
        (
            "/admin/core/changeset/?state__exact=pending",
            "get",
            {"anonymous": 302, "alice": 302, "charlie": 302, "dora": 302, "admin": 200},
        ),
        (
            "/admin/services/service/",
            "get",
            {"anonymous": 302, "alice": 302, "charlie": 302, "dora": 302, "admin": 200},
        ),
        (
            "/admin/members/organisation/",
            "get",
            {"anonymous": 302, "alice": 302, "charlie": 302, "dora": 302, "admin": 200},
        ),
    ],
)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(as_role, organisation, url, method, expected, role):
    service = ServiceFactory(organisation=organisation)
    if url == "remove_charlie":  # charlie's membership of his organisation
        url = reverse("editor_remove", args=[Membership.objects.get(user__username="charlie").pk])
    elif not url.startswith("/"):
        url = reverse(f"service_dashboard:{url}", args=[service.pk])
    client = as_role(role)
    response = getattr(client, method)(url)
    assert response.status_code == expected[role]
    assert Membership.objects.filter(user__username="charlie").exists()  # nobody removed charlie
    if role in ("charlie", "dora") and method == "post":
        service.refresh_from_db()
        assert service.status == Status.PUBLISHED  # nothing changed


def test_audit_history_is_shown_in_the_admin(client, admin_session, alice, organisation):
    service = ServiceFactory(organisation=organisation, name_el="Παλιό")
    client.force_login(alice)
    client.post(reverse("service_dashboard:edit", args=[service.pk]), form_data(name_el="Νέο"))
    admin_session.post(
        reverse("admin:core_changeset_change", args=[ChangeSet.objects.get().pk]), {"approve": "1"}
    )
    html = admin_session.get(
        reverse("admin:services_service_change", args=[service.pk])
    ).content.decode()
    assert "Παλιό → Νέο" in html
    assert "alice" in html


@pytest.mark.parametrize("url", ["/dashboard/", "/dashboard/organisation/", "/dashboard/editors/"])
def test_dashboard_pages_are_never_cached(client, alice, url):
    client.force_login(alice)
    control = client.get(url)["Cache-Control"]
    assert "private" in control and "no-store" in control


def test_a_confidential_service_on_the_organisations_public_street_is_warned(
    client, alice, organisation
):
    organisation.address_el = "Φωκίωνος Νέγρη 12, 11361 Αθήνα"
    organisation.save()
    client.force_login(alice)
    data = {**form_data(address_el="ΦΩΚΙΩΝΟΣ ΝΕΓΡΗ 5"), "address_confidential": "on"}
    response = client.post(reverse("service_dashboard:create"), data, follow=True)
    assert (
        "προφίλ του οργανισμού σας δείχνει διεύθυνση στον ίδιο δρόμο" in response.content.decode()
    )
    elsewhere = {**form_data(address_el="Πατησίων 300"), "address_confidential": "on"}
    response = client.post(reverse("service_dashboard:create"), elsewhere, follow=True)
    assert "στον ίδιο δρόμο" not in response.content.decode()


def test_djangos_own_strings_on_the_form_are_in_greek(client, alice):
    client.force_login(alice)
    html = client.get(reverse("service_dashboard:create")).content.decode()
    assert "- Επιλέξτε -" in html and "Select an option" not in html
