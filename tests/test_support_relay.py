"""The support board cannot be turned into a mail relay (the hostile review, issue 21): a
reply is relayed only once its sender proves the address, and no mail to an address a
visitor typed carries anything the visitor wrote; limits count mailboxes, not spellings;
posters' answers and invitations are limited; every way a post leaves the board starts
the purge of its replies; conversation links expire and leave the address bar."""

import re
import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail, signing
from django.test import Client
from django.utils import timezone

from accmr.core.actions import review_entries, set_entry_status
from accmr.core.models import Status
from accmr.core.permissions import MODERATORS
from accmr.core.ratelimit import mailbox
from accmr.members.actions import set_approval
from accmr.members.models import Membership, Organisation
from support.access import SESSION_KEY
from support.actions import expire_posts, purge_personal_data, set_post_state
from support.models import CONVERSATION_SALT, Conversation, Message, SupportPost

from .board import post, reply, supporter
from .factories import OrganisationFactory, UserFactory, member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_wait")]
LINK = re.compile(r"/support/conversation/\S+")
PAGE = re.compile(r"^/support/conversation/\d+/$")


def link_in(message) -> str:
    return LINK.search(message.body).group(0)


def to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def relayed(talk: Conversation, *, confirmed=True) -> Conversation:
    """`talk` with a first message, as a reply whose sender confirmed it leaves it."""
    talk.confirmed_at = timezone.now() if confirmed else None
    talk.save()
    Message.objects.create(conversation=talk, body="Τηλέφωνο 6900000000")
    return talk


# --- 2. A reply is relayed only once its address is proven -------------------------------


def test_no_mail_to_an_address_a_visitor_typed_carries_anything_the_visitor_wrote(client, send):
    """Every support mail sent during an anonymous visitor's flows to the address they
    typed: the reply, opening its link (as a leaked one), confirming, answering, asking
    for a new link once it expired. None holds the visitor's name or message, and the
    poster hears nothing before the address is confirmed."""
    ngo = OrganisationFactory(email="office@ngo.example.org")
    entry = post("Κουβέρτες", by=ngo)
    victim = "victim+promo@example.net"
    typed = {
        "name": "Cheap pills at http://spam.example/name",
        "message": "BUY NOW http://spam.example/message ΦΘΗΝΑ ΦΑΡΜΑΚΑ",
        "answer": "Again http://spam.example/answer",
    }
    send(
        client,
        entry.get_absolute_url(),
        reply(email=victim, **{k: typed[k] for k in ("name", "message")}),
    )
    assert to(victim) and not to("office@ngo.example.org")  # nothing relayed yet
    link = link_in(to(victim)[-1])
    page = send(client, link, method="get")
    assert not to("office@ngo.example.org")  # opening the link (a mail scanner) relays nothing
    send(client, page.url, {"confirm": "1"})
    assert to("office@ngo.example.org")  # confirmed: relayed to the poster only
    send(client, page.url, {"message": typed["answer"]})
    # The link expired: a new one is mailed to the address given, and to no other.
    expired = Client()
    token = link.rstrip("/").rsplit("/", 1)[1]
    pk = signing.loads(token, salt=CONVERSATION_SALT)
    send(expired, f"/support/conversation/{old_token(pk)}/", {"new_link": "1"})

    mails = to(victim)
    assert [m.subject for m in mails] and len(mails) == 2  # the confirmation, the new link
    assert all(set(m.to) == {victim} for m in mails)
    for message in mails:
        for text in typed.values():
            for piece in (text, *text.split()):
                if len(piece) > 3:
                    assert piece not in message.subject + message.body, (message.subject, piece)
        assert "spam.example" not in message.subject + message.body


