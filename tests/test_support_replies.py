"""Replies through the portal: relayed both ways with nobody's address ever shown, refused
when bad, flooding, off the board or closed, and their personal data purged after."""

import io
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.utils import timezone

from accmr.core.models import Status
from support.models import Conversation, Message, SupportPost

from .board import BOARD, confirm, post, reply, shown, supporter
from .factories import OrganisationFactory, member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_wait")]


def test_a_reply_is_relayed_both_ways_and_nobody_sees_an_address(client, send):
    ngo = OrganisationFactory(email="office@ngo.example.org")
    member("editor", ngo)
    request = post("Κουβέρτες για τον χειμώνα", by=ngo)
    response = send(client, request.get_absolute_url(), reply())
    assert response.status_code == 302
    (to_replier,) = mail.outbox  # a link to confirm the address: nothing relayed yet
    assert to_replier.to == ["maria@example.net"]
    assert "office@ngo.example.org" not in to_replier.body
    mail.outbox.clear()
    replier_page = confirm(client, send, to_replier)
    (to_poster,) = mail.outbox
    assert set(to_poster.to) == {"office@ngo.example.org", "editor@example.org"}
    assert "Έχω είκοσι κουβέρτες" in to_poster.body
    assert "maria@example.net" not in to_poster.body + to_poster.subject
    assert to_poster.reply_to == [] and to_poster.from_email != "maria@example.net"

    # The poster answers from the dashboard.
    editor = client.__class__()
    editor.force_login(ngo.memberships.get().user)
    talk = Conversation.objects.get()
    page = editor.get(f"/dashboard/support/{request.pk}/conversations/").content.decode()
    assert "Έχω είκοσι κουβέρτες" in page and "maria@example.net" not in page
    mail.outbox.clear()
    send(
        editor,
        f"/dashboard/support/{request.pk}/conversations/",
        {"conversation": talk.pk, f"c{talk.pk}-message": "Ελάτε την Τρίτη στις 10."},
    )
    (answer,) = mail.outbox
    assert answer.to == ["maria@example.net"]
    assert "Ελάτε την Τρίτη" in answer.body
    assert "editor@example.org" not in answer.body and "office@" not in answer.body

    # The replier answers through the link; the poster's team is told.
    mail.outbox.clear()
    page = client.get(replier_page).content.decode()
    assert "Ελάτε την Τρίτη" in page and "editor@example.org" not in page
    send(client, replier_page, {"message": "Ευχαριστώ, θα έρθω."})
    (back,) = mail.outbox
    assert "Ευχαριστώ, θα έρθω." in back.body and "maria@example.net" not in back.body
    assert [m.from_poster for m in talk.messages.all()] == [False, True, False]
    talk.refresh_from_db()
    assert talk.awaiting_poster


def test_bad_replies_get_clear_messages_and_store_nothing(client, send, settings):
    entry = post("Κουβέρτες")
    url = entry.get_absolute_url()
    cases = {
        "empty message": reply(message=""),
        "20,000 characters": reply(message="α" * 20000),
        "invalid e-mail": reply(email="not-an-address"),
        "no consent": reply(consent=""),
        "sent too fast": reply(shown=shown(seconds_ago=0)),
        "forged timing": reply(shown="forged"),
    }
    settings.HUMAN_CHECK_SECONDS = 3
    for case, data in cases.items():
        response = send(client, url, data)
        assert response.status_code == 400, case
        assert response.context["form"].errors, case
    html = send(client, url, reply(message="α" * 20000)).content.decode()
    assert "20000" in html and "5000" in html  # says how long, and the limit
    assert "α" * 100 in html  # what was typed is kept
    assert not Conversation.objects.exists() and not mail.outbox

    # A bot that fills the hidden field is thanked and nothing is kept.
    assert send(client, url, reply(website="http://spam.example")).status_code == 302
    assert not Conversation.objects.exists() and not mail.outbox


def test_a_post_off_the_board_or_a_forged_one_takes_no_reply(client, send):
    expired = post("Έληξε", expires_on=timezone.localdate() - timedelta(days=1))
    response = send(client, expired.get_absolute_url(), reply())
    assert response.status_code == 410
    assert "δεν δέχεται" in response.content.decode() or "no longer" in response.content.decode()
    assert not Conversation.objects.exists()
    pending = post("Σε έλεγχο", status=Status.PENDING)
    assert send(client, pending.get_absolute_url(), reply()).status_code == 404
    for forged in ("/support/999999/", "/support/99999999999999999999999/", "/support/abc/"):
        assert client.get(forged).status_code == 404
        assert send(client, forged, reply()).status_code == 404
    assert client.get("/support/conversation/forged-token/").status_code == 404
    assert (
        client.get(
            f"/support/conversation/{signing.dumps('x', salt='support.conversation')}/"
        ).status_code
        == 404
    )
    assert not Conversation.objects.exists() and not mail.outbox


