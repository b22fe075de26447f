"""The support board in a real browser: a resident offers blankets, an NGO that needs
them finds the offer among its request's matches and writes; no address is ever shown."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accmr.core.actions import review_entries
from accmr.core.models import Status
from accmr.members.models import Membership
from accmr.taxonomy.models import District
from support.models import SupportPost
from tests.factories import OrganisationFactory, UserFactory

from .pages import log_in, open_mailed_link, sign_up_as_a_private_supporter, submit, write_a_reply

pytestmark = pytest.mark.browser
PASSWORD = "a-long-pass-phrase-2026"
SUPPORTER_EMAIL = "resident@example.net"
NGO_EDITOR_EMAIL = "editor@kitchen.example.org"


def blankets_in_the_3rd(page, kind: str, title: str, description: str):
    """Fill the post form: blankets in the 3rd district (submitted by the caller)."""
    page.get_by_label(kind, exact=True).check()
    page.get_by_label("Τίτλος (ελληνικά)").fill(title)
    page.get_by_label("Περιγραφή (ελληνικά)").fill(description)
    page.get_by_label("Είδη & υπηρεσίες › Σεντόνια, πετσέτες, κουβέρτες").check()
    district = District.objects.get(slug="3")
    page.get_by_label("Δημοτική κοινότητα").select_option(value=str(district.pk))


def a_trusted_kitchen() -> str:
    """A trusted NGO with no public address, and its admin; returns the admin's login."""
    kitchen = OrganisationFactory(name_el="Κοινωνική Κουζίνα", trusted=True, email="", phone="")
    editor = UserFactory(username=NGO_EDITOR_EMAIL, email=NGO_EDITOR_EMAIL, first_name="Άννα")
    editor.set_password(PASSWORD)
    editor.save()
    Membership.objects.create(user=editor, organisation=kitchen, role=Membership.Role.ADMIN)
    return NGO_EDITOR_EMAIL


def published_by_a_moderator(entry) -> None:
    review_entries(
        type(entry).objects.filter(pk=entry.pk),
        status=Status.PUBLISHED,
        by=UserFactory(username="moderator", is_staff=True),
    )


def no_address_on(page, seen: list):
    """Keep the page's text to check later that no address was ever on it."""
    seen.append((page.url, page.content()))


def none_shown(seen: list, *secrets: str) -> None:
    for url, html in seen:
        for secret in secrets:
            assert secret not in html, (url, secret)


def test_a_supporters_offer_is_found_by_an_ngo_that_writes_through_the_portal(
    page, committed_db, settings
):
    settings.HUMAN_CHECK_SECONDS = 0
    seen = []
    page.set_viewport_size({"width": 390, "height": 844})

    # A resident signs up as a private individual and confirms the address…
    sign_up_as_a_private_supporter(
        page, name="Ελένη Καραγιάννη", email=SUPPORTER_EMAIL, password=PASSWORD
    )
    expect(page.locator("h1")).to_have_text("Η εγγραφή καταχωρίστηκε")
    open_mailed_link(page, mail.outbox[-1], to="/accounts/confirm/")
    log_in(page, SUPPORTER_EMAIL, PASSWORD)

    # …and offers blankets in the 3rd district, which the City publishes.
    page.goto(page.base + "/dashboard/")
    page.get_by_role("link", name="Ανάρτηση προσφοράς ή αιτήματος").click()
    blankets_in_the_3rd(page, "Προσφορά", "Δίνω κουβέρτες", "Δέκα κουβέρτες, πλυμένες.")
    submit(page, re.compile("Υποβολή"))
    expect(page.locator(".message").first).to_contain_text("ο Δήμος θα το ελέγξει")
    offer = SupportPost.objects.get()
    assert offer.status == Status.PENDING and offer.district.slug == "3"
    published_by_a_moderator(offer)
    page.context.clear_cookies()

    # A trusted NGO posts its request for blankets in the 3rd district.
    log_in(page, a_trusted_kitchen(), PASSWORD)
    page.goto(page.base + "/dashboard/support/new/")
    blankets_in_the_3rd(page, "Αίτημα", "Κουβέρτες για άστεγους", "Χρειαζόμαστε 60 κουβέρτες.")
    page.get_by_label("Επείγον", exact=True).check()
    submit(page, "Δημοσίευση")
    request = SupportPost.objects.get(kind="request")
    assert request.status == Status.PUBLISHED

    # Its request shows the resident's offer as a suggested match; it writes.
    page.goto(page.base + request.get_absolute_url())
    no_address_on(page, seen)
    matches = page.locator("section", has=page.locator("#matches-title"))
    matches.get_by_role("link", name="Δίνω κουβέρτες").click()
    no_address_on(page, seen)
    expect(page.locator(".provider")).to_have_text("Ιδιώτης")
    expect(page.get_by_label("Το e-mail σας")).to_have_value(NGO_EDITOR_EMAIL)
    mail.outbox.clear()
    write_a_reply(page, "Θα μας βοηθούσαν πολύ. Μπορείτε την Τρίτη;")
    expect(page.locator(".message").first).to_contain_text("Το μήνυμά σας στάλθηκε")
    no_address_on(page, seen)

    # The resident receives the relayed message; neither side's address travels.
    (relayed,) = [m for m in mail.outbox if SUPPORTER_EMAIL in m.to]
    assert "Μπορείτε την Τρίτη;" in relayed.body
    assert NGO_EDITOR_EMAIL not in relayed.body + relayed.subject
    assert relayed.reply_to == [] and relayed.from_email != NGO_EDITOR_EMAIL

    # The NGO's editor saw only its own address (in its own reply form), never the
    # resident's; a visitor sees neither.
    none_shown(seen, SUPPORTER_EMAIL, "Καραγιάννη")
    seen.clear()
    page.context.clear_cookies()
    for url in (
        "/",
        "/support/",
        "/en/support/",
        offer.get_absolute_url(),
        request.get_absolute_url(),
    ):
        page.goto(page.base + url)
        no_address_on(page, seen)
    none_shown(seen, SUPPORTER_EMAIL, NGO_EDITOR_EMAIL, "Καραγιάννη")