def test_nothing_is_relayed_until_the_sender_confirms_from_the_mailed_link(client, send):
    ngo = OrganisationFactory(email="office@ngo.example.org")
    editor = member("editor", ngo)
    entry = post("Κουβέρτες", by=ngo)
    send(client, entry.get_absolute_url(), reply())
    (confirmation,) = mail.outbox
    assert confirmation.to == ["maria@example.net"]
    assert "Έχω είκοσι κουβέρτες" not in confirmation.body and "Μαρία" not in confirmation.body
    assert "Κουβέρτες" in confirmation.subject  # the post's title: the poster's, reviewed
    talk = Conversation.objects.get()
    assert not talk.is_confirmed

    # The poster sees nothing and cannot answer the unconfirmed reply.
    poster = Client()
    poster.force_login(editor)
    page = poster.get(f"/dashboard/support/{entry.pk}/conversations/").content.decode()
    assert "Έχω είκοσι κουβέρτες" not in page and "Μαρία" not in page
    answer = {"conversation": talk.pk, f"c{talk.pk}-message": "Spam"}
    assert send(poster, f"/dashboard/support/{entry.pk}/conversations/", answer).status_code == 404
    assert "1 συνομιλία" not in poster.get("/dashboard/").content.decode()

    # Opening the link (as a mail scanner does) shows what would be sent; only the
    # button sends it, once.
    mail.outbox.clear()
    opened = send(client, link_in(confirmation), method="get")
    shown = client.get(opened.url).content.decode()
    assert "Έχω είκοσι κουβέρτες" in shown and 'name="confirm"' in shown
    assert not mail.outbox
    send(client, opened.url, {"confirm": "1"})
    send(client, opened.url, {"confirm": "1"})
    (relayed_mail,) = mail.outbox
    assert "office@ngo.example.org" in relayed_mail.to
    assert "Έχω είκοσι κουβέρτες" in relayed_mail.body
    assert (
        "Έχω είκοσι κουβέρτες"
        in poster.get(f"/dashboard/support/{entry.pk}/conversations/").content.decode()
    )


def test_a_reply_from_ones_own_confirmed_account_address_is_relayed_at_once(client, send):
    ngo = OrganisationFactory(email="office@ngo.example.org")
    entry = post("Κουβέρτες", by=ngo)
    helper = member("helper", OrganisationFactory())
    client.force_login(helper)
    response = send(client, entry.get_absolute_url(), reply(email="Helper@example.org"))
    assert PAGE.match(response.url)  # straight to the conversation
    assert Conversation.objects.get().is_confirmed
    (to_poster,) = to("office@ngo.example.org")
    assert "Έχω είκοσι κουβέρτες" in to_poster.body
    (to_helper,) = to("helper@example.org")
    assert "Έχω είκοσι κουβέρτες" not in to_helper.body and link_in(to_helper)
    # Another address typed by a logged-in visitor is confirmed like anyone's.
    mail.outbox.clear()
    send(client, entry.get_absolute_url(), reply(email="someone@example.net"))
    assert not to("office@ngo.example.org")


@pytest.mark.parametrize(
    ("written", "counted"),
    [
        ("Maria@Example.NET", "maria@example.net"),
        ("maria+board@example.net", "maria@example.net"),
        ("m.a.r.i.a+x@gmail.com", "maria@gmail.com"),
        ("Maria.K@GoogleMail.com", "mariak@gmail.com"),
        ("m.aria@example.net", "m.aria@example.net"),  # dots count elsewhere
        ("+tag@example.net", "+tag@example.net"),
    ],
)
def test_limits_count_the_mailbox_an_address_reaches(written, counted):
    assert mailbox(written) == counted


def test_reply_limits_count_one_mailbox_however_its_address_is_written(client, send, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "reply": (2, 3600)}
    url = post("Κουβέρτες").get_absolute_url()
    spellings = ["j.doe+1@gmail.com", "JDoe+2@googlemail.com", "j.d.o.e@gmail.com"]
    statuses = [
        send(Client(REMOTE_ADDR=f"192.0.2.{n}"), url, reply(email=address)).status_code
        for n, address in enumerate(spellings)
    ]
    assert statuses == [302, 302, 429]
    assert Conversation.objects.count() == 2


