"""A poster asking for a Somali interpreter in a real browser: the form asks for the
language once interpretation is ticked, and the matches are the offers in Somali."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from accmr.core.models import Status
from accmr.members.models import Membership
from accmr.taxonomy.models import District, Language, SupportType
from support.models import SupportPost
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.browser
PASSWORD = "a-long-pass-phrase-2026"
EDITOR_EMAIL = "editor@counselling.example.org"
INTERPRETATION = "Είδη & υπηρεσίες › Διερμηνεία – μετάφραση"


def offer(title_el, title_en, languages):
    entry = SupportPost.objects.create(
        organisation=OrganisationFactory(),
        kind=SupportPost.Kind.OFFER,
        title_el=title_el,
        title_en=title_en,
        description_el="Συνοδεύουμε ανθρώπους σε υπηρεσίες.",
        district=District.objects.get(slug="6"),
        status=Status.PUBLISHED,
    )
    entry.support_types.set(SupportType.objects.filter(slug="interpretation-translation"))
    entry.languages.set(Language.objects.filter(slug__in=languages))
    return entry


def test_a_request_for_a_somali_interpreter_asks_its_language_and_finds_somali_offers(
    page, committed_db
):
    offer("Διερμηνεία σε σομαλικά", "Interpreting in Somali", ["so", "ar"])
    offer("Διερμηνεία σε φαρσί", "Interpreting in Farsi", ["fa", "prs"])
    ngo = OrganisationFactory(name_el="Εστία Ψυχικής Υγείας", trusted=True)
    editor = UserFactory(username=EDITOR_EMAIL, email=EDITOR_EMAIL)
    editor.set_password(PASSWORD)
    editor.save()
    Membership.objects.create(user=editor, organisation=ngo, role=Membership.Role.ADMIN)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base + "/accounts/login/")
    page.get_by_label("E-mail").fill(EDITOR_EMAIL)
    page.get_by_label("Κωδικός πρόσβασης").fill(PASSWORD)
    page.get_by_role("button", name="Σύνδεση").click()
    page.goto(page.base + "/dashboard/support/new/")

    # The languages are not asked for blankets; they are for interpretation.
    languages = page.get_by_role("group", name=re.compile("Γλώσσες"))
    expect(languages).to_be_hidden()
    page.get_by_label("Αίτημα", exact=True).check()
    page.get_by_label("Τίτλος (ελληνικά)").fill("Διερμηνέας σομαλικών")
    page.get_by_label("Περιγραφή (ελληνικά)").fill("Κάθε Πέμπτη πρωί, για τρεις ώρες.")
    page.get_by_label(INTERPRETATION).check()
    expect(languages).to_be_visible()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # Sent without a language, the form says so and keeps what was typed.
    page.get_by_role("button", name="Δημοσίευση").click()
    expect(page.locator(".error-summary")).to_contain_text(
        "Επιλέξτε τουλάχιστον μία γλώσσα για «Διερμηνεία – μετάφραση»."
    )
    expect(page.get_by_label("Τίτλος (ελληνικά)")).to_have_value("Διερμηνέας σομαλικών")
    expect(page.get_by_label(INTERPRETATION)).to_be_checked()
    expect(languages).to_be_visible()
    page.locator(".error-summary a").first.click()
    expect(page.locator("#id_languages_0")).to_be_in_viewport()
    page.get_by_label(re.compile("Σομαλικά")).check()
    page.get_by_role("button", name="Δημοσίευση").click()
    expect(page.locator(".message").first).to_contain_text("Δημοσιεύθηκε")

    request = SupportPost.objects.get(kind=SupportPost.Kind.REQUEST)
    assert list(request.languages.values_list("slug", flat=True)) == ["so"]

    # Its page names the language, and its matches are the Somali offer only, with theirs.
    for prefix, label, somali, farsi in [
        ("", "Γλώσσες", "Σομαλικά", "Διερμηνεία σε φαρσί"),
        ("/en", "Languages", "Somali", "Interpreting in Farsi"),
    ]:  # the languages in the taxonomy's order, each in its own script too
        page.goto(page.base + prefix + request.get_absolute_url())
        expect(page.locator(".facts")).to_contain_text(label)
        expect(page.locator(".facts")).to_contain_text(somali)
        matches = page.locator("section", has=page.locator("#matches-title"))
        expect(matches.locator(".card")).to_have_count(1)
        expect(matches.locator(".card-languages")).to_contain_text(
            re.compile(rf"^{label}: .*{somali} \(Soomaali\)")
        )
        expect(matches).not_to_contain_text(farsi)