def test_a_visitors_reply_is_relayed_only_once_confirmed_from_the_mailed_link(
    page, committed_db, settings
):
    """An anonymous visitor writes; the mail to the address typed carries only a link;
    the link's page (its token gone from the address bar) relays the message on a click."""
    settings.HUMAN_CHECK_SECONDS = 0
    kitchen = OrganisationFactory(name_el="Κοινωνική Κουζίνα", email="office@kitchen.example.org")
    request = SupportPost.objects.create(
        organisation=kitchen,
        kind="request",
        title_el="Κουβέρτες για άστεγους",
        description_el="Χρειαζόμαστε 60 κουβέρτες.",
        status=Status.PUBLISHED,
        published_at=timezone.now(),
    )
    page.goto(page.base + request.get_absolute_url())
    mail.outbox.clear()
    write_a_reply(page, "Έχω είκοσι κουβέρτες.", name="Μαρία", email="maria@example.net")
    expect(page.locator(".message").first).to_contain_text("Σχεδόν έτοιμο")
    (confirmation,) = mail.outbox
    assert "Έχω είκοσι κουβέρτες" not in confirmation.body and "Μαρία" not in confirmation.body

    page.goto(page.base + re.search(r"/support/conversation/\S+", confirmation.body).group(0))
    page.wait_for_url(re.compile(r"/support/conversation/\d+/$"))
    expect(page.locator("h1")).to_have_text("Επιβεβαιώστε το μήνυμά σας")
    expect(page.locator(".messages-thread")).to_contain_text("Έχω είκοσι κουβέρτες.")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    assert len(mail.outbox) == 1  # opening the link relayed nothing
    page.get_by_role("button", name="Επιβεβαίωση και αποστολή του μηνύματος").click()
    expect(page.locator(".message").first).to_contain_text("το μήνυμά σας στάλθηκε")
    expect(page.locator("h1")).to_have_text("Η συνομιλία σας")
    (relayed,) = [m for m in mail.outbox if "office@kitchen.example.org" in m.to]
    assert "Έχω είκοσι κουβέρτες." in relayed.body
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize("width", [390, 1366])
def test_the_board_and_a_post_are_accessible_in_both_languages(page, demo, prefix, width):
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(page.base + prefix + "/support/")
    expect(page.locator(".card").first).to_be_visible()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # Results come before the filters on a phone.
    if width < 600:
        assert page.locator(".card").first.bounding_box()["y"] < 844
    page.locator(".card h3 a").first.click()
    # The post's own page, loaded with its styles (not the list's heading, still there).
    page.wait_for_url(re.compile(r"/support/\d+/$"))
    page.wait_for_load_state("networkidle")
    expect(page.locator("#reply-title")).to_be_visible()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