def test_every_forms_per_address_limit_counts_the_mailbox(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "mail": (10, 3600), "mail_to": (3, 3600)}
    spellings = [
        "Eleni+1@example.org",
        "eleni+2@example.org",
        "ELENI@example.org",
        "eleni+4@example.org",
    ]
    statuses = [
        Client(REMOTE_ADDR=f"192.0.2.{n}")
        .post("/accounts/confirm/resend/", {"email": address})
        .status_code
        for n, address in enumerate(spellings)
    ]
    assert statuses == [302, 302, 302, 429]


# --- 3. A poster's answers are limited ----------------------------------------------------


def test_a_posters_answers_are_limited_per_account_and_per_replier_keeping_the_text(
    client, send, settings, alice, bob, organisation
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "answer": (2, 3600)}
    entry = post("Κουβέρτες", by=organisation)
    first = relayed(
        Conversation.objects.create(post=entry, name="Μαρία", email="maria@example.net")
    )
    second = relayed(
        Conversation.objects.create(post=entry, name="Νίκος", email="nikos@example.net")
    )
    url = f"/dashboard/support/{entry.pk}/conversations/"

    def answer(user, talk, text):
        browser = Client()
        browser.force_login(user)
        return send(browser, url, {"conversation": talk.pk, f"c{talk.pk}-message": text})

    assert answer(alice, first, "Πρώτη").status_code == 302
    assert answer(alice, first, "Δεύτερη").status_code == 302
    mail.outbox.clear()
    refused = answer(alice, first, "Τρίτη απάντηση")
    assert refused.status_code == 429 and refused["Retry-After"] == "3600"
    html = refused.content.decode()
    assert "Τρίτη απάντηση" in html and "Πάρα πολλές απαντήσεις" in html
    assert answer(bob, first, "Από τον Bob").status_code == 429  # per replier
    assert answer(alice, second, "Στον Νίκο").status_code == 429  # per account
    assert not mail.outbox
    assert answer(bob, second, "Στον Νίκο").status_code == 302  # neither is spent
    assert first.messages.filter(from_poster=True).count() == 2


# --- 4. Invitations -----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["supporter", "pending", "suspended"])
def test_only_approved_member_organisations_invite(client, send, who):
    account = {
        "supporter": lambda: supporter("Κάποια Κ.", email="someone@example.net"),
        "pending": lambda: OrganisationFactory(approval=Organisation.Approval.PENDING),
        "suspended": lambda: OrganisationFactory(approval=Organisation.Approval.SUSPENDED),
    }[who]()
    admin = account.memberships.first()
    user = admin.user if admin else member("boss", account, Membership.Role.ADMIN)
    client.force_login(user)
    page = client.get("/dashboard/editors/")
    assert page.status_code == 200 and 'name="email"' not in page.content.decode()
    response = send(
        client, "/dashboard/editors/", {"email": "anyone@example.net", "role": "editor"}
    )
    assert response.status_code == 403
    assert "μπορεί να προσκαλεί" in response.content.decode()
    assert not mail.outbox and not account.invitations.exists()


def test_an_invitation_names_nobody_in_its_subject(client, send, alice):
    client.force_login(alice)
    send(client, "/dashboard/editors/", {"email": "new@example.org", "role": "editor"})
    (invitation,) = mail.outbox
    assert "Κέντρο" not in invitation.subject and "alice" not in invitation.subject
    assert "Κέντρο Ένταξης Μεταναστών" in invitation.body  # alice's organisation


def test_invitations_are_limited_per_account_from_any_address(settings, alice):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "invite": (2, 3600)}
    statuses = []
    for n in range(3):
        roaming = Client(REMOTE_ADDR=f"198.51.100.{n}")
        roaming.force_login(alice)
        data = {"email": f"n{n}@example.org", "role": "editor"}
        statuses.append(roaming.post("/dashboard/editors/", data).status_code)
    assert statuses == [302, 302, 429]


