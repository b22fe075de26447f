from datetime import date, timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse

from accmr.core.models import Status
from accmr.members.models import Organisation
from accmr.taxonomy.models import ActorType, District
from services.models import Service

from .factories import NO_HOURS_ROWS, OrganisationFactory, ServiceFactory, admin_approve

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:services_service_changelist")
# The read-only audit history inline still posts its (empty) management form.
AUDIT_INLINE = {
    "core-auditentry-content_type-object_id-TOTAL_FORMS": 0,
    "core-auditentry-content_type-object_id-INITIAL_FORMS": 0,
    **NO_HOURS_ROWS,
}


def act(client, action, services, **extra):
    return client.post(
        CHANGELIST,
        {"action": action, ACTION_CHECKBOX_NAME: [s.pk for s in services], **extra},
        follow=True,
    )


def test_bulk_approve_publishes_and_records_the_reviewer(admin_client, admin_user):
    pending = [ServiceFactory(status=Status.PENDING) for _ in range(2)]
    page = act(admin_client, "approve_selected", pending).content.decode()
    assert "θα δημοσιευτούν όπως είναι τώρα" in page  # the moderator sees what they publish
    assert Service.objects.filter(status=Status.PENDING).count() == 2
    response = admin_approve(admin_client, pending)
    assert response.status_code == 200
    for service in pending:
        service.refresh_from_db()
        assert service.status == Status.PUBLISHED
        assert service.reviewed_by == admin_user and service.published_at and service.reviewed_at


def test_bulk_reject_asks_for_a_reason_first(admin_client):
    service = ServiceFactory(status=Status.PENDING)
    response = act(admin_client, "reject_selected", [service])
    assert "Αιτιολογία" in response.content.decode()
    service.refresh_from_db()
    assert service.status == Status.PENDING  # nothing changes before the reason is given

    response = act(admin_client, "reject_selected", [service], apply="1", reason="")
    service.refresh_from_db()
    assert service.status == Status.PENDING

    act(admin_client, "reject_selected", [service], apply="1", reason="Λείπει η διεύθυνση")
    service.refresh_from_db()
    assert service.status == Status.REJECTED
    assert service.review_note == "Λείπει η διεύθυνση"


def test_bulk_archive_hides_services_from_the_public(admin_client):
    service = ServiceFactory(slug="to-archive")
    act(admin_client, "archive_selected", [service])
    service.refresh_from_db()
    assert service.status == Status.ARCHIVED
    assert Client().get("/services/to-archive/").status_code == 404


@pytest.mark.parametrize(
    ("params", "listed"),
    [
        ({"status__exact": "published"}, "Μαθήματα Άλφα"),
        ({"category": "education"}, "Μαθήματα Άλφα"),
        ({"district__id__exact": "district-6"}, "Μαθήματα Άλφα"),
        ({"stale": "yes"}, "Μαθήματα Άλφα"),
        ({"stale": "no"}, "Οδοντίατρος Βήτα"),
        ({"q": "Άλφα"}, "Μαθήματα Άλφα"),
        ({"organisation__actor_type__id__exact": "greek-ngo"}, "Μαθήματα Άλφα"),
    ],
)
def test_service_changelist_filters_each_narrow_the_list(admin_client, params, listed):
    ServiceFactory(name_el="Μαθήματα Άλφα", assured_date=date.today() - timedelta(days=500))
    ServiceFactory(
        name_el="Οδοντίατρος Βήτα",
        status=Status.PENDING,
        categories=["dental"],
        district=District.objects.get(slug="1"),
        organisation=OrganisationFactory(
            actor_type=ActorType.objects.get(slug="international-ngo")
        ),
    )
    ids = {"district-6": District.objects.get(slug="6").pk}
    ids["greek-ngo"] = ActorType.objects.get(slug="greek-ngo").pk
    params = {key: str(ids.get(value, value)) for key, value in params.items()}
    html = admin_client.get(CHANGELIST, params).content.decode()
    shown = {name for name in ("Μαθήματα Άλφα", "Οδοντίατρος Βήτα") if f">{name}<" in html}
    assert shown == {listed}


