"""Moderation in the admin checks Django's permissions: URL × role → what happens."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from accmr.core.actions import propose_change
from accmr.core.models import ChangeSet, Status
from accmr.core.permissions import MODERATORS
from accmr.members.models import Organisation

from .factories import OrganisationFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db
MODELS = [("core", "changeset"), ("services", "service"), ("members", "organisation")]


def staff(username, *actions):
    """A staff account with `actions` (view, change) on change-sets, services, organisations."""
    user = UserFactory(username=username, is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=[f"{action}_{model}" for action in actions for _app, model in MODELS]
        )
    )
    return user


@pytest.fixture
def as_role(moderator):
    """A client per role; the moderator's group is the one migrate keeps in step."""
    users = {
        "staff": staff("no-permission"),
        "viewer": staff("viewer", "view"),
        "moderator": moderator,
        "superuser": UserFactory(username="root", is_staff=True, is_superuser=True),
    }

    def login(role):
        client = Client()
        client.force_login(users[role])
        return client

    return login


ROLES = ["staff", "viewer", "moderator", "superuser"]


@pytest.fixture
def change_set(db):
    service = ServiceFactory(name_el="Παλιό όνομα", address_confidential=True)
    return propose_change(service, data={"name_el": "Νέο όνομα"}, by=None)


@pytest.mark.parametrize(
    ("role", "status", "shows_decision"),
    [
        ("staff", 403, False),
        ("viewer", 200, False),
        ("moderator", 200, True),
        ("superuser", 200, True),
    ],
)
def test_the_review_page_needs_view_and_offers_a_decision_only_with_change(
    as_role, change_set, role, status, shows_decision
):
    response = as_role(role).get(reverse("admin:core_changeset_change", args=[change_set.pk]))
    assert response.status_code == status
    html = response.content.decode()
    assert ('name="approve"' in html) is shows_decision


@pytest.mark.parametrize(
    ("role", "status", "applied"),
    [
        ("staff", 403, False),
        ("viewer", 403, False),
        ("moderator", 302, True),
        ("superuser", 302, True),
    ],
)
def test_only_a_moderator_may_approve_a_change(as_role, change_set, role, status, applied):
    url = reverse("admin:core_changeset_change", args=[change_set.pk])
    assert as_role(role).post(url, {"approve": "1"}).status_code == status
    change_set.refresh_from_db()
    assert (change_set.state == ChangeSet.State.APPROVED) is applied
    assert (change_set.entry.name_el == "Νέο όνομα") is applied


@pytest.mark.parametrize("role", ROLES)
def test_bulk_moderation_actions_need_the_change_permission(as_role, role):
    service = ServiceFactory(name_el="Δημοσιευμένη")
    organisation = OrganisationFactory(approval=Organisation.Approval.PENDING)
    # Another entry's change: archiving `service` would withdraw its own.
    change_set = propose_change(ServiceFactory(), data={"name_el": "Άλλο"}, by=None)
    client = as_role(role)
    for url, action, pk in [
        (reverse("admin:services_service_changelist"), "archive_selected", service.pk),
        (reverse("admin:members_organisation_changelist"), "approve", organisation.pk),
        (reverse("admin:core_changeset_changelist"), "approve_selected", change_set.pk),
    ]:
        response = client.post(url, {"action": action, ACTION_CHECKBOX_NAME: [pk]})
        assert response.status_code in (200, 302, 403), (url, response.status_code)
    service.refresh_from_db()
    organisation.refresh_from_db()
    change_set.refresh_from_db()
    allowed = role in ("moderator", "superuser")
    assert (service.status == Status.ARCHIVED) is allowed
    assert organisation.is_approved is allowed
    assert (change_set.state == ChangeSet.State.APPROVED) is allowed


def test_the_moderators_group_holds_exactly_what_moderation_needs():
    group = Group.objects.get(name=MODERATORS)
    held = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert held == {
        ("core", "view_changeset"),
        ("core", "change_changeset"),
        ("core", "view_auditentry"),
        ("core", "view_report"),
        ("core", "change_report"),
        ("core", "view_outgoingmail"),  # the mail's state, to send again what failed
        ("core", "change_outgoingmail"),
        ("members", "view_organisation"),
        ("members", "change_organisation"),
        ("services", "view_service"),
        ("services", "change_service"),
        ("services", "view_schedule"),  # the rows reviewed with an entry, read-only
        ("services", "view_closure"),
        ("activities", "view_activity"),
        ("activities", "change_activity"),
        ("activities", "view_session"),
        ("toolbox", "view_toolboxitem"),
        ("toolbox", "change_toolboxitem"),
        ("toolbox", "add_toolboxitem"),  # moderators publish outside publications
        ("support", "view_supportpost"),
        ("support", "change_supportpost"),
        ("kit", "view_programme"),  # the test-only entry type registers like any other
        ("kit", "change_programme"),
        ("kit", "view_session"),
    }