# --- 7. Every way a post leaves the board starts the purge clock --------------------------

DAY = timedelta(days=1)


@pytest.fixture
def board():
    """A published post far from its date, by an NGO, with one relayed conversation."""
    ngo = OrganisationFactory()
    entry = post("Κουβέρτες", by=ngo, expires_on=timezone.localdate() + timedelta(days=365))
    talk = relayed(Conversation.objects.create(post=entry, name="Μαρία", email="maria@example.net"))
    moderator = UserFactory(username="moderator", is_staff=True)
    moderator.groups.add(Group.objects.get(name=MODERATORS))
    return entry, talk, member("editor", ngo), moderator


def _decide(entry, status, moderator, note=""):
    review_entries(SupportPost.objects.filter(pk=entry.pk), status=status, by=moderator, note=note)


LEAVING = {
    "fulfilled": lambda e, ed, mod: set_post_state(e, state="fulfilled", by=ed),
    "closed": lambda e, ed, mod: set_post_state(e, state="closed", by=ed),
    "expired": lambda e, ed, mod: (
        SupportPost.objects.filter(pk=e.pk).update(expires_on=timezone.localdate() - DAY),
        expire_posts(),
    ),
    "past its date, not yet marked": lambda e, ed, mod: SupportPost.objects.filter(pk=e.pk).update(
        expires_on=timezone.localdate() - DAY
    ),
    "rejected by a moderator": lambda e, ed, mod: _decide(e, Status.REJECTED, mod, "Όχι"),
    "archived by a moderator": lambda e, ed, mod: _decide(e, Status.ARCHIVED, mod),
    "sent back to review": lambda e, ed, mod: _decide(e, Status.PENDING, mod),
    "made a draft in the admin": lambda e, ed, mod: _decide(e, Status.DRAFT, mod),
    "archived by its poster": lambda e, ed, mod: set_entry_status(e, status=Status.ARCHIVED, by=ed),
    "archived, then restored as a draft": lambda e, ed, mod: (
        set_entry_status(e, status=Status.ARCHIVED, by=ed),
        set_entry_status(e, status=Status.DRAFT, by=ed),
    ),
    "its poster suspended": lambda e, ed, mod: set_approval(
        e.organisation, Organisation.Approval.SUSPENDED, by=mod
    ),
}


@pytest.mark.parametrize("way", LEAVING)
def test_every_way_a_post_leaves_the_board_starts_the_purge_clock(board, way, settings):
    """The purge runs nightly: the replies' data go within a day after SUPPORT_PURGE_DAYS
    from the moment the post left the board, however it left, and never before."""
    settings.SUPPORT_PURGE_DAYS = 90
    entry, talk, editor, moderator = board
    left = timezone.now()
    LEAVING[way](entry, editor, moderator)
    for day in (0, 1, 60, 89):
        purge_personal_data(90, now=left + day * DAY + timedelta(hours=1))
        talk.refresh_from_db()
        assert talk.purged_at is None and talk.email == "maria@example.net", day
    purge_personal_data(90, now=left + 91 * DAY + timedelta(hours=1))
    talk.refresh_from_db()
    assert (talk.name, talk.email, talk.messages.count()) == ("", "", 0)
    assert talk.purged_at is not None


SAVED_AWAY = [
    way for way in LEAVING if way not in ("past its date, not yet marked", "its poster suspended")
]


@pytest.mark.parametrize("way", SAVED_AWAY)
def test_a_post_saved_off_the_board_is_clocked_at_once_not_at_the_next_run(board, way):
    """The clock is the moment it left (what the admin shows as "left the board"), not
    whenever the nightly purge next looks; the two the purge notices are above."""
    entry, talk, editor, moderator = board
    before = timezone.now()
    LEAVING[way](entry, editor, moderator)
    entry.refresh_from_db()
    assert entry.closed_at is not None and before <= entry.closed_at <= timezone.now()


