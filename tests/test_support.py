"""The support board: offers and requests found, matched and answered through the portal,
with nobody's address ever shown; supporters' light accounts; the posts' lifecycle."""

import io
import re
import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail, signing
from django.core.management import call_command
from django.utils import timezone

from accmr.core.forms import HUMAN_SALT
from accmr.core.models import Status
from accmr.core.permissions import MODERATORS
from accmr.members.models import Membership, Organisation
from accmr.taxonomy.models import ActorType, District, SupportType
from support.models import Conversation, Message, SupportPost

from .factories import OrganisationFactory, UserFactory, admin_approve, member

pytestmark = pytest.mark.django_db
BOARD = "/support/"


@pytest.fixture(autouse=True)
def no_wait(settings):
    settings.HUMAN_CHECK_SECONDS = 0


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """POST, running what waits for the commit (the mail) before returning."""

    def post(client, url, data=None, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {}, **kwargs)

    return post


def supporter(name="Ελένη Κ.", kind="individual", email="eleni@example.net"):
    """A supporter's light account and its one user."""
    account = Organisation.objects.create(
        name_el=name,
        actor_type=ActorType.objects.get(slug=kind),
        approval=Organisation.Approval.APPROVED,
        is_supporter=True,
    )
    user = UserFactory(username=email, email=email)
    Membership.objects.create(user=user, organisation=account, role=Membership.Role.ADMIN)
    return account


def post(title, *, kind="request", by=None, types=("linen",), district="3", **fields):
    entry = SupportPost.objects.create(
        organisation=by or OrganisationFactory(),
        kind=kind,
        title_el=title,
        title_en=fields.pop("title_en", f"{title} (en)"),
        description_el=fields.pop("description_el", "Περιγραφή."),
        district=District.objects.get(slug=district) if district else None,
        status=fields.pop("status", Status.PUBLISHED),
        published_at=fields.pop("published_at", timezone.now()),
        **fields,
    )
    entry.support_types.set(SupportType.objects.filter(slug__in=types))
    return entry


def titles(response) -> list[str]:
    return [p.title_el for p in response.context["page_obj"].object_list]


def shown(seconds_ago: float = 60) -> str:
    return signing.dumps(time.time() - seconds_ago, salt=HUMAN_SALT)


def confirm(client, send, message) -> str:
    """Open the link mailed in `message` and confirm the reply there, as its sender does;
    returns the conversation's own page."""
    link = re.search(r"/support/conversation/\S+", message.body).group(0)
    page = client.get(link)
    assert page.status_code == 302
    send(client, page.url, {"confirm": "1"})
    return page.url


def reply(**changes) -> dict:
    return {
        "name": "Μαρία",
        "email": "maria@example.net",
        "message": "Έχω είκοσι κουβέρτες. Πότε μπορώ να τις φέρω;",
        "consent": "on",
        "website": "",
        "shown": shown(),
        **changes,
    }


def test_the_board_lists_public_posts_that_are_still_wanted_or_on_offer(client):
    post("Ανοιχτό")
    post("Σε εξέλιξη", state=SupportPost.State.IN_PROGRESS)
    post("Σε αναμονή ελέγχου", status=Status.PENDING)
    post("Ολοκληρώθηκε", state=SupportPost.State.FULFILLED)
    post("Έκλεισε", state=SupportPost.State.CLOSED)
    # Past its date though the nightly command has not marked it yet.
    post("Έληξε χθες", expires_on=timezone.localdate() - timedelta(days=1))
    post("Αναστολή", by=OrganisationFactory(approval=Organisation.Approval.SUSPENDED))
    response = client.get(BOARD)
    assert sorted(titles(response)) == ["Ανοιχτό", "Σε εξέλιξη"]
    assert "2 αναρτήσεις στον πίνακα" in response.content.decode()
    assert "2 posts on the board" in client.get(f"/en{BOARD}").content.decode()