ADMIN_URLS = [
    # (URL name, args, status for: no permission, view-only, moderator, superuser)
    ("admin:index", [], (200, 200, 200, 200)),
    ("admin:services_service_changelist", [], (403, 200, 200, 200)),
    ("admin:services_service_add", [], (403, 403, 403, 200)),
    ("admin:toolbox_toolboxitem_add", [], (403, 403, 200, 200)),
    ("admin:members_organisation_changelist", [], (403, 200, 200, 200)),
    ("admin:core_changeset_changelist", [], (403, 200, 200, 200)),
    ("admin:core_report_changelist", [], (403, 403, 200, 200)),
    ("admin:core_outgoingmail_changelist", [], (403, 403, 200, 200)),
    ("admin:auth_user_changelist", [], (403, 403, 403, 200)),
    ("admin:auth_group_changelist", [], (403, 403, 403, 200)),
    ("admin:taxonomy_category_add", [], (403, 403, 403, 200)),
]


@pytest.mark.parametrize(("name", "args", "statuses"), ADMIN_URLS)
def test_admin_url_by_role(as_role, name, args, statuses):
    for role, status in zip(ROLES, statuses, strict=True):
        response = as_role(role).get(reverse(name, args=args), follow=True)
        assert response.status_code == status, (role, name, response.status_code)


@pytest.mark.parametrize(("role", "deletes"), [("moderator", False), ("superuser", True)])
def test_only_a_superuser_may_delete_an_entry(as_role, role, deletes):
    service = ServiceFactory()
    url = reverse("admin:services_service_delete", args=[service.pk])
    response = as_role(role).post(url, {"post": "yes"})
    assert response.status_code == (302 if deletes else 403)
    assert type(service).objects.filter(pk=service.pk).exists() is not deletes


def waiting(name: str, slug: str = ""):
    """A pending organisation (with a logo kept private) and its pending service."""
    from django.core.files.base import ContentFile

    from .test_uploads import picture

    organisation = OrganisationFactory(
        name_el=f"Οργανισμός {name}", approval=Organisation.Approval.PENDING
    )
    organisation.logo.save("logo.png", ContentFile(picture().read()), save=True)
    service = ServiceFactory(
        organisation=organisation, name_el=f"Υπηρεσία {name}", status=Status.PENDING, slug=slug
    )
    return organisation, service


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("staff", set()),
        ("viewer", {"organisation", "service", "change"}),  # view on those three models
        ("moderator", {"organisation", "service", "change", "report"}),
        ("superuser", {"organisation", "service", "change", "report"}),
    ],
)
def test_the_admin_front_page_lists_only_the_waiting_work_one_may_view(as_role, role, sees):
    from accmr.core.models import Report

    organisation, service = waiting("Αναμονής")
    propose_change(ServiceFactory(name_el="Δημοσιευμένη υπηρεσία"), data={"name_el": "x"}, by=None)
    Report.objects.create(entry=ServiceFactory(name_el="Αναφερθείσα υπηρεσία"), problem="contact")
    html = as_role(role).get(reverse("admin:index")).content.decode()
    shown = {
        "organisation": organisation.name_el in html,
        "service": service.name_el in html,
        "change": "Δημοσιευμένη υπηρεσία" in html,
        "report": "Αναφερθείσα υπηρεσία" in html,
    }
    assert {what for what, there in shown.items() if there} == sees
    assert ('id="review-queue"' in html) is bool(sees)


@pytest.mark.parametrize(
    ("role", "status"), [("staff", 404), ("viewer", 200), ("moderator", 200), ("superuser", 200)]
)
def test_an_unpublished_entry_and_private_uploads_need_the_view_permission(as_role, role, status):
    organisation, service = waiting("Ιδιωτικός", slug="pending-service")
    client = as_role(role)
    assert organisation.logo.url.startswith("/private-media/")
    assert client.get(organisation.logo.url).status_code == status
    page = client.get(service.get_absolute_url())
    assert page.status_code == status
    assert (service.name_el in page.content.decode()) is (status == 200)


def test_private_media_answers_only_for_a_file_something_refers_to(as_role):
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    storages["private"].save("logos/stray.png", ContentFile(b"\x89PNG"))
    assert as_role("superuser").get("/private-media/logos/stray.png").status_code == 404


def test_a_file_in_a_proposed_change_needs_the_view_permission_on_changes(as_role):
    from django.core.files.base import ContentFile

    from accmr.core.uploads import UploadStorage

    organisation = OrganisationFactory()
    name = UploadStorage().save("private/logos/proposed.png", ContentFile(b"\x89PNG"))
    propose_change(organisation, data={"logo": name}, by=None)
    url = UploadStorage().url(name)
    statuses = {role: as_role(role).get(url).status_code for role in ROLES}
    assert statuses == {"staff": 404, "viewer": 200, "moderator": 200, "superuser": 200}


def test_a_new_registration_is_mailed_only_to_those_who_may_approve_it(
    client, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    from .test_accounts import REGISTER, registration

    UserFactory(username="staff", email="staff@accmr.example.org", is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(REGISTER, registration())
    told = {address for m in mailoutbox for address in m.to}
    assert told == {"eleni@solidarity.example.org", "moderator@accmr.example.org"}