STAYING = {
    "in progress": lambda e, ed, mod: set_post_state(e, state="in_progress", by=ed),
    "closed, then open again": lambda e, ed, mod: (
        set_post_state(e, state="closed", by=ed),
        set_post_state(e, state="open", by=ed),
    ),
    "archived, restored and published again": lambda e, ed, mod: (
        set_entry_status(e, status=Status.ARCHIVED, by=ed),
        set_entry_status(e, status=Status.DRAFT, by=ed),
        _decide(e, Status.PUBLISHED, mod),
    ),
    "rejected, then published": lambda e, ed, mod: (
        _decide(e, Status.REJECTED, mod, "Όχι"),
        _decide(e, Status.PUBLISHED, mod),
    ),
}


@pytest.mark.parametrize("way", STAYING)
def test_a_post_back_on_the_board_keeps_its_conversations(board, way):
    entry, talk, editor, moderator = board
    now = timezone.now()
    STAYING[way](entry, editor, moderator)
    for day in (0, 91, 200):
        purge_personal_data(90, now=now + day * DAY)
    talk.refresh_from_db()
    assert talk.purged_at is None and talk.messages.count() == 1


def test_a_suspension_lifted_stops_the_clock(board):
    entry, talk, editor, moderator = board
    now = timezone.now()
    set_approval(entry.organisation, Organisation.Approval.SUSPENDED, by=moderator)
    purge_personal_data(90, now=now + timedelta(hours=1))  # the nightly run notices
    set_approval(entry.organisation, Organisation.Approval.APPROVED, by=moderator)
    for day in (1, 91, 200):
        purge_personal_data(90, now=now + day * DAY)
    talk.refresh_from_db()
    assert talk.purged_at is None


def test_a_deleted_post_takes_its_conversations_with_it(board):
    entry, talk, editor, moderator = board
    entry.delete()
    assert not Conversation.objects.filter(pk=talk.pk).exists()
    assert not Message.objects.exists()


def test_a_reply_never_confirmed_is_deleted_after_the_confirmation_window(settings):
    settings.SUPPORT_CONFIRM_DAYS = 3
    entry = post("Κουβέρτες")
    stale = relayed(
        Conversation.objects.create(post=entry, name="Α", email="a@example.net"), confirmed=False
    )
    fresh = relayed(
        Conversation.objects.create(post=entry, name="Β", email="b@example.net"), confirmed=False
    )
    Conversation.objects.filter(pk=stale.pk).update(started_at=timezone.now() - 4 * DAY)
    purge_personal_data(90)
    assert list(Conversation.objects.all()) == [fresh]
    assert Message.objects.filter(conversation_id=stale.pk).count() == 0


# --- 9. Conversation links expire and leave the address bar -------------------------------


def old_token(pk: int, days: int = 31) -> str:
    """A genuine link to conversation `pk`, mailed `days` days ago."""

    class Then(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - days * 86400)

    return Then(salt=CONVERSATION_SALT).sign_object(pk)


def test_a_link_is_exchanged_for_the_browser_and_the_page_has_no_secret_in_its_address(
    client, send
):
    entry = post("Κουβέρτες")
    send(client, entry.get_absolute_url(), reply())
    link = link_in(mail.outbox[-1])
    opened = client.get(link)
    assert opened.status_code == 302 and PAGE.match(opened.url)
    token = link.rstrip("/").rsplit("/", 1)[1]
    send(client, opened.url, {"confirm": "1"})
    page = client.get(opened.url)
    assert page.status_code == 200 and token not in page.content.decode()
    # The page's address alone opens nothing, in another browser.
    stranger = Client()
    assert stranger.get(opened.url).status_code == 404
    assert send(stranger, opened.url, {"message": "Γεια"}).status_code == 404
    assert "Γεια" not in "".join(m.body for m in mail.outbox)