def test_stale_filter_lists_services_unverified_for_a_year(admin_client):
    ServiceFactory(name_el="Παλιά", assured_date=date.today() - timedelta(days=500))
    ServiceFactory(name_el="Νέα")
    html = admin_client.get(CHANGELIST, {"stale": "yes"}).content.decode()
    assert "Παλιά" in html and "Νέα" not in html


def test_service_form_has_side_by_side_languages_and_a_point_picker(admin_client, service):
    html = admin_client.get(
        reverse("admin:services_service_change", args=[service.pk])
    ).content.decode()
    assert 'name="name_el"' in html and 'name="name_en"' in html
    assert "point-picker" in html and "js/point-picker." in html
    assert 'data-longitude-id="id_longitude"' in html


def test_admin_form_refuses_a_physical_service_without_a_point(admin_client, service):
    url = reverse("admin:services_service_change", args=[service.pk])
    response = admin_client.post(
        url,
        {
            "organisation": service.organisation.pk,
            "name_el": "Χωρίς σημείο",
            "slug": service.slug,
            "description_el": "Κείμενο",
            "categories": [c.pk for c in service.categories.all()],
            "location_type": "physical",
            "district": service.district.pk,
            "latitude": "",
            "longitude": "",
            "cost": "free",
            "status": "published",
            **AUDIT_INLINE,
        },
    )
    assert response.status_code == 200
    assert "χρειάζεται δημοτική κοινότητα και σημείο στον χάρτη" in response.content.decode()
    assert "ManagementForm" not in response.content.decode()
    service.refresh_from_db()
    assert service.name_el == "Μαθήματα ελληνικών στην Κυψέλη"


def test_admin_can_add_a_service_whose_slug_is_made_from_the_name(admin_client, organisation):
    response = admin_client.post(
        reverse("admin:services_service_add"),
        {
            "organisation": organisation.pk,
            "name_el": "Νέα Υπηρεσία Κυψέλης",
            "name_en": "",
            "slug": "",
            "description_el": "Κείμενο",
            "categories": [1],
            "location_type": "virtual",
            "cost": "free",
            "status": "published",
            **NO_HOURS_ROWS,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Service.objects.get(name_el="Νέα Υπηρεσία Κυψέλης")
    assert created.slug == "nea-ypiresia-kypselis"
    assert "νεα υπηρεσια κυψελησ" in created.search_text


def test_organisation_admin_approves_in_bulk_and_renaming_reindexes_services(admin_client):
    org = OrganisationFactory(approval=Organisation.Approval.PENDING)
    admin_client.post(
        reverse("admin:members_organisation_changelist"),
        {"action": "approve", ACTION_CHECKBOX_NAME: [org.pk]},
    )
    org.refresh_from_db()
    assert org.is_approved
    service = ServiceFactory(organisation=org)
    org.name_el = "Νέο Όνομα"
    url = reverse("admin:members_organisation_change", args=[org.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "logo"}
    data.update(
        name_el="Νέο Όνομα",
        actor_type=org.actor_type_id,
        activity_fields=[],
        **{"memberships-TOTAL_FORMS": 0, "memberships-INITIAL_FORMS": 0},
        **AUDIT_INLINE,
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    service.refresh_from_db()
    assert "νεο ονομα" in service.search_text


def test_taxonomy_slugs_are_read_only_once_created(admin_client):
    html = admin_client.get(reverse("admin:taxonomy_category_change", args=[1])).content.decode()
    assert 'name="slug"' not in html


def test_a_malformed_category_in_the_admin_list_matches_nothing_instead_of_failing(admin_client):
    ServiceFactory(name_el="Κάποια")
    assert admin_client.get(CHANGELIST).context["cl"].result_count == 1
    for value in ("\x00", "no-such-category", "%"):
        response = admin_client.get(CHANGELIST, {"category": value})
        assert response.status_code == 200, value
        assert response.context["cl"].result_count == 0, value
        assert "Κάποια" not in response.content.decode()
