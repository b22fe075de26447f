"""A poster's side of the board: the post form, the post's lifecycle, who may manage it,
and who hears of it (posters waiting for a match, the poster of an expired post)."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from accmr.core.models import Status
from accmr.taxonomy.models import District, SupportType
from support.models import Conversation, SupportPost

from .board import BOARD, post, supporter, titles
from .factories import OrganisationFactory, UserFactory, admin_approve, member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_wait")]


def test_a_post_needs_a_title_a_support_type_and_a_date_within_reach(client):
    ngo = OrganisationFactory()
    client.force_login(member("editor", ngo))
    response = client.post(
        "/dashboard/support/new/",
        {
            "kind": "request",
            "title_el": "",
            "title_en": "",
            "description_el": "",
            "description_en": "",
            "urgency": "normal",
            "expires_on": (timezone.localdate() + timedelta(days=400)).isoformat(),
        },
    )
    form = response.context["form"]
    assert set(form.errors) >= {"title_el", "description_el", "support_types", "expires_on"}
    assert not SupportPost.objects.exists()


def test_the_poster_marks_a_post_in_progress_fulfilled_or_closed(client):
    ngo = OrganisationFactory()
    client.force_login(member("editor", ngo))
    entry = post("Κουβέρτες", by=ngo)
    state_url = f"/dashboard/support/{entry.pk}/state/"
    client.post(state_url, {"state": "in_progress"})
    assert titles(client.get(BOARD)) == ["Κουβέρτες"]
    client.post(state_url, {"state": "fulfilled"})
    entry.refresh_from_db()
    assert entry.state == "fulfilled" and entry.closed_at is not None
    assert entry.status == Status.PUBLISHED  # the lifecycle is not moderation
    assert titles(client.get(BOARD)) == []
    assert "Ολοκληρώθηκε" in client.get(entry.get_absolute_url()).content.decode()
    response = client.post(state_url, {"state": "expired"}, follow=True)
    assert "Επιλέξτε" in response.content.decode()
    someone_else = post("Άλλου", by=OrganisationFactory())
    assert (
        client.post(f"/dashboard/support/{someone_else.pk}/state/", {"state": "closed"}).status_code
        == 404
    )
    assert client.get(f"/dashboard/support/{someone_else.pk}/conversations/").status_code == 404


def test_expired_posts_are_marked_and_their_posters_told(django_capture_on_commit_callbacks):
    ngo = OrganisationFactory(email="office@ngo.example.org")
    old = post("Παλιό", by=ngo, expires_on=timezone.localdate() - timedelta(days=1))
    current = post("Τρέχον")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("expire_support_posts", stdout=(out := io.StringIO()))
    assert out.getvalue() == "1 support post(s) expired.\n"
    old.refresh_from_db()
    current.refresh_from_db()
    assert old.state == "expired" and old.closed_at is not None
    assert current.state == "open"
    (told,) = mail.outbox
    assert "office@ngo.example.org" in told.to and "Παλιό" in told.subject


def test_posters_who_asked_hear_of_a_new_matching_post(client, send):
    waiting = OrganisationFactory(email="office@shelter.example.org")
    post("Κουβέρτες", by=waiting, notify_matches=True)
    post("Κι άλλες κουβέρτες", notify_matches=False)
    trusted = OrganisationFactory(trusted=True)
    client.force_login(member("giver", trusted))
    send(
        client,
        "/dashboard/support/new/",
        {
            "kind": "offer",
            "title_el": "Δίνουμε κουβέρτες",
            "description_el": "Σαράντα κουβέρτες.",
            "support_types": [SupportType.objects.get(slug="linen").pk],
            "district": District.objects.get(slug="3").pk,
            "urgency": "normal",
            "expires_on": (timezone.localdate() + timedelta(days=10)).isoformat(),
            "submit": "1",
        },
    )
    offer = SupportPost.objects.get(kind="offer")
    assert offer.status == Status.PUBLISHED
    (told,) = [m for m in mail.outbox if "office@shelter.example.org" in m.to]
    assert "Δίνουμε κουβέρτες" in told.body and offer.get_absolute_url() in told.body
    assert (
        len([m for m in mail.outbox if "new_match" in m.subject or "ταιριάζει" in m.subject]) == 1
    )


def test_a_moderators_approval_announces_the_post_too(
    client, moderator, django_capture_on_commit_callbacks
):
    waiting = OrganisationFactory(email="office@shelter.example.org")
    post("Κουβέρτες", by=waiting, notify_matches=True)
    offer = post("Δίνω κουβέρτες", kind="offer", by=supporter(), status=Status.PENDING)
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_approve(client, [offer], "/admin/support/supportpost/").status_code == 200
    offer.refresh_from_db()
    assert offer.status == Status.PUBLISHED
    assert any("office@shelter.example.org" in m.to for m in mail.outbox)
    # The moderators' list counts each post's conversations; it never shows them.
    Conversation.objects.create(post=offer, name="Μαρία", email="maria@example.net")
    listing = client.get("/admin/support/supportpost/?state__exact=open").content.decode()
    assert "Δίνω κουβέρτες" in listing and "maria@example.net" not in listing


@pytest.mark.parametrize(
    ("role", "conversations", "state", "edit"),
    [
        ("anonymous", 302, 302, 302),
        ("supporter", 404, 404, 404),
        ("other editor", 404, 404, 404),
        ("editor", 200, 302, 200),
        ("admin", 403, 403, 403),  # a superuser with no membership has no dashboard
    ],
)
def test_who_may_open_a_posts_conversations_state_and_edit(
    client, role, conversations, state, edit
):
    ngo = OrganisationFactory()
    entry = post("Κουβέρτες", by=ngo)
    users = {
        "supporter": lambda: supporter().memberships.get().user,
        "other editor": lambda: member("other", OrganisationFactory()),
        "editor": lambda: member("editor", ngo),
        "admin": lambda: UserFactory(username="root", is_staff=True, is_superuser=True),
    }
    if role in users:
        client.force_login(users[role]())
    assert client.get(f"/dashboard/support/{entry.pk}/conversations/").status_code == conversations
    assert (
        client.post(f"/dashboard/support/{entry.pk}/state/", {"state": "closed"}).status_code
        == state
    )
    assert client.get(f"/dashboard/support/{entry.pk}/edit/").status_code == edit
    entry.refresh_from_db()
    assert entry.state == ("closed" if role == "editor" else "open")
