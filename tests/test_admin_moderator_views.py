"""What a moderator (in the Moderators group, not a superuser) reads on the admin's change
pages: the rows reviewed with an entry, a problem report's text in its panel, and the
audit behind the History button."""

from datetime import date, time, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from accmr.core.actions import record
from accmr.core.models import AuditEntry, Report, Status
from accmr.taxonomy.models import ActivityType
from activities.models import Activity, Session
from services.models import Closure, Schedule

from .factories import OrganisationFactory, ServiceFactory

pytestmark = pytest.mark.django_db
AUDIT_ANCHOR = "core-auditentry-content_type-object_id-group"


def change_page(client, entry) -> str:
    opts = entry._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[entry.pk])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def panel(html: str) -> str:
    """The decision panel at the top of a change page."""
    start = html.index('<section class="module decision"')
    return html[start : html.index("</section>", start)]


def test_a_moderator_reads_a_pending_services_opening_hours_and_closures(moderator_session):
    service = ServiceFactory(status=Status.PENDING)
    Schedule.objects.create(service=service, byday="MO,TU", opens_at=time(9), closes_at=time(17))
    Closure.objects.create(
        service=service,
        starts_on=date(2026, 8, 10),
        ends_on=date(2026, 8, 21),
        reason_el="Καλοκαιρινές διακοπές",
    )
    html = change_page(moderator_session, service)
    assert "Δευτέρα–Τρίτη 09:00–17:00" in html
    assert "MO,TU" not in html  # the days column in words too
    assert "Καλοκαιρινές διακοπές" in html
    # Read, not edited: the rows have no inputs of their own.
    assert 'name="schedules-0-opens_at"' not in html
    assert 'name="closures-0-starts_on"' not in html


def test_a_moderator_reads_a_pending_activitys_sessions(moderator_session):
    activity = Activity.objects.create(
        organisation=OrganisationFactory(),
        title_el="Εργαστήρι ζωγραφικής",
        title_en="Painting workshop",
        activity_type=ActivityType.objects.get(slug="workshop"),
        status=Status.PENDING,
    )
    starts = timezone.make_aware(timezone.datetime(2026, 9, 14, 18, 30))
    Session.objects.create(activity=activity, starts=starts, ends=starts + timedelta(hours=2))
    html = change_page(moderator_session, activity)
    assert "14/09/2026 18:30" in html
    assert 'name="sessions-0-starts_0"' not in html and 'name="sessions-0-starts"' not in html


@pytest.fixture
def report(db):
    service = ServiceFactory(name_el="Ιατρείο Κυψέλης")
    return Report.objects.create(
        content_type=ContentType.objects.get_for_model(service),
        object_id=service.pk,
        problem=Report.Problem.HOURS,
        message="Τα Σάββατα είναι κλειστά.\nΤο τηλέφωνο δεν απαντά.",
        language="el",
    )


def test_a_reports_panel_shows_what_the_reporter_wrote_above_its_button(moderator_session, report):
    html = change_page(moderator_session, report)
    top = panel(html)
    assert "Υπηρεσία: " in top  # the kind of entry
    assert f'href="{report.entry.get_absolute_url()}">Ιατρείο Κυψέλης</a>' in top
    assert "Οι μέρες ή οι ώρες είναι λάθος" in top
    details = "Τα Σάββατα είναι κλειστά.<br>Το τηλέφωνο δεν απαντά."
    assert top.index(details) < top.index('name="resolve"')


def test_a_report_has_no_save_buttons_nor_a_history_of_nothing(moderator_session, report):
    html = change_page(moderator_session, report)
    assert 'name="_save"' not in html and 'name="_continue"' not in html
    assert "historylink" not in html
    response = moderator_session.get(reverse("admin:core_report_history", args=[report.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:core_report_change", args=[report.pk])


@pytest.mark.parametrize("kind", ["service", "organisation"])
def test_the_history_button_opens_the_audit_on_the_change_page(moderator_session, kind):
    service = ServiceFactory()
    entry = service if kind == "service" else service.organisation
    record(entry, action=AuditEntry.Action.VERIFIED, note="Επιβεβαιώθηκε τηλεφωνικά")
    opts = entry._meta
    history = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[entry.pk])
    response = moderator_session.get(history)
    change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[entry.pk])
    assert response.status_code == 302
    assert response["Location"] == f"{change}#{AUDIT_ANCHOR}"
    html = change_page(moderator_session, entry)
    audit = html[html.index(f'id="{AUDIT_ANCHOR}"') :]
    assert "Επιβεβαιώθηκε τηλεφωνικά" in audit
