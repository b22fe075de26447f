"""Supporters' light accounts: a resident or a company signs up, confirms and posts for
review; supporters are never listed as members, and a private individual is never named."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accmr.core.models import Status
from accmr.members.models import Organisation
from accmr.taxonomy.models import SupportType
from support.models import SupportPost

from .board import BOARD, post, supporter, titles

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_wait")]


def test_a_supporter_signs_up_confirms_and_posts_for_review(client, send):
    response = send(
        client,
        "/accounts/supporter/",
        {
            "supporter_kind": "individual",
            "name": "Νίκος Π.",
            "email": "Nikos@Example.net",
            "password1": "a-long-pass-phrase-2026",
            "password2": "a-long-pass-phrase-2026",
            "preferred_language": "el",
            "consent": "on",
        },
    )
    assert response.status_code == 200
    account = Organisation.objects.get(is_supporter=True)
    assert account.is_approved and not account.trusted
    assert account.actor_type.slug == "individual"
    link = re.search(r"/accounts/confirm/\S+", mail.outbox[-1].body).group(0)
    client.get(link)
    client.post(
        "/accounts/login/",
        {"username": "nikos@example.net", "password": "a-long-pass-phrase-2026"},
    )

    dashboard = client.get("/dashboard/").content.decode()
    assert "/dashboard/support/new/" in dashboard
    assert "/dashboard/services/new/" not in dashboard and "/dashboard/editors/" not in dashboard
    assert client.get("/dashboard/services/new/").status_code == 403
    assert client.get("/dashboard/activities/new/").status_code == 403

    response = send(
        client,
        "/dashboard/support/new/",
        {
            "kind": "offer",
            "title_el": "",
            "title_en": "A van on Saturdays",
            "description_el": "",
            "description_en": "I can move furniture on Saturdays.",
            "support_types": [SupportType.objects.get(slug="transport").pk],
            "district": "",
            "urgency": "normal",
            "expires_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "submit": "1",
        },
    )
    assert response.status_code == 302
    offer = SupportPost.objects.get()
    assert offer.status == Status.PENDING and offer.organisation == account
    assert titles(client.get(BOARD)) == []


def test_supporters_are_not_members(client):
    account = supporter("Ελένη Κ.")
    account.refresh_from_db()
    assert client.get(f"/members/{account.slug}/").status_code == 404
    assert "Ελένη" not in client.get("/members/").content.decode()
    assert client.get("/members/suggest.json", {"q": "Ελένη"}).json() == {"results": []}


def test_a_private_individual_is_never_named_and_a_company_is(client):
    person = supporter("Ελένη Καραγιάννη")
    company = supporter("Koukaki Market", kind="private-sector", email="shop@example.net")
    mine = post("Δίνω κουβέρτες", kind="offer", by=person)
    theirs = post("Δίνουμε τρόφιμα", kind="offer", by=company, types=["food"])
    board = client.get(BOARD).content.decode()
    page = client.get(mine.get_absolute_url()).content.decode()
    assert "Καραγιάννη" not in board + page
    assert "Ιδιώτης" in page or "Ένας ιδιώτης" in page
    assert "Koukaki Market" in client.get(theirs.get_absolute_url()).content.decode()
    # A search for the person's name does not find the post either.
    assert titles(client.get(BOARD, {"q": "Καραγιάννη"})) == []
