"""Every reviewable object's admin page opens on its context and its decision: a pending
entry (of any type) and a pending registration have Approve and Reject with a reason, a
problem report has Resolve (its reporter is told); editors and moderators preview what
is not public yet."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accmr.core.actions import entry_version, file_report, record
from accmr.core.models import AuditEntry, Report, Status
from accmr.members.models import Membership, Organisation
from accmr.taxonomy.models import ActivityType
from activities.models import Activity, Session
from services.models import Service
from tests.kit.models import Programme

from .factories import OrganisationFactory, ServiceFactory, UserFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def decide(moderator_session, django_capture_on_commit_callbacks):
    """POST as the moderator, sending what waits for the commit (the mail)."""

    def post(url, data, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return moderator_session.post(url, data, **kwargs)

    return post


@pytest.fixture
def pending_service(organisation):
    organisation.email = "info@kem.example.org"
    organisation.save()
    return ServiceFactory(
        organisation=organisation,
        name_el="Νομική συμβουλευτική στα Πατήσια",
        name_en="Legal advice in Patisia",
        status=Status.PENDING,
        submitted_at=timezone.now() - timedelta(hours=3),
    )


def change_page(entry) -> str:
    opts = entry._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[entry.pk])


def decide_url(entry, name="decide") -> str:
    opts = entry._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{name}", args=[entry.pk])


def panel(html: str) -> str:
    """The decision panel at the top of a change page."""
    found = re.search(r'<section class="module decision".*?</section>', html, re.S)
    assert found, "no decision panel"
    return found.group(0)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# Entries


def test_a_pending_entrys_page_opens_on_who_submitted_it_a_preview_and_the_decision(
    moderator_session, pending_service
):
    html = moderator_session.get(change_page(pending_service)).content.decode()
    top = panel(html)
    # Above the long change form, not inside it (a form cannot hold another).
    assert html.index(top) < html.index('id="service_form"')
    assert pending_service.organisation.name_el in top
    assert (
        reverse("admin:members_organisation_change", args=[pending_service.organisation.pk]) in top
    )
    assert reverse("service_dashboard:preview", args=[pending_service.pk]) in top
    assert 'name="approve"' in top and 'name="reject"' in top
    assert 'name="decision-reason"' in top and "csrfmiddlewaretoken" in top
    assert f'value="{entry_version(pending_service)}"' in top
    assert top.count(f'action="{decide_url(pending_service)}"') == 2
    # Only what waits for review has a decision to make.
    for status in (Status.DRAFT, Status.PUBLISHED, Status.REJECTED):
        Service.objects.filter(pk=pending_service.pk).update(status=status)
        assert (
            'class="module decision"'
            not in moderator_session.get(change_page(pending_service)).content.decode()
        )


def test_every_registered_type_gets_the_decision_on_its_page(moderator_session, organisation):
    programme = Programme.objects.create(
        organisation=organisation, title_el="Πρόγραμμα", status=Status.PENDING
    )
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(superuser)
    top = panel(client.get(change_page(programme)).content.decode())
    assert 'name="approve"' in top and f'action="{decide_url(programme)}"' in top


def test_approve_on_the_page_publishes_and_mails_exactly_as_the_bulk_action(
    decide, moderator, pending_service
):
    editor = member("eleni", pending_service.organisation, role=Membership.Role.ADMIN)
    seen = entry_version(pending_service)
    response = decide(decide_url(pending_service), {"approve": "1", "seen": seen}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("admin:services_service_changelist")
    assert messages_of(response) == [
        "Η καταχώριση «Νομική συμβουλευτική στα Πατήσια» δημοσιεύτηκε· ο οργανισμός της ενημερώνεται με e-mail."
    ]
    pending_service.refresh_from_db()
    assert pending_service.status == Status.PUBLISHED
    assert pending_service.reviewed_by == moderator and pending_service.published_at is not None
    audit = AuditEntry.objects.filter(object_id=pending_service.pk).get(
        action=AuditEntry.Action.STATUS
    )
    assert audit.user == moderator and audit.changes == {"status": ["pending", "published"]}
    (sent,) = mail.outbox
    assert set(sent.to) == {"info@kem.example.org", editor.email}
    assert "Νομική συμβουλευτική στα Πατήσια" in sent.subject
    assert pending_service.get_absolute_url() in sent.body


def test_reject_on_the_page_needs_a_reason_keeps_what_was_typed_and_tells_the_editors(
    decide, moderator, pending_service
):
    url, seen = decide_url(pending_service), entry_version(pending_service)
    empty = decide(url, {"reject": "1", "seen": seen, "decision-reason": "  "})
    assert empty.status_code == 400
    assert 'class="errorlist"' in empty.content.decode()
    too_long = "Λείπει η διεύθυνση. " * 120
    long_page = decide(url, {"reject": "1", "seen": seen, "decision-reason": too_long})
    assert long_page.status_code == 400 and too_long.strip() in long_page.content.decode()
    assert f'value="{seen}"' in long_page.content.decode()
    pending_service.refresh_from_db()
    assert pending_service.status == Status.PENDING and mail.outbox == []

    reason = "Λείπει η διεύθυνση του γραφείου."
    response = decide(url, {"reject": "1", "seen": seen, "decision-reason": reason}, follow=True)
    assert messages_of(response) == [
        "Η καταχώριση «Νομική συμβουλευτική στα Πατήσια» απορρίφθηκε· ο οργανισμός της ενημερώνεται με e-mail για τον λόγο."
    ]
    pending_service.refresh_from_db()
    assert (pending_service.status, pending_service.review_note) == (Status.REJECTED, reason)
    assert pending_service.reviewed_by == moderator
    (sent,) = mail.outbox
    assert sent.to == ["info@kem.example.org"] and reason in sent.body


def test_a_decision_on_an_entry_changed_since_the_page_was_opened_is_refused(
    decide, pending_service
):
    seen = entry_version(pending_service)
    Service.objects.filter(pk=pending_service.pk).update(phone="210 1234567")
    response = decide(decide_url(pending_service), {"approve": "1", "seen": seen}, follow=True)
    assert response.redirect_chain[-1][0] == change_page(pending_service)
    assert "άλλαξε" in messages_of(response)[0]
    pending_service.refresh_from_db()
    assert pending_service.status == Status.PENDING and mail.outbox == []


def test_a_second_decision_on_a_decided_entry_changes_nothing(decide, pending_service):
    seen = entry_version(pending_service)
    decide(decide_url(pending_service), {"approve": "1", "seen": seen})
    mail.outbox.clear()
    again = decide(
        decide_url(pending_service),
        {"reject": "1", "seen": seen, "decision-reason": "Διπλό"},
        follow=True,
    )
    assert "δεν περιμένει πια έλεγχο" in messages_of(again)[-1]
    pending_service.refresh_from_db()
    assert pending_service.status == Status.PUBLISHED and mail.outbox == []


def staff_viewer():
    user = UserFactory(username="viewer", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["view_service", "view_organisation"])
    )
    return user


def test_a_viewer_sees_the_context_but_cannot_decide(pending_service):
    client = Client()
    client.force_login(staff_viewer())
    top = panel(client.get(change_page(pending_service)).content.decode())
    assert pending_service.organisation.name_el in top and 'name="approve"' not in top
    seen = entry_version(pending_service)
    assert (
        client.post(decide_url(pending_service), {"approve": "1", "seen": seen}).status_code == 403
    )
    pending_service.refresh_from_db()
    assert pending_service.status == Status.PENDING


def test_deciding_needs_a_post_a_login_and_the_csrf_token(moderator, pending_service):
    url = decide_url(pending_service)
    assert Client().post(url, {"approve": "1"})["Location"].startswith("/admin/login/")
    checked = Client(enforce_csrf_checks=True)
    checked.force_login(moderator)
    assert checked.get(url)["Location"] == change_page(pending_service)
    seen = entry_version(pending_service)
    assert checked.post(url, {"approve": "1", "seen": seen}).status_code == 403
    pending_service.refresh_from_db()
    assert pending_service.status == Status.PENDING


# Registrations


@pytest.fixture
def registration(db):
    organisation = OrganisationFactory(
        name_el="Σύλλογος Αλληλεγγύης Πατησίων",
        email="info@patisia.example.org",
        approval=Organisation.Approval.PENDING,
    )
    user = UserFactory(
        username="nikos@patisia.example.org",
        email="nikos@patisia.example.org",
        first_name="Νίκος",
        last_name="Γεωργίου",
        is_active=False,
    )
    Membership.objects.create(user=user, organisation=organisation, role=Membership.Role.ADMIN)
    # A later editor is not who registered.
    member("later", organisation, role=Membership.Role.ADMIN)
    return organisation


def test_a_registrations_page_opens_on_who_registered_when_and_whether_they_confirmed(
    moderator_session, registration
):
    html = moderator_session.get(change_page(registration)).content.decode()
    top = panel(html)
    assert html.index(top) < html.index('id="organisation_form"')
    assert "Νίκος Γεωργίου" in top and 'href="mailto:nikos@patisia.example.org"' in top
    assert "later@example.org" not in top
    registered = date_format(timezone.localtime(registration.created_at), "DATETIME_FORMAT")
    assert f"<dd>{registered}</dd>" in top
    assert "Δεν έχει επιβεβαιωθεί ακόμη" in top
    assert 'name="approve"' in top and 'name="decision-reason"' in top

    registrant = registration.memberships.get(user__first_name="Νίκος").user
    type(registrant).objects.filter(pk=registrant.pk).update(is_active=True)
    top = panel(moderator_session.get(change_page(registration)).content.decode())
    assert "Επιβεβαιώθηκε" in top and "Δεν έχει επιβεβαιωθεί" not in top


def test_an_approved_organisation_shows_who_registered_but_no_decision(
    moderator_session, registration
):
    Organisation.objects.filter(pk=registration.pk).update(approval=Organisation.Approval.APPROVED)
    top = panel(moderator_session.get(change_page(registration)).content.decode())
    assert "Νίκος Γεωργίου" in top and 'name="approve"' not in top


def test_approving_a_registration_on_its_page_tells_the_organisation(
    decide, moderator, registration
):
    response = decide(decide_url(registration), {"approve": "1"}, follow=True)
    assert messages_of(response) == [
        "Ο οργανισμός «Σύλλογος Αλληλεγγύης Πατησίων» εγκρίθηκε και ενημερώνεται με e-mail."
    ]
    registration.refresh_from_db()
    assert registration.approval == Organisation.Approval.APPROVED
    assert AuditEntry.objects.filter(object_id=registration.pk, user=moderator).exists()
    (sent,) = mail.outbox
    assert "info@patisia.example.org" in sent.to


def test_rejecting_a_registration_on_its_page_needs_a_reason_and_tells_it_why(decide, registration):
    assert (
        decide(decide_url(registration), {"reject": "1", "decision-reason": ""}).status_code == 400
    )
    reason = "Δεν βρήκαμε τον σύλλογο στο μητρώο."
    response = decide(
        decide_url(registration), {"reject": "1", "decision-reason": reason}, follow=True
    )
    assert "απορρίφθηκε" in messages_of(response)[0]
    registration.refresh_from_db()
    assert (registration.approval, registration.approval_note) == (
        Organisation.Approval.REJECTED,
        reason,
    )
    (sent,) = mail.outbox
    assert reason in sent.body


def test_a_registration_decided_meanwhile_is_left_as_it_is(decide, registration):
    Organisation.objects.filter(pk=registration.pk).update(approval=Organisation.Approval.REJECTED)
    response = decide(decide_url(registration), {"approve": "1"}, follow=True)
    assert "αποφασίστηκε" in messages_of(response)[0]
    registration.refresh_from_db()
    assert registration.approval == Organisation.Approval.REJECTED and mail.outbox == []


# Problem reports


@pytest.fixture
def reported(service, django_capture_on_commit_callbacks):
    """An English visitor's report, with text a stranger chose, and the mails it sent."""
    with django_capture_on_commit_callbacks(execute=True):
        report = file_report(
            service,
            problem=Report.Problem.CONTACT,
            message="Call +44 20 0000 0000 now: http://phish.example.net/win",
            email="visitor@example.net",
            language="en",
        )
    mail.outbox.clear()
    return report


