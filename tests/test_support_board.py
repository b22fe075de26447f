"""The support board as visitors find it: what it lists, its filters, order and export,
the matches a post suggests, the activities that ask for support, and a fixed number of
queries."""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accmr.core.models import Status
from accmr.members.models import Organisation
from accmr.taxonomy.models import SupportType
from support.models import SupportPost

from .board import BOARD, post, supporter, titles
from .factories import OrganisationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_wait")]


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


def test_the_demo_seeds_bilingual_offers_and_requests():
    call_command("seed_demo", stdout=io.StringIO())
    posts = SupportPost.objects.published()
    assert posts.count() >= 30
    assert {p.kind for p in posts} == {"offer", "request"}
    assert posts.filter(organisation__is_supporter=True).exists()
    assert len({p.district_id for p in posts}) >= 6
    assert not posts.filter(title_en="").exists()
