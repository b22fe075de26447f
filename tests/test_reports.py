"""A visitor reports a problem with an entry: it reaches its editors and the moderators,
and waits in the admin until someone resolves it; bots and floods are kept out."""

import re
import time

import pytest
from django.core import signing
from django.test import Client

from accmr.core.forms import HUMAN_SALT
from accmr.core.models import Report, Status

from .factories import ServiceFactory, member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_wait")]


def report_url(entry):
    return f"/report/services/{entry.pk}/"


def shown(seconds_ago: float = 60) -> str:
    return signing.dumps(time.time() - seconds_ago, salt=HUMAN_SALT)


def report(**changes):
    return {
        "problem": "contact",
        "message": "Το τηλέφωνο δεν απαντά· το σωστό είναι 210 0000000.",
        "email": "",
        "website": "",
        "shown": shown(),
        **changes,
    }


@pytest.mark.parametrize(
    ("prefix", "link", "heading"),
    [
        ("", "Αναφορά προβλήματος με αυτή την καταχώριση", "Αναφορά προβλήματος"),
        ("/en", "Report a problem with this entry", "Report a problem"),
    ],
)
def test_every_service_page_links_to_its_report_form(client, service, prefix, link, heading):
    url = service.get_absolute_url()
    page = client.get(prefix + url if prefix else url).content.decode()
    assert link in page
    assert f'href="{prefix}{report_url(service)}"' in page
    form = client.get(prefix + report_url(service)).content.decode()
    assert f"<h1>{heading}</h1>" in form
    assert 'name="website"' in form and 'name="shown"' in form


def test_a_report_reaches_the_editors_and_the_moderators_and_waits_in_the_admin(
    client, service, moderator, moderator_session, mailoutbox, send
):
    editor = member("eleni", service.organisation)
    service.organisation.email = "info@kem.example.org"
    service.organisation.save()
    response = send(client, report_url(service), report(email="visitor@example.org"))
    assert response.status_code == 302 and response["Location"] == service.get_absolute_url()
    thanks = client.get(response["Location"]).content.decode()
    assert "Ευχαριστούμε" in thanks

    stored = Report.objects.get()
    assert (stored.entry, stored.problem, stored.email) == (
        service,
        "contact",
        "visitor@example.org",
    )
    assert stored.resolved_at is None and stored.language == "el"
    to_team, to_moderators = sorted(mailoutbox, key=lambda m: "moderator@accmr.example.org" in m.to)
    assert set(to_team.to) == {"info@kem.example.org", editor.email}
    assert to_moderators.to == ["moderator@accmr.example.org"]
    for mail in mailoutbox:
        assert service.name_el in mail.subject
        assert "210 0000000" in mail.body and "visitor@example.org" in mail.body
        assert service.get_absolute_url() in mail.body
    assert "/admin/core/report/" in to_moderators.body and "/dashboard/" in to_team.body

    listed = moderator_session.get("/admin/core/report/", follow=True)
    assert listed.redirect_chain[-1][0].endswith("?state=open")
    assert "210 0000000" in listed.content.decode()
    resolved = moderator_session.post(
        "/admin/core/report/?state=open",
        {"action": "mark_resolved", "_selected_action": [stored.pk]},
        follow=True,
    )
    assert "1 αναφορά επιλύθηκε" in resolved.content.decode()
    stored.refresh_from_db()
    assert stored.resolved_at is not None and stored.resolved_by == moderator
    assert (
        "210 0000000"
        not in moderator_session.get("/admin/core/report/?state=open").content.decode()
    )


def test_an_english_visitor_is_thanked_in_english_and_the_editors_read_greek(
    client, service, mailoutbox, send
):
    member("eleni", service.organisation)
    response = send(client, "/en" + report_url(service), report(problem="closed"), follow=True)
    assert "Thank you" in response.content.decode()
    assert Report.objects.get().language == "en"
    (mail,) = mailoutbox  # no moderator has an address in this test
    assert "Δεν υπάρχει πια" in mail.body  # the organisation's language, Greek


@pytest.mark.parametrize(
    ("prefix", "changes", "message"),
    [
        ("", {"problem": ""}, "Επιλέξτε τι είναι λάθος."),
        ("", {"message": ""}, "Γράψτε τι είναι λάθος"),
        ("/en", {"email": "not an address"}, "Enter an e-mail address like name@example.org"),
        ("/en", {"shown": "forged"}, "Your report has not been sent yet. Please check it"),
    ],
)
def test_a_report_with_a_mistake_comes_back_with_what_was_typed(
    client, service, mailoutbox, send, prefix, changes, message
):
    data = report(**changes)
    response = send(client, prefix + report_url(service), data)
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    if data["message"]:
        assert "210 0000000" in page  # what was typed is still there
    assert not Report.objects.exists() and not mailoutbox