def test_a_reports_page_opens_on_its_entry_and_a_resolve_button(
    moderator_session, reported, service
):
    html = moderator_session.get(change_page(reported)).content.decode()
    top = panel(html)
    assert html.index(top) < html.index('id="report_form"')
    assert service.get_absolute_url() in top and change_page(service) in top
    assert 'name="resolve"' in top and 'name="decision-note"' in top
    assert "στα Αγγλικά" in top


def test_resolving_a_report_on_its_page_keeps_the_note_and_tells_the_reporter_in_their_language(
    decide, moderator_session, moderator, reported, service
):
    note = "Διορθώθηκε το τηλέφωνο με τον οργανισμό."
    response = decide(decide_url(reported, "resolve"), {"decision-note": note}, follow=True)
    assert messages_of(response) == [
        "Η αναφορά επιλύθηκε. Όποιος την έστειλε ενημερώνεται με e-mail."
    ]
    reported.refresh_from_db()
    assert reported.resolved_by == moderator and reported.resolution_note == note
    (sent,) = mail.outbox
    assert sent.to == ["visitor@example.net"]
    assert sent.subject == "Your report about “Greek lessons in Kypseli” was dealt with"
    assert f"/en{service.get_absolute_url()}" in sent.body
    # Only our text, the title and the link: not the stranger's words, nor the note.
    for stranger_or_ours in ("phish", "+44", note, "Διορθώθηκε"):
        assert stranger_or_ours not in sent.body and stranger_or_ours not in sent.subject
    assert len(re.findall(r"https?://\S+", sent.body)) == 1

    again = decide(decide_url(reported, "resolve"), {"decision-note": ""}, follow=True)
    assert "ήδη" in messages_of(again)[-1] and len(mail.outbox) == 1
    assert 'name="resolve"' not in panel(
        moderator_session.get(change_page(reported)).content.decode()
    )