def test_filters_by_kind_support_type_district_urgency_poster_and_text(client):
    company = supporter("Koukaki Market", kind="private-sector", email="shop@example.net")
    post("Κουβέρτες", types=["linen"], urgency=SupportPost.Urgency.URGENT)
    post("Λάπτοπ", kind="offer", by=company, types=["technology-equipment"], district="1")
    post("Νομική βοήθεια", types=["legal-know-how"], district=None)
    post("Εθελοντές", kind="offer", types=["volunteers"], district="6")

    def found(**params):
        return sorted(titles(client.get(BOARD, params)))

    assert found(kind="offer") == ["Εθελοντές", "Λάπτοπ"]
    # A parent type matches its children; a child only itself.
    assert found(support_type="in-kind") == ["Κουβέρτες", "Λάπτοπ"]
    assert found(support_subtype="linen") == ["Κουβέρτες"]
    assert found(district="1") == ["Λάπτοπ"]
    assert found(urgency="urgent") == ["Κουβέρτες"]
    assert found(actor_type="private-sector") == ["Λάπτοπ"]
    assert found(q="νομικη βοηθεια") == ["Νομική βοήθεια"]
    assert found(q="koukaki") == ["Λάπτοπ"]


def test_it_sorts_the_most_urgent_then_newest_first_or_by_the_date_they_end(client):
    now, today = timezone.now(), timezone.localdate()
    post("Παλιό επείγον", urgency="urgent", published_at=now - timedelta(days=5))
    post("Νέο", published_at=now, expires_on=today + timedelta(days=20))
    post("Χθεσινό", published_at=now - timedelta(days=1), expires_on=today + timedelta(days=2))
    assert titles(client.get(BOARD)) == ["Παλιό επείγον", "Νέο", "Χθεσινό"]
    assert titles(client.get(BOARD, {"sort": "newest"})) == ["Νέο", "Χθεσινό", "Παλιό επείγον"]
    assert titles(client.get(BOARD, {"sort": "ending"}))[0] == "Χθεσινό"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"kind": "gift"}, "Ορισμένα φίλτρα δεν ήταν δυνατό να εφαρμοστούν και αγνοήθηκαν"),
        ({"support_type": "nothing"}, "Ορισμένα φίλτρα δεν ήταν δυνατό να εφαρμοστούν"),
        ({"district": "99"}, "Ορισμένα φίλτρα δεν ήταν δυνατό να εφαρμοστούν"),
        ({"q": "x" * 500}, "Ορισμένα φίλτρα δεν ήταν δυνατό να εφαρμοστούν"),
        ({"page": "9999"}, "Δεν υπάρχει σελίδα 9999· εμφανίζεται η σελίδα 1."),
        ({"sort": "<script>"}, None),  # an unknown order: the usual one, nothing echoed
    ],
)
def test_malformed_filters_get_a_message_not_an_error(client, params, message):
    """A wrong value is said and left out: the board still lists what it would without it."""
    post("Παλιό επείγον", urgency="urgent")
    post("Νέο")
    response = client.get(BOARD, params)
    html = response.content.decode()
    assert response.status_code == 200
    assert titles(response) == titles(client.get(BOARD)) == ["Παλιό επείγον", "Νέο"]
    if message:
        assert message in html
    assert "<script>" not in html.split("<main", 1)[1].split("</main>")[0]


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


def test_a_post_written_only_in_english_shows_in_greek_too(client):
    company = supporter("Koukaki Market", kind="private-sector", email="shop@example.net")
    entry = post("", title_en="Five office laptops", by=company, kind="offer")
    assert "Five office laptops" in client.get(BOARD).content.decode()
    assert "Five office laptops" in client.get(entry.get_absolute_url()).content.decode()


def test_suggested_matches_are_the_other_kind_for_the_same_support_same_district_first(client):
    ngo = OrganisationFactory()
    request = post("Ζητάμε κουβέρτες", by=ngo, types=["linen"], district="3")
    post("Κουβέρτες στο 6ο", kind="offer", types=["linen"], district="6")
    post("Κουβέρτες στο 3ο", kind="offer", types=["linen"], district="3")
    post("Είδη γενικά", kind="offer", types=["in-kind"], district="1")  # the parent type
    post("Τρόφιμα", kind="offer", types=["food"], district="3")  # another type
    post("Κι άλλο αίτημα", kind="request", types=["linen"], district="3")  # same kind
    post("Δική μας προσφορά", kind="offer", by=ngo, types=["linen"])  # the poster's own
    post("Έκλεισε", kind="offer", types=["linen"], state=SupportPost.State.CLOSED)
    response = client.get(request.get_absolute_url())
    html = response.content.decode()
    section = html[html.index('id="matches-title"') :]
    found = re.findall(r'<h3><a href="/support/\d+/">([^<]+)</a></h3>', section)
    assert found[0] == "Κουβέρτες στο 3ο"
    assert set(found) == {"Κουβέρτες στο 3ο", "Κουβέρτες στο 6ο", "Είδη γενικά"}