def test_an_expired_link_says_so_and_mails_a_new_one_to_the_conversations_address(
    client, send, settings
):
    settings.SUPPORT_LINK_DAYS = 30
    entry = post("Κουβέρτες")
    talk = relayed(Conversation.objects.create(post=entry, name="Μαρία", email="maria@example.net"))
    expired = f"/support/conversation/{old_token(talk.pk)}/"
    page = client.get(expired)
    assert page.status_code == 410
    html = page.content.decode()
    assert "σύνδεσμος έχει λήξει" in html and "30 ημέρες" in html
    assert "Τηλέφωνο" not in html and 'name="new_link"' in html
    response = send(client, expired, {"new_link": "1"})
    assert "Στείλαμε νέο σύνδεσμο" in response.content.decode()
    (renewed,) = mail.outbox
    assert renewed.to == ["maria@example.net"]
    assert "Τηλέφωνο" not in renewed.body and "30 ημέρες" in renewed.body
    again = Client()
    assert PAGE.match(again.get(link_in(renewed)).url)
    assert "Τηλέφωνο" in again.get(talk.get_absolute_url()).content.decode()
    # A link a little younger than its lifetime still works.
    assert Client().get(f"/support/conversation/{old_token(talk.pk, days=29)}/").status_code == 302


def test_a_browser_lets_a_conversation_go_when_its_link_would_have_expired(client, settings):
    settings.SUPPORT_LINK_DAYS = 30
    talk = relayed(
        Conversation.objects.create(post=post("Κουβέρτες"), name="Μ", email="m@example.net")
    )
    assert client.get(talk.get_replier_url()).status_code == 302
    assert client.get(talk.get_absolute_url()).status_code == 200
    session = client.session
    session[SESSION_KEY] = {str(talk.pk): time.time() - 31 * 86400}
    session.save()
    page = client.get(talk.get_absolute_url())
    assert page.status_code == 410 and "Τηλέφωνο" not in page.content.decode()


def test_an_unconfirmed_reply_past_its_window_or_a_purged_one_offers_no_new_link(
    client, send, settings
):
    settings.SUPPORT_CONFIRM_DAYS = 3
    entry = post("Κουβέρτες")
    lapsed = relayed(
        Conversation.objects.create(post=entry, name="Α", email="a@example.net"), confirmed=False
    )
    Conversation.objects.filter(pk=lapsed.pk).update(started_at=timezone.now() - 4 * DAY)
    page = client.get(lapsed.get_replier_url())
    assert page.status_code == 410
    html = page.content.decode()
    assert "δεν επιβεβαιώθηκε" in html and 'name="new_link"' not in html
    assert entry.get_absolute_url() in html
    assert send(client, lapsed.get_replier_url(), {"new_link": "1"}).status_code == 410
    purged = relayed(Conversation.objects.create(post=entry, name="", email=""))
    Conversation.objects.filter(pk=purged.pk).update(purged_at=timezone.now())
    page = client.get(f"/support/conversation/{old_token(purged.pk)}/")
    assert page.status_code == 410 and 'name="new_link"' not in page.content.decode()
    assert not mail.outbox


def test_new_links_are_limited_like_every_mail(client, send, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "mail_to": (1, 3600)}
    talk = relayed(Conversation.objects.create(post=post("Κ"), name="Μ", email="m@example.net"))
    expired = f"/support/conversation/{old_token(talk.pk)}/"
    assert send(client, expired, {"new_link": "1"}).status_code == 410
    refused = send(Client(REMOTE_ADDR="192.0.2.9"), expired, {"new_link": "1"})
    assert refused.status_code == 429 and refused["Retry-After"]
    assert "Έχουν σταλεί πάρα πολλά e-mail" in refused.content.decode()
    assert len(mail.outbox) == 1