def test_the_bulk_action_tells_the_reporter_too_and_a_report_without_address_mails_nobody(
    decide, reported, service
):
    anonymous = Report.objects.create(
        content_type=reported.content_type,
        object_id=service.pk,
        problem=Report.Problem.OTHER,
        message="Κλειστό.",
        language="el",
    )
    response = decide(
        "/admin/core/report/?state=open",
        {"action": "mark_resolved", "_selected_action": [reported.pk, anonymous.pk]},
        follow=True,
    )
    assert "2 αναφορές επιλύθηκαν" in response.content.decode()
    (sent,) = mail.outbox
    assert sent.to == ["visitor@example.net"]


def test_a_report_left_without_address_is_resolved_with_nobody_told(decide, service):
    report = Report.objects.create(
        content_type=ContentType.objects.get_for_model(Service),
        object_id=service.pk,
        problem=Report.Problem.OTHER,
        message="Κλειστό.",
        language="el",
    )
    response = decide(decide_url(report, "resolve"), {"decision-note": ""}, follow=True)
    assert messages_of(response) == ["Η αναφορά επιλύθηκε."]
    assert mail.outbox == []


# The audit history


def test_the_audit_historys_headings_are_in_athens_time_like_its_rows(moderator_session, service):
    entry = record(service, action=AuditEntry.Action.EDITED)
    AuditEntry.objects.filter(pk=entry.pk).update(at=datetime(2026, 12, 1, 6, 21, tzinfo=UTC))
    html = moderator_session.get(change_page(service)).content.decode()
    assert "2026-12-01 08:21" in html and "06:21" not in html