def test_reply_floods_are_refused_per_address_and_per_sender_keeping_the_text(
    client, send, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "reply": (2, 3600)}
    entry = post("Κουβέρτες")
    url = entry.get_absolute_url()
    assert send(client, url, reply()).status_code == 302
    assert send(client, url, reply(email="other@example.net")).status_code == 302
    response = send(client, url, reply(message="Τρίτο μήνυμα"))
    assert response.status_code == 429
    assert "Τρίτο μήνυμα" in response.content.decode()
    assert Conversation.objects.count() == 2
    # The same sender from another address is still counted by its e-mail.
    elsewhere = client.__class__(REMOTE_ADDR="10.9.9.9")
    for _ in range(2):
        send(elsewhere, url, reply(email="third@example.net"))
    assert send(elsewhere, url, reply(email="third@example.net")).status_code == 429


def test_a_poster_answers_from_the_dashboard_not_its_own_posts_form(client, send):
    ngo = OrganisationFactory()
    client.force_login(member("editor", ngo))
    entry = post("Κουβέρτες", by=ngo)
    page = client.get(entry.get_absolute_url()).content.decode()
    assert f"/dashboard/support/{entry.pk}/conversations/" in page
    assert 'name="message"' not in page
    assert send(client, entry.get_absolute_url(), reply()).status_code == 400
    assert not Conversation.objects.exists() and not mail.outbox


def test_a_conversation_closes_with_its_post(client, send):
    entry = post("Κουβέρτες")
    send(client, entry.get_absolute_url(), reply())
    link = confirm(client, send, mail.outbox[-1])
    entry.state = SupportPost.State.CLOSED
    entry.save()
    mail.outbox.clear()
    response = send(client, link, {"message": "Ακόμα το χρειάζεστε;"})
    assert response.status_code == 400
    assert "η συνομιλία έκλεισε" in response.content.decode()
    assert Message.objects.count() == 1 and not mail.outbox


def test_no_public_page_shows_a_posters_or_repliers_address_or_phone(client, send):
    ngo = OrganisationFactory(email="", phone="")
    editor = member("ngo-editor", ngo)
    person = supporter("Ελένη Κ.", email="eleni.private@example.net")
    request = post("Κουβέρτες για τον χειμώνα", by=ngo)
    offer = post("Δίνω κουβέρτες", kind="offer", by=person)
    send(
        client,
        request.get_absolute_url(),
        reply(email="replier@example.net", message="Καλέστε με στο 6944123456."),
    )
    secrets = [
        "ngo-editor@example.org",
        editor.email,
        "eleni.private@example.net",
        "replier@example.net",
        "6944123456",
    ]
    pages = [
        "/",
        "/en/",
        BOARD,
        f"/en{BOARD}",
        request.get_absolute_url(),
        offer.get_absolute_url(),
        f"/en{offer.get_absolute_url()}",
        f"{BOARD}?format=csv",
        "/members/",
        f"/members/{ngo.slug}/",
    ]
    anonymous = client.__class__()
    for url in pages:
        body = anonymous.get(url).content.decode("utf-8-sig", errors="replace")
        for secret in secrets:
            assert secret not in body, (url, secret)


def test_replies_personal_data_are_purged_a_set_time_after_the_post_leaves_the_board(settings):
    closed = post("Έκλεισε", state="closed")
    closed.closed_at = timezone.now() - timedelta(days=91)
    closed.save()
    recent = post("Πρόσφατο", state="closed")
    recent.closed_at = timezone.now() - timedelta(days=10)
    recent.save()
    archived = post("Αρχειοθετήθηκε", status=Status.ARCHIVED)
    SupportPost.objects.filter(pk=archived.pk).update(closed_at=timezone.now() - timedelta(days=91))
    for entry in (closed, recent, archived):
        talk = Conversation.objects.create(
            post=entry, name="Μαρία", email="maria@example.net", confirmed_at=timezone.now()
        )
        Message.objects.create(conversation=talk, body="Τηλέφωνο 6900000000")
    settings.SUPPORT_PURGE_DAYS = 90
    call_command("purge_support_personal_data", stdout=(out := io.StringIO()))
    assert "2 conversation" in out.getvalue()
    gone = Conversation.objects.get(post=closed)
    kept = Conversation.objects.get(post=recent)
    assert (gone.name, gone.email, gone.messages.count()) == ("", "", 0)
    assert gone.purged_at is not None
    assert kept.email == "maria@example.net" and kept.messages.count() == 1
    assert Conversation.objects.get(post=archived).email == ""
