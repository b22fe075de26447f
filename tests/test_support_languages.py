"""Support about a language: interpretation asks for its languages, matches only a post
that shares one, and shows them; and a post the City has not published shows its
moderation, not a lifecycle."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accmr.core.models import Status
from accmr.taxonomy.models import District, Language, SupportType
from support.models import SupportPost

from .factories import OrganisationFactory, member

pytestmark = pytest.mark.django_db
BOARD = "/support/"
INTERPRETATION = "interpretation-translation"


def post(title, *, kind="request", types=(INTERPRETATION,), languages=(), by=None, **fields):
    entry = SupportPost.objects.create(
        organisation=by or OrganisationFactory(),
        kind=kind,
        title_el=title,
        title_en=fields.pop("title_en", f"{title} (en)"),
        description_el="Περιγραφή.",
        district=District.objects.get(slug="6"),
        status=fields.pop("status", Status.PUBLISHED),
        published_at=timezone.now(),
        **fields,
    )
    entry.support_types.set(SupportType.objects.filter(slug__in=types))
    entry.languages.set(Language.objects.filter(slug__in=languages))
    return entry


def matches(entry) -> list[str]:
    return sorted(SupportPost.objects.matching(entry).values_list("title_el", flat=True))


def form_data(**changes) -> dict:
    return {
        "kind": "request",
        "title_el": "Διερμηνέας για το ιατρείο",
        "title_en": "",
        "description_el": "Δύο απογεύματα την εβδομάδα.",
        "description_en": "",
        "support_types": [SupportType.objects.get(slug=INTERPRETATION).pk],
        "district": District.objects.get(slug="6").pk,
        "urgency": "normal",
        "expires_on": (timezone.localdate() + timedelta(days=20)).isoformat(),
        "submit": "1",
        **changes,
    }


def language_pks(*codes) -> list[int]:
    return list(Language.objects.filter(slug__in=codes).values_list("pk", flat=True))


def test_interpretation_is_the_support_type_about_a_language():
    about = SupportType.objects.filter(needs_language=True)
    assert list(about.values_list("slug", flat=True)) == [INTERPRETATION]


def test_an_interpretation_request_matches_only_offers_that_share_a_language():
    somali = post("Διερμηνέας σομαλικών", languages=["so"])
    farsi = post("Διερμηνεία φαρσί", kind="offer", languages=["fa", "prs"])
    post("Διερμηνεία σομαλικών και αραβικών", kind="offer", languages=["so", "ar"])
    assert matches(somali) == ["Διερμηνεία σομαλικών και αραβικών"]
    assert matches(farsi) == []  # and the other way round
    dari = post("Διερμηνέας νταρί", languages=["prs"])
    assert matches(dari) == ["Διερμηνεία φαρσί"]


def test_posts_without_a_type_about_a_language_match_as_before():
    request = post("Κουβέρτες", types=["linen"])
    post("Δίνω κουβέρτες", kind="offer", types=["linen"])
    assert matches(request) == ["Δίνω κουβέρτες"]
    # A request for interpretation and volunteers still finds volunteers of any language…
    both = post(
        "Διερμηνείς φαρσί, εθελοντές", types=[INTERPRETATION, "volunteers"], languages=["fa"]
    )
    post("Ομάδα εθελοντών", kind="offer", types=["volunteers"])
    post("Διερμηνεία σομαλικών", kind="offer", languages=["so"])
    assert matches(both) == ["Ομάδα εθελοντών"]
    # …and "in-kind – any kind", which names no language, any interpretation offer.
    anything = post("Ό,τι μπορείτε", types=["in-kind"])
    assert "Διερμηνεία σομαλικών" in matches(anything)


def test_the_form_asks_for_a_language_when_the_support_is_about_one(client):
    ngo = OrganisationFactory(trusted=True)
    client.force_login(member("editor", ngo))
    page = client.get("/dashboard/support/new/").content.decode()
    interpretation = SupportType.objects.get(slug=INTERPRETATION)
    assert f'value="{interpretation.pk}"' in page and "data-needs-language" in page
    assert 'name="languages"' in page and "support/post-form.js" in page

    response = client.post("/dashboard/support/new/", form_data())
    assert response.status_code == 200 and not SupportPost.objects.exists()
    html = response.content.decode()
    assert "Επιλέξτε τουλάχιστον μία γλώσσα για «Διερμηνεία – μετάφραση»." in html
    assert "Διερμηνέας για το ιατρείο" in html  # what was typed is kept
    assert response.context["form"]["support_types"].value() == [str(interpretation.pk)]
    english = client.post("/en/dashboard/support/new/", form_data()).content.decode()
    assert "Choose at least one language for “Interpretation/translation”." in english

    somali = language_pks("so")
    kept = client.post("/dashboard/support/new/", form_data(title_el="", languages=somali))
    assert kept.context["form"]["languages"].value() == [str(pk) for pk in somali]

    assert client.post("/dashboard/support/new/", form_data(languages=somali)).status_code == 302
    saved = SupportPost.objects.get()
    assert list(saved.languages.values_list("slug", flat=True)) == ["so"]


def test_a_post_not_about_a_language_keeps_no_languages(client):
    client.force_login(member("editor", OrganisationFactory(trusted=True)))
    linen = SupportType.objects.get(slug="linen").pk
    data = form_data(support_types=[linen], languages=language_pks("so"))
    assert client.post("/dashboard/support/new/", data).status_code == 302
    assert not SupportPost.objects.get().languages.exists()


def test_the_post_its_card_and_its_matches_show_the_languages_in_both_languages(client):
    request = post("Διερμηνέας σομαλικών", languages=["so"])
    post("Διερμηνεία σομαλικών και αραβικών", kind="offer", languages=["so", "ar"])
    post("Διερμηνεία φαρσί", kind="offer", languages=["fa"])

    page = client.get(request.get_absolute_url())
    facts = page.content.decode().split('<dl class="facts">')[1].split("</dl>")[0]
    assert "<dt>Γλώσσες</dt>" in facts and 'Σομαλικά (<span lang="so">Soomaali</span>)' in facts
    (card,) = page.context["matches"]
    assert "Διερμηνεία σομαλικών και αραβικών" in card
    assert "Γλώσσες:" in card and "Σομαλικά" in card and "Αραβικά" in card
    assert "Διερμηνεία φαρσί" not in page.content.decode()

    english = client.get(f"/en{request.get_absolute_url()}").content.decode()
    assert "<dt>Languages</dt>" in english and "Somali" in english and "Arabic" in english
    board = client.get(f"/en{BOARD}", {"kind": "offer"}).content.decode()
    assert "Languages: Farsi" in board
    assert "Γλώσσες: Σομαλικά" in client.get(BOARD).content.decode()


def test_the_board_and_a_posts_matches_keep_their_query_counts(client):
    def count(url) -> int:
        cache_off = {"HTTP_COOKIE": "messages=x"}  # past the shared page cache
        for _ in range(2):  # the second time, with what is shared until a change kept
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url, **cache_off).status_code == 200
        return len(queries)

    request = post("Διερμηνέας σομαλικών", languages=["so"])
    post("Σομαλικά 0", kind="offer", languages=["so"])
    few = (count(BOARD), count(request.get_absolute_url()))
    for n in range(1, 8):
        post(f"Σομαλικά {n}", kind="offer", languages=["so", "ar", "en"])
    # The board: posts, types, languages; the post, its types and languages, the matches
    # and their types and languages.
    assert (count(BOARD), count(request.get_absolute_url())) == few == (3, 6)


def test_a_rejected_post_shows_its_rejection_and_offers_no_state_form(client):
    ngo = OrganisationFactory()
    client.force_login(member("editor", ngo))
    rejected = post(
        "Κουβέρτες",
        types=["linen"],
        by=ngo,
        status=Status.REJECTED,
        review_note="Γράψτε πού θα παραδοθούν.",
    )
    pending = post("Ρούχα", types=["clothing"], by=ngo, status=Status.PENDING)
    published = post("Τρόφιμα", types=["food"], by=ngo)

    dashboard = client.get("/dashboard/").content.decode()
    assert f'id="state-{published.pk}"' in dashboard
    for entry in (rejected, pending):
        assert f'id="state-{entry.pk}"' not in dashboard
        assert f"/dashboard/support/{entry.pk}/state/" not in dashboard
    item = dashboard.split("<strong>Κουβέρτες</strong>")[1].split("</li>")[0]
    assert "Ανοιχτή" not in item and "Γράψτε πού θα παραδοθούν." in item

    page = client.get(f"/dashboard/support/{rejected.pk}/preview/").content.decode()
    facts = page.split('<dl class="facts">')[1].split("</dl>")[0]
    assert "<dd>Απορρίφθηκε</dd>" in facts and "Ανοιχτή" not in facts
    assert "<dt>Αιτιολογία</dt><dd>Γράψτε πού θα παραδοθούν.</dd>" in facts
    english = client.get(f"/en/dashboard/support/{rejected.pk}/preview/").content.decode()
    assert "<dd>Rejected</dd>" in english and "<dt>Reason</dt>" in english
    waiting = client.get(f"/dashboard/support/{pending.pk}/preview/").content.decode()
    assert "<dd>Σε αναμονή ελέγχου</dd>" in waiting.split('<dl class="facts">')[1]

    # Nor does the state change by hand.
    client.post(f"/dashboard/support/{rejected.pk}/state/", {"state": "closed"})
    rejected.refresh_from_db()
    assert rejected.state == SupportPost.State.OPEN
    messages = client.get("/dashboard/").content.decode()
    assert "Μόνο μια δημοσιευμένη ανάρτηση μπορεί να σημειωθεί" in messages


def test_the_demo_matches_its_somali_request_with_the_somali_offer_only():
    call_command("seed_demo", stdout=io.StringIO())
    somali = SupportPost.objects.get(title_en="A Somali interpreter for counselling sessions")
    farsi = SupportPost.objects.get(title_en="Volunteer interpreters of Farsi and Dari")
    found = list(SupportPost.objects.matching(somali).values_list("title_en", flat=True))
    assert found == ["Interpreting and translation in Somali and Arabic"]
    assert "Interpreting in Farsi, Dari and Pashto" in SupportPost.objects.matching(
        farsi
    ).values_list("title_en", flat=True)
    interpretation = SupportPost.objects.filter(support_types__slug=INTERPRETATION)
    assert interpretation.count() >= 4 and not interpretation.filter(languages=None).exists()


def test_moderators_set_which_support_types_are_about_a_language(admin_client):
    transport = SupportType.objects.get(slug="transport")
    url = f"/admin/taxonomy/supporttype/{transport.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert 'name="needs_language"' in page
    changelist = admin_client.get("/admin/taxonomy/supporttype/").content.decode()
    assert "needs_language" in changelist  # a column and a filter


def test_the_boards_export_names_each_posts_languages(client):
    call_command("seed_demo", verbosity=0)
    text = client.get("/en/support/?format=csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    languages = rows[0].index("Languages")
    somali = next(row for row in rows if "Somali" in row[1] and row[0] == "Request")
    assert "Somali" in somali[languages]