# Preview


@pytest.fixture
def pending_activity(organisation):
    activity = Activity.objects.create(
        organisation=organisation,
        title_el="Εργαστήρι ζωγραφικής για παιδιά",
        title_en="Painting workshop for children",
        activity_type=ActivityType.objects.get(slug="workshop"),
        status=Status.DRAFT,
    )
    starts = timezone.now() + timedelta(days=3)
    Session.objects.create(activity=activity, starts=starts, ends=starts + timedelta(hours=2))
    return activity


def preview_url(entry) -> str:
    return reverse(f"{entry._meta.model_name}_dashboard:preview", args=[entry.pk])


@pytest.mark.parametrize("entry_fixture", ["pending_service", "pending_activity"])
def test_an_editor_previews_an_entry_nobody_else_sees_yet(client, request, entry_fixture):
    entry = request.getfixturevalue(entry_fixture)
    client.force_login(member("eleni", entry.organisation))
    response = client.get(preview_url(entry))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Προεπισκόπηση — δεν είναι δημόσια" in html
    assert str(entry) in html
    assert "no-store" in response["Cache-Control"]
    # The public address stays closed to the editor (not staff) and to visitors.
    assert client.get(entry.get_absolute_url()).status_code == 404
    assert Client().get(entry.get_absolute_url()).status_code == 404