def test_a_report_sent_quicker_than_a_person_types_is_refused_until_resent(
    client, service, settings
):
    settings.HUMAN_CHECK_SECONDS = 3
    page = client.post(report_url(service), report(shown=shown(seconds_ago=0.5))).content.decode()
    assert "Η αναφορά σας δεν έχει σταλεί ακόμη. Ελέγξτε την και στείλτε την ξανά." in page
    assert "210 0000000" in page
    assert not Report.objects.exists()
    assert client.post(report_url(service), report(shown=shown(seconds_ago=5))).status_code == 302
    assert Report.objects.count() == 1


def test_a_bot_filling_the_hidden_field_is_thanked_and_nothing_is_kept(
    client, service, mailoutbox, send
):
    response = send(client, report_url(service), report(website="http://spam.example"))
    assert response.status_code == 302
    assert not Report.objects.exists() and not mailoutbox


def test_reports_sent_from_one_address_are_limited_and_a_refused_one_keeps_its_text(
    client, service, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "report": (2, 3600)}
    for _ in range(3):  # mistakes do not count
        assert client.post(report_url(service), report(message="")).status_code == 200
    statuses = [client.post(report_url(service), report()).status_code for _ in range(2)]
    assert statuses == [302, 302]
    refused = client.post(report_url(service), report())
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Πάρα πολλές αναφορές από εδώ" in page and "210 0000000" in page
    assert Report.objects.count() == 2
    assert Client(REMOTE_ADDR="198.51.100.7").post(report_url(service), report()).status_code == 302


def test_the_error_summary_links_to_the_first_radio_of_a_group(client, service):
    page = client.post(report_url(service), report(problem="")).content.decode()
    assert '<a href="#id_problem_0">' in page
    assert 'value=""' not in re.search(
        r'<div id="id_problem">.*?</div>\s*</fieldset>', page, re.S
    ).group(0)
    assert "λέει;:" not in page  # no colon after a question


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PENDING, Status.ARCHIVED])
def test_only_public_entries_can_be_reported(client, organisation, status):
    hidden = ServiceFactory(organisation=organisation, status=status)
    assert client.get(report_url(hidden)).status_code == 404
    assert client.post(report_url(hidden), report()).status_code == 404
    assert client.get("/report/nothing/1/").status_code == 404
    assert not Report.objects.exists()


def test_the_footer_gives_accmrs_address(client, settings):
    settings.CONTACT_EMAIL = "accmr@accmr.example.gr"
    for prefix, word in (("", "Επικοινωνία"), ("/en", "Contact")):
        page = client.get(prefix + "/").content.decode()
        assert re.search(rf'{word}: <a href="mailto:accmr@accmr.example.gr">', page)


def test_the_admin_index_counts_what_waits_newest_first(client, organisation, moderator):
    older = ServiceFactory(organisation=organisation, status=Status.PENDING, name_el="Παλιά")
    newer = ServiceFactory(organisation=organisation, status=Status.PENDING, name_el="Νέα")
    Report.objects.create(entry=older, problem="other", message="x")
    client.force_login(moderator)
    page = client.get("/admin/").content.decode()
    queue = page[page.index('id="review-queue"') : page.index('id="content-related"')]
    rows = dict(
        re.findall(r'<li><a href="[^"]+">([^<]+)</a><span class="count">(\d+)</span>', queue)
    )
    assert rows["Υπηρεσίες: νέες καταχωρίσεις σε αναμονή ελέγχου"] == "2"
    assert rows["Υπηρεσίες: ανοιχτές αναφορές προβλημάτων"] == "1"
    assert rows["Οργανισμοί σε αναμονή έγκρισης"] == "0"
    assert queue.index(newer.name_el) < queue.index(older.name_el)


def test_a_forms_anti_bot_token_works_once(client, service, mailoutbox, send):
    member("eleni", service.organisation)  # who the report is mailed to
    data = report()
    assert send(client, report_url(service), data).status_code == 302
    again = send(Client(REMOTE_ADDR="198.51.100.7"), report_url(service), data)  # replayed
    page = again.content.decode()
    assert again.status_code == 200
    assert "Αυτή η φόρμα έχει ήδη σταλεί μία φορά." in page
    assert "210 0000000" in page  # what was typed is kept
    assert Report.objects.count() == 1 and len(mailoutbox) == 1
    # The form shown again carries a fresh token: sending it on purpose works.
    fresh = re.search(r'name="shown" value="([^"]+)"', page).group(1)
    assert send(client, report_url(service), {**data, "shown": fresh}).status_code == 302
    assert Report.objects.count() == 2


def test_a_form_left_open_too_long_comes_back_with_what_was_typed(client, service, settings):
    settings.HUMAN_CHECK_MAX_MINUTES = 30
    response = client.post(report_url(service), report(shown=shown(seconds_ago=31 * 60)))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Η φόρμα ήταν ανοιχτή περισσότερο από 30 λεπτά" in page and "210 0000000" in page
    assert not Report.objects.exists()
    fresh = re.search(r'name="shown" value="([^"]+)"', page).group(1)
    resent = client.post(report_url(service), report(shown=fresh))
    assert resent.status_code == 302 and Report.objects.count() == 1
    assert (
        client.post(report_url(service), report(shown=shown(seconds_ago=29 * 60))).status_code
        == 302
    )
