"""E-mails speak the recipient's language from the subject on: a moderator's decision in
the owner's language whatever the moderator's, and a Greek greeting in the vocative."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from accmr.core.actions import review_entries
from accmr.core.models import Status
from accmr.core.vocative import vocative
from accmr.members.actions import send_confirmation
from services.models import Service

from .factories import OrganisationFactory, ServiceFactory, UserFactory, admin_approve

pytestmark = pytest.mark.django_db

LATIN = re.compile(r"[A-Za-z]{3,}")
GREEK = re.compile(r"[Α-Ωα-ωΆ-ώ]{3,}")


def pending_service(language: str, **names) -> Service:
    owner = OrganisationFactory(email="owner@example.org", preferred_language=language)
    names = names or {"name_el": "Νομική ενημέρωση για αιτούντες άσυλο", "name_en": "Asylum law"}
    return ServiceFactory(organisation=owner, status=Status.PENDING, **names)


@pytest.mark.parametrize(
    ("language", "status", "subject", "body"),
    [
        (
            "el",
            Status.PUBLISHED,
            "Δημοσιεύθηκε: «Νομική ενημέρωση για αιτούντες άσυλο»",
            "Ο Δήμος Αθηναίων ενέκρινε την καταχώριση «Νομική ενημέρωση για αιτούντες άσυλο»",
        ),
        (
            "en",
            Status.PUBLISHED,
            "Published: “Asylum law”",
            "The City of Athens approved “Asylum law”",
        ),
        (
            "el",
            Status.REJECTED,
            "Δεν δημοσιεύθηκε: «Νομική ενημέρωση για αιτούντες άσυλο»",
            "Ο Δήμος Αθηναίων δεν δημοσίευσε",
        ),
        (
            "en",
            Status.REJECTED,
            "Not published: “Asylum law”",
            "The City of Athens did not publish",
        ),
    ],
)
def test_a_decision_is_mailed_wholly_in_the_owners_language_whatever_the_moderators(
    admin_user, mailoutbox, django_capture_on_commit_callbacks, language, status, subject, body
):
    service = pending_service(language)
    moderators_language = "en" if language == "el" else "el"
    with (
        translation.override(moderators_language),
        django_capture_on_commit_callbacks(execute=True),
    ):
        review_entries(Service.objects.filter(pk=service.pk), status=status, by=admin_user)
    (mail,) = mailoutbox
    assert mail.subject == subject
    assert body in mail.body
    other_script = LATIN if language == "el" else GREEK
    assert not other_script.search(mail.subject), mail.subject
    assert not other_script.search(re.sub(r"https?://\S+", "", mail.body)), mail.body


def test_a_moderator_in_the_english_admin_publishes_and_the_greek_owner_reads_greek(
    admin_client, mailoutbox, django_capture_on_commit_callbacks
):
    service = pending_service("el")
    with django_capture_on_commit_callbacks(execute=True):
        admin_approve(admin_client, [service], changelist="/en/admin/services/service/")
    (mail,) = mailoutbox
    assert mail.subject == "Δημοσιεύθηκε: «Νομική ενημέρωση για αιτούντες άσυλο»"
    assert "/en/" not in mail.body


def test_a_title_only_in_greek_is_a_quoted_name_in_an_english_subject(
    admin_user, mailoutbox, django_capture_on_commit_callbacks
):
    # The entry has no English title: English falls back to the Greek one, which then reads
    # as the name it is, inside the subject's English.
    service = pending_service("en", name_el="Νομική ενημέρωση", name_en="")
    with django_capture_on_commit_callbacks(execute=True):
        review_entries(
            Service.objects.filter(pk=service.pk), status=Status.PUBLISHED, by=admin_user
        )
    assert mailoutbox[0].subject == "Published: “Νομική ενημέρωση”"


def sign_up(client, *, name: str, language: str):
    return client.post(
        "/accounts/supporter/" if language == "el" else "/en/accounts/supporter/",
        {
            "supporter_kind": "individual",
            "name": name,
            "email": "supporter@example.net",
            "password1": "a-long-pass-phrase-2026",
            "password2": "a-long-pass-phrase-2026",
            "preferred_language": language,
            "consent": "on",
        },
    )


@pytest.mark.parametrize(
    ("name", "language", "greeting"),
    [
        ("Γιώργος Παπαδόπουλος", "el", "Γεια σας Γιώργο,"),
        ("Φίλιππος Ζαχαρίου", "el", "Γεια σας Φίλιππε,"),
        ("Δημήτρης Αλεξίου", "el", "Γεια σας Δημήτρη,"),
        ("Μαρία Κ.", "el", "Γεια σας Μαρία,"),
        ("Ahmed Hassan", "el", "Γεια σας Ahmed,"),
        ("Γιώργος Παπαδόπουλος", "en", "Hello Γιώργος,"),
    ],
)
def test_mail_to_a_confirmed_address_greets_a_greek_first_name_in_the_vocative(
    client, mailoutbox, django_capture_on_commit_callbacks, name, language, greeting
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, name=name, language=language)
    # The confirmation goes to an address nobody has confirmed: it names no one, since
    # nothing a stranger typed may be mailed to an address they typed.
    (confirmation,) = mailoutbox
    assert confirmation.body.splitlines()[0] in ("Γεια σας,", "Hello,")
    assert name.split()[0] not in confirmation.body + confirmation.subject
    get_user_model().objects.filter(email="supporter@example.net").update(is_active=True)
    prefix = "" if language == "el" else "/en"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{prefix}/accounts/password/reset/", {"email": "supporter@example.net"})
    assert mailoutbox[-1].body.splitlines()[0] == greeting


@pytest.mark.parametrize(
    ("name", "called"),
    [
        # -ος: two syllables (spoken: Γιώρ-γος, Στέ-λιος) and pet names take -ο …
        ("Γιώργος", "Γιώργο"),
        ("Νίκος", "Νίκο"),
        ("Πέτρος", "Πέτρο"),
        ("Στέλιος", "Στέλιο"),
        ("Σταύρος", "Σταύρο"),
        ("Κυριάκος", "Κυριάκο"),
        ("Αλέκος", "Αλέκο"),
        # … longer names -ε, and an -ός stressed on its ending -έ.
        ("Φίλιππος", "Φίλιππε"),
        ("Θεόδωρος", "Θεόδωρε"),
        ("Αλέξανδρος", "Αλέξανδρε"),
        ("Κωνσταντίνος", "Κωνσταντίνε"),
        ("Αντώνιος", "Αντώνιε"),
        ("Ευάγγελος", "Ευάγγελε"),
        ("Στυλιανός", "Στυλιανέ"),
        # -ης, -ής, -ας, -άς lose their ς.
        ("Δημήτρης", "Δημήτρη"),
        ("Περικλής", "Περικλή"),
        ("Κώστας", "Κώστα"),
        ("Λουκάς", "Λουκά"),
        # Capitals, no accents, double names, stray spaces.
        ("ΓΙΩΡΓΟΣ", "ΓΙΩΡΓΟ"),
        ("ΦΙΛΙΠΠΟΣ", "ΦΙΛΙΠΠΕ"),
        ("Νικος", "Νικο"),
        ("Γιώργος-Ιωάννης", "Γιώργο-Ιωάννη"),
        (" Νίκος ", "Νίκο"),
        # Unchanged: women's names, undeclined endings, other alphabets, nothing.
        ("Μαρία", "Μαρία"),
        ("Ελένη", "Ελένη"),
        ("Δέσποινα", "Δέσποινα"),
        ("Ίρις", "Ίρις"),
        ("Πλάτων", "Πλάτων"),
        ("Ahmed", "Ahmed"),
        ("Nikos", "Nikos"),
        ("", ""),
    ],
)
def test_the_vocative_follows_the_grammars_rules(name, called):
    assert vocative(name) == called


def test_a_greeting_without_a_first_name_still_reads_right(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory(first_name="")
    with django_capture_on_commit_callbacks(execute=True):
        send_confirmation(user, language="el")
    assert mailoutbox[0].body.splitlines()[0] == "Γεια σας,"