def test_activities_asking_for_support_appear_on_the_board_with_a_link(client):
    from activities.models import Activity, Session

    organiser = OrganisationFactory()
    activity = Activity.objects.create(
        organisation=organiser,
        title_el="Γιορτή της γειτονιάς",
        status=Status.PUBLISHED,
        activity_type_id=1,
    )
    starts = timezone.now() + timedelta(days=3)
    Session.objects.create(activity=activity, starts=starts, ends=starts + timedelta(hours=2))
    activity.support_wanted.set(SupportType.objects.filter(slug="food"))
    post("Κάτι άλλο")
    html = client.get(BOARD).content.decode()
    assert "Γιορτή της γειτονιάς" in html and activity.get_absolute_url() in html
    assert "Γιορτή της γειτονιάς" in client.get(BOARD, {"support_type": "in-kind"}).content.decode()
    assert "Γιορτή" not in client.get(BOARD, {"support_type": "know-how"}).content.decode()
    offer = post("Δίνουμε φαγητό", kind="offer", types=["food"])
    assert "Γιορτή της γειτονιάς" in client.get(offer.get_absolute_url()).content.decode()


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


def test_a_moderators_approval_announces_the_post_too(client, django_capture_on_commit_callbacks):
    waiting = OrganisationFactory(email="office@shelter.example.org")
    post("Κουβέρτες", by=waiting, notify_matches=True)
    offer = post("Δίνω κουβέρτες", kind="offer", by=supporter(), status=Status.PENDING)
    moderator = UserFactory(username="moderator", is_staff=True)
    moderator.groups.add(Group.objects.get(name=MODERATORS))
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


def test_the_list_and_the_page_run_a_fixed_number_of_queries(client, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    post("Πρώτο")

    def count(url):
        cache_off = {"HTTP_COOKIE": "messages=x"}  # past the shared page cache
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, **cache_off).status_code == 200
        return len(queries)

    def warm(url):
        """Once what is shared until a change (terms, count, activities) is kept."""
        count(url)
        return count(url)

    one = warm(BOARD)
    for n in range(12):
        post(f"Κι άλλο {n}", kind="offer" if n % 2 else "request", types=["linen", "food"])
    assert warm(BOARD) == one == 3  # the page's posts, their support types, their languages
    detail = warm(SupportPost.objects.first().get_absolute_url())
    assert warm(SupportPost.objects.last().get_absolute_url()) == detail
    # The post, its types and languages, the matches and their types and languages.
    assert detail == 6


def test_the_export_lists_the_filtered_board(client):
    post("Κουβέρτες", quantity_el="40 κουβέρτες")
    post("Λάπτοπ", kind="offer", types=["technology-equipment"])
    csv = client.get(BOARD, {"format": "csv", "kind": "request"}).content.decode("utf-8-sig")
    assert "Κουβέρτες" in csv and "40 κουβέρτες" in csv and "Λάπτοπ" not in csv
    entry = SupportPost.objects.get(title_el="Κουβέρτες")
    assert f"/support/{entry.pk}/" in csv
    english = client.get(f"/en{BOARD}", {"format": "csv"}).content.decode("utf-8-sig")
    assert "Offer or request" in english and "Sheets, towels & blankets" in english


def test_the_home_page_shows_open_requests(client):
    post("Κουβέρτες για τον χειμώνα", urgency="urgent")
    post("Δίνω φαγητό", kind="offer", types=["food"])
    html = client.get("/").content.decode()
    assert "Κουβέρτες για τον χειμώνα" in html and "Δίνω φαγητό" not in html


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


def test_the_demo_seeds_bilingual_offers_and_requests():
    call_command("seed_demo", stdout=io.StringIO())
    posts = SupportPost.objects.published()
    assert posts.count() >= 30
    assert {p.kind for p in posts} == {"offer", "request"}
    assert posts.filter(organisation__is_supporter=True).exists()
    assert len({p.district_id for p in posts}) >= 6
    assert not posts.filter(title_en="").exists()


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