def test_an_editor_previews_in_english_under_en(client, pending_service):
    client.force_login(member("eleni", pending_service.organisation))
    html = client.get("/en" + preview_url(pending_service)).content.decode()
    assert "Preview — not public" in html and "Legal advice in Patisia" in html


def test_a_moderator_previews_a_pending_entry(moderator_session, pending_service):
    html = moderator_session.get(preview_url(pending_service)).content.decode()
    assert "Προεπισκόπηση — δεν είναι δημόσια" in html and "Νομική συμβουλευτική" in html


def test_a_preview_is_404_to_strangers_and_asks_visitors_to_log_in(client, pending_service):
    assert client.get(preview_url(pending_service))["Location"].startswith("/accounts/login/")
    client.force_login(member("stranger", OrganisationFactory()))
    assert client.get(preview_url(pending_service)).status_code == 404
    client.force_login(UserFactory(username="supporterless"))
    assert client.get(preview_url(pending_service)).status_code == 404
    client.force_login(UserFactory(username="plain-staff", is_staff=True))
    assert client.get(preview_url(pending_service)).status_code == 404


def test_the_dashboard_offers_preview_for_unpublished_entries_and_confirm_only_for_published(
    client, organisation, pending_service
):
    published = ServiceFactory(organisation=organisation, name_el="Δημοσιευμένη υπηρεσία")
    client.force_login(member("eleni", organisation))
    html = client.get("/dashboard/").content.decode()
    assert f'href="{preview_url(pending_service)}"' in html
    assert f'href="{preview_url(published)}"' not in html
    assert reverse("service_dashboard:verify", args=[published.pk]) in html
    assert reverse("service_dashboard:verify", args=[pending_service.pk]) not in html


def test_a_pending_entry_cannot_be_confirmed_as_still_accurate(client, pending_service):
    Service.objects.filter(pk=pending_service.pk).update(assured_date=None)
    client.force_login(member("eleni", pending_service.organisation))
    response = client.post(
        reverse("service_dashboard:verify", args=[pending_service.pk]), follow=True
    )
    assert "Μόνο μια δημοσιευμένη καταχώριση" in messages_of(response)[0]
    pending_service.refresh_from_db()
    assert pending_service.assured_date is None
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.VERIFIED).exists()
