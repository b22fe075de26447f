"""The statistics page: counts from known fixtures, drawn as titled SVG charts with their
tables and CSVs in both languages, in a fixed number of queries, for every filter."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accmr.core.models import ChangeSet, Status
from accmr.members.models import Organisation
from accmr.taxonomy.models import ActivityType, ActorType, District, SupportType
from activities.models import Activity, Session
from stats.aggregates import CHARTS
from stats.forms import Choices
from support.models import SupportPost
from toolbox.models import ToolboxItem

from .factories import OrganisationFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db
PAGE = "/stats/"


def choices(**given):
    today = timezone.localdate()
    base = {"district": None, "category": None, "actor_type": None}
    return Choices(**{**base, "start": today - timedelta(days=365), "end": today, **given})


@pytest.fixture
def network(db):
    """Two NGOs and a municipal body: five published services, one pending, one online."""
    ngo = OrganisationFactory(
        actor_type=ActorType.objects.get(slug="greek-ngo"), district=District.objects.get(slug="6")
    )
    ngo2 = OrganisationFactory(actor_type=ActorType.objects.get(slug="greek-ngo"))
    city = OrganisationFactory(actor_type=ActorType.objects.get(slug="local-government"))
    six, three = District.objects.get(slug="6"), District.objects.get(slug="3")
    ServiceFactory(organisation=ngo, district=six, categories=["greek-language", "digital-skills"])
    ServiceFactory(organisation=ngo, district=six, categories=["mental-health"])
    ServiceFactory(organisation=ngo2, district=three, categories=["asylum-procedure"])
    ServiceFactory(organisation=city, district=three, categories=["greek-language"])
    ServiceFactory(
        organisation=city,
        location_type="virtual",
        district=None,
        latitude=None,
        longitude=None,
        categories=["asylum-procedure"],
    )
    ServiceFactory(organisation=city, status=Status.PENDING, categories=["food"])
    return {"ngo": ngo, "city": city}


def rows(chart) -> dict:
    header, body = chart.table()
    return {row[0]: row[1:] if len(row) > 2 else row[1] for row in body}


def test_services_are_counted_by_category_district_and_type(network):
    by_category = CHARTS["services-by-category"](choices())
    # A service in two subcategories of one top category counts once there.
    assert rows(by_category) == {"Εκπαίδευση & μάθηση": 2, "Νομική υποστήριξη": 2, "Υγεία": 1}
    breakdown = dict(by_category.breakdown)
    assert dict(breakdown["Εκπαίδευση & μάθηση"]) == {
        "Μαθήματα ελληνικής γλώσσας": 2,
        "Ψηφιακές δεξιότητες": 1,
    }
    by_district = rows(CHARTS["services-by-district"](choices()))
    assert by_district["6η Δημοτική Κοινότητα"] == 2 and by_district["3η Δημοτική Κοινότητα"] == 2
    assert by_district["Χωρίς φυσική διεύθυνση (τηλέφωνο, διαδικτυακά, κινητές μονάδες)"] == 1
    assert rows(CHARTS["services-by-actor-type"](choices())) == {
        "Ελληνική ΜΚΟ": 3,
        "Τοπική αυτοδιοίκηση": 2,
    }


def test_the_coverage_grid_shows_each_category_in_each_district(network):
    grid = CHARTS["coverage"](choices())
    table = rows(grid)
    header, _body = grid.table()
    assert header[1:] == ["1", "2", "3", "4", "5", "6", "7"]
    assert table["Εκπαίδευση & μάθηση"] == [0, 0, 1, 0, 0, 1, 0]
    assert table["Νομική υποστήριξη"] == [0, 0, 1, 0, 0, 0, 0]  # the online one has no district
    assert table["Στέγαση"] == [0] * 7


def test_filters_apply_to_every_chart(network):
    three = District.objects.get(slug="3")
    assert rows(CHARTS["services-by-category"](choices(district=three))) == {
        "Εκπαίδευση & μάθηση": 1,
        "Νομική υποστήριξη": 1,
    }
    city = ActorType.objects.get(slug="local-government")
    assert (
        rows(CHARTS["services-by-district"](choices(actor_type=city)))["3η Δημοτική Κοινότητα"] == 1
    )
    from accmr.taxonomy.models import Category

    legal = Category.objects.get(slug="legal")
    assert sum(rows(CHARTS["services-by-district"](choices(category=legal))).values()) == 2
    members = rows(
        CHARTS["members-by-actor-type"](choices(district=District.objects.get(slug="6")))
    )
    assert members == {"Ελληνική ΜΚΟ": 1}


def test_activities_are_counted_per_month_by_type_and_support_posts_by_type_and_state(db):
    organiser = OrganisationFactory()
    workshop = ActivityType.objects.get(slug="workshop")
    now = timezone.localtime()
    for title, days in (("Α", [0, 1]), ("Β", [0]), ("Γ", [-400])):
        activity = Activity.objects.create(
            organisation=organiser, title_el=title, status=Status.PUBLISHED, activity_type=workshop
        )
        for day in days:
            starts = now + timedelta(days=day)
            Session.objects.create(
                activity=activity, starts=starts, ends=starts + timedelta(hours=1)
            )
    chart = CHARTS["activities-per-month"](choices(start=now.date().replace(day=1), end=now.date()))
    assert chart.series == [("Εργαστήριο", [2])]  # Α counts once in its month; Γ is out of range

    linen = SupportType.objects.get(slug="linen")
    for kind, state, expires in (
        ("request", "open", 10),
        ("request", "fulfilled", 10),
        ("offer", "open", -1),  # past its date: expired, marked or not
    ):
        post = SupportPost.objects.create(
            organisation=organiser,
            kind=kind,
            title_el="Κουβέρτες",
            state=state,
            status=Status.PUBLISHED,
            published_at=timezone.now(),
            expires_on=now.date() + timedelta(days=expires),
        )
        post.support_types.set([linen])
    by_type = CHARTS["support-by-type"](choices())
    assert by_type.labels == ["Είδη & υπηρεσίες"] and by_type.series == [
        ("Αιτήματα", [2]),
        ("Προσφορές", [1]),
    ]
    assert rows(CHARTS["support-by-state"](choices())) == {
        "Ανοιχτή": 1,
        "Ολοκληρώθηκε": 1,
        "Έληξε": 1,
    }


def test_the_page_draws_each_chart_as_titled_svg_with_its_table(client, network):
    html = client.get(PAGE).content.decode()
    svgs = re.findall(r"<svg[^>]*>.*?</svg>", html, flags=re.S)
    assert len(svgs) >= 5
    for image in svgs:
        assert 'role="img"' in image and "<title id=" in image and "<desc id=" in image
        assert "<text" in image or "font-family" in image or "<!--" in image  # text kept as text
        opening = image.split(">", 1)[0]
        assert "viewBox=" in opening and "height=" not in opening  # it scales with the page
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "ids must be unique across the inline charts"
    assert "Δημοσιευμένες υπηρεσίες ανά κατηγορία" in html
    assert "Νομική υποστήριξη" in html  # labels in the page's language
    english = client.get(f"/en{PAGE}").content.decode()
    assert "Published services by category" in english and "Legal support" in english
    assert "Νομική υποστήριξη" not in english


def test_a_chart_with_no_data_says_so(client, db):
    html = client.get(PAGE).content.decode()
    assert html.count("Δεν υπάρχουν στοιχεία για αυτά τα φίλτρα.") == len(CHARTS)
    assert "<svg" not in html.split("<main", 1)[1]


def test_each_chart_downloads_its_numbers_as_csv(client, network):
    response = client.get(f"{PAGE}services-by-district.csv", {"actor_type": "local-government"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table == [
        ["Δημοτική κοινότητα", "Υπηρεσίες"],
        ["3η Δημοτική Κοινότητα", "1"],
        ["Χωρίς φυσική διεύθυνση (τηλέφωνο, διαδικτυακά, κινητές μονάδες)", "1"],
    ]
    months = client.get(
        f"{PAGE}activities-per-month.csv", {"start": "2026-01-01", "end": "2026-03-31"}
    )
    assert [row[0] for row in csv.reader(io.StringIO(months.content.decode("utf-8-sig")))] == [
        "Μήνας",
        "2026-01",
        "2026-02",
        "2026-03",
    ]
    english = client.get(f"/en{PAGE}coverage.csv").content.decode("utf-8-sig")
    assert english.splitlines()[0] == "Category,1,2,3,4,5,6,7"
    assert client.get(f"{PAGE}nothing.csv").status_code == 404


def test_malformed_filters_get_a_message_and_the_rest_still_applies(client, network):
    for params in (
        {"district": "99"},
        {"category": "<script>"},
        {"actor_type": "x" * 300},
        {"start": "2026-13-45"},
        {"start": "2026-06-01", "end": "2026-01-01"},
        {"start": "2000-01-01", "end": "2026-01-01"},
        {"start": "2000-01-01"},  # too long a range up to this month, too
        {"end": "\x00"},
    ):
        response = client.get(PAGE, params)
        assert response.status_code == 200, params
        assert "δεν μπόρεσαν να χρησιμοποιηθούν" in response.content.decode(), params
        assert client.get(f"{PAGE}coverage.csv", params).status_code == 200
    html = client.get(PAGE, {"district": "99", "actor_type": "local-government"}).content.decode()
    assert "<td>2</td>" in html  # the valid filter still applies


def test_the_page_runs_a_fixed_number_of_queries_and_then_none(client, network):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(PAGE, HTTP_COOKIE="messages=x").status_code == 200
        return len(queries)

    cold = count()
    # Four totals; one grouped query per chart (two for categories: the subcategories,
    # two for activities: the activities and sessions of the whole period); the terms each
    # chart names (six lists); the filter form's three lists.
    assert cold == 4 + 10 + 8 + 3
    # Every chart and the totals are kept until an entry or a term changes; what is left
    # is the filter form's three lists of terms.
    assert count() == 3
    ServiceFactory(categories=["food"])
    assert count() == cold
    for n in range(5):
        ServiceFactory(
            categories=["housing-support", "food"], district=District.objects.get(slug=str(n + 1))
        )
    assert count() == cold


def test_a_new_publication_expires_the_charts(client, network):
    before = client.get(PAGE).content.decode()
    ServiceFactory(categories=["shelters"])
    after = client.get(PAGE).content.decode()
    assert "Στέγαση" not in before.split("services-by-category-h", 1)[1].split("</section>")[0]
    assert "Στέγαση" in after.split("services-by-category-h", 1)[1].split("</section>")[0]


def test_headline_totals_show_on_the_page_and_the_home_page(client, network):
    for url in (PAGE, "/"):
        html = client.get(url).content.decode()
        label = r'</span>\s*<span class="total-label">'
        assert re.search(rf'total-number">5{label}δημοσιευμένες υπηρεσίες', html), url
        assert re.search(rf'total-number">3{label}οργανισμοί-μέλη', html), url


def test_moderators_see_freshness_throughput_and_downloads(client, network):
    stale = ServiceFactory(
        organisation=network["city"], assured_date=timezone.localdate() - timedelta(days=400)
    )
    assert stale.pk
    ToolboxItem.objects.create(
        organisation=network["ngo"],
        title_el="Οδηγός",
        kind="guide",
        external_url="https://example.org/guide",
        status=Status.PUBLISHED,
        download_count=7,
    )
    pending = ServiceFactory(status=Status.PUBLISHED, categories=["food"])
    pending.submitted_at = timezone.now() - timedelta(hours=30)
    pending.reviewed_at = timezone.now() - timedelta(hours=6)
    pending.save()
    ChangeSet.objects.create(
        content_type_id=1,
        object_id=pending.pk,
        data={},
        state=ChangeSet.State.APPROVED,
        submitted_at=timezone.now() - timedelta(hours=5),
        reviewed_at=timezone.now() - timedelta(hours=3),
    )
    assert "Για τους συντονιστές" not in client.get(PAGE).content.decode()
    client.force_login(UserFactory(username="moderator", is_staff=True))
    html = client.get(PAGE).content.decode()
    assert "Για τους συντονιστές" in html
    assert "Οδηγός</a>: 7" in html and "7 λήψεις συνολικά" in html
    assert "<td>24,0</td>" in html  # 30 h − 6 h from submission to decision
    assert "<td>2,0</td>" in html  # the change
    name = re.escape(network["city"].name)
    city_row = re.search(
        rf'<th scope="row">{name}</th><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td>', html
    )
    assert city_row.groups() == ("3", "2", "2")
    assert Organisation.objects.count() >= 3


def test_the_period_defaults_to_twelve_whole_months_and_a_wrong_one_falls_back_whole():
    from stats.forms import StatsFilterForm

    today = timezone.localdate()
    period = StatsFilterForm().choices()
    assert period.end.month == today.month and (period.end + timedelta(days=1)).day == 1
    assert period.start.day == 1 and (period.end - period.start).days in range(330, 367)
    form = StatsFilterForm({"start": "2000-01-01"})
    assert not form.is_valid() and "start" in form.errors
    assert (form.choices().start, form.choices().end) == (period.start, period.end)
    asked = StatsFilterForm({"start": "2026-03-01", "end": "2026-05-31"})
    assert asked.is_valid()
    assert (asked.choices().start.isoformat(), asked.choices().end.isoformat()) == (
        "2026-03-01",
        "2026-05-31",
    )
