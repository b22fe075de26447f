"""The statistics page's shape and words: the three headline charts first, charts drawn for a
phone's width, the activities counted once each (against an SQL count of our own), and a
change that redraws only the charts whose content it changed."""

import re
from datetime import UTC, datetime, time, timedelta

import pytest
from django.db import connection
from django.utils import timezone

import stats.views
from accmr.core.models import Status
from accmr.members.models import INDIVIDUAL
from accmr.taxonomy.models import ActivityType, ActorType, District
from activities.models import Activity, Session
from stats.forms import StatsFilterForm, default_period

from .factories import OrganisationFactory, ServiceFactory

pytestmark = pytest.mark.django_db
PAGE = "/stats/"
HEADLINE = ["services-by-category", "services-by-district", "services-by-actor-type"]


def distinct_activities_in_period(start, end) -> tuple[int, int]:
    """Published activities of public owners with a session starting in [start, end) Athens
    days, and those sessions: counted in SQL, not through the app's QuerySets."""
    zone = timezone.get_current_timezone()
    moments = [
        datetime.combine(day, time.min, zone).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
        for day in (start, end + timedelta(days=1))
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT COUNT(DISTINCT s.activity_id), COUNT(*)
            FROM activities_session s
            JOIN activities_activity a ON a.id = s.activity_id
            JOIN members_organisation o ON o.id = a.organisation_id
            LEFT JOIN taxonomy_actortype t ON t.id = o.actor_type_id
            WHERE a.status = 'published' AND o.approval = 'approved'
              AND (t.slug IS NULL OR t.slug <> %s)
              AND s.starts >= %s AND s.starts < %s
            """,
            [INDIVIDUAL, *moments],
        )
        return cursor.fetchone()


def activities_sentence(html: str) -> str:
    section = html.split('id="activities-per-month-h"', 1)[1].split("</section>", 1)[0]
    return re.search(r"<figcaption>(.*?)</figcaption>", section, flags=re.S)[1]


def sections(html: str) -> list[str]:
    return re.findall(r'<section class="chart[^"]*" aria-labelledby="([\w-]+)-h"', html)


def test_an_activity_meeting_in_two_months_is_one_activity_in_the_sentence(client, db):
    organiser = OrganisationFactory()
    workshop = ActivityType.objects.get(slug="workshop")
    zone, today = timezone.get_current_timezone(), timezone.localdate()
    last_month = today.replace(day=1) - timedelta(days=10)
    # Α meets once last month and twice this month, Β once this month.
    for title, days in (("Α", [last_month, today, today]), ("Β", [today])):
        activity = Activity.objects.create(
            organisation=organiser, title_el=title, status=Status.PUBLISHED, activity_type=workshop
        )
        for hour, day in enumerate(days, start=9):
            starts = datetime.combine(day, time(hour), zone)
            Session.objects.create(
                activity=activity, starts=starts, ends=starts + timedelta(hours=1)
            )
    period = StatsFilterForm().choices()
    assert distinct_activities_in_period(period.start, period.end) == (2, 4)

    sentence = activities_sentence(client.get(PAGE).content.decode())
    # Three activity-months (Α in two months, Β in one), but two activities and four sessions.
    assert sentence.startswith(
        "2 δράσεις με συναντήσεις στις επιλεγμένες ημερομηνίες (4 συναντήσεις)."
    )
    assert "Σύνολο" not in sentence and "3 δράσεις" not in sentence
    english = activities_sentence(client.get(f"/en{PAGE}").content.decode())
    assert english.startswith("2 activities with a session in the chosen dates (4 sessions).")
    assert "An activity with sessions in several months counts in each" in english


@pytest.mark.usefixtures("demo_for_the_class")
class TestOnTheDemoData:
    """Read the demo data only."""

    @pytest.mark.parametrize(
        ("prefix", "pattern"),
        [
            ("", r"^(\d+) δράσεις με συναντήσεις .*? \((\d+) συναντήσεις\)\."),
            ("/en", r"^(\d+) activities with a session .*? \((\d+) sessions\)\."),
        ],
    )
    def test_the_activities_sentence_equals_an_sql_count(self, client, prefix, pattern):
        page = client.get(f"{prefix}{PAGE}")
        period = page.context["choices"]
        counted = distinct_activities_in_period(period.start, period.end)
        said = re.match(pattern, activities_sentence(page.content.decode()))
        assert (int(said[1]), int(said[2])) == counted
        chart = next(
            d.chart for d in page.context["charts"] if d.chart.key == "activities-per-month"
        )
        assert chart.total > counted[0]  # the per-month bars count an activity in each month

    def test_the_three_headline_charts_come_first(self, client):
        html = client.get(PAGE).content.decode()
        headline, rest = html.split('class="stats-headline"', 1)[1].split('class="totals-title"', 1)
        assert sections(headline) == HEADLINE
        assert not set(HEADLINE) & set(sections(rest))
        assert html.index('class="stats-headline"') < html.index('id="stats-filters"')

    def test_every_chart_is_drawn_for_a_phone_width_with_text_of_12_or_more(self, client):
        """A 390 px phone gives a chart 358 px: a drawing no wider shows its text at full
        size, so text of 12 or more of its units is 12 px or more."""
        for prefix in ("", "/en"):
            svgs = re.findall(
                r"<svg[^>]*>.*?</svg>", client.get(f"{prefix}{PAGE}").content.decode()
            )
            assert len(svgs) == 8
            for image in svgs:
                width = float(re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+)', image)[1])
                sizes = {float(size) for size in re.findall(r'font-size="([\d.]+)px"', image)}
                assert width <= 358 and sizes and min(sizes) >= 12, (prefix, image[:200])


def test_a_change_redraws_only_the_charts_whose_content_it_changed(client, db, monkeypatch):
    drawn = []
    draw = stats.views.svg

    def counting(chart, **kwargs):
        drawn.append(chart.key)
        return draw(chart, **kwargs)

    monkeypatch.setattr(stats.views, "svg", counting)
    ngo = OrganisationFactory(actor_type=ActorType.objects.get(slug="greek-ngo"))
    three = District.objects.get(slug="3")
    ServiceFactory(organisation=ngo, district=three, categories=["greek-language"])
    first = client.get(PAGE, HTTP_COOKIE="messages=x").content.decode()
    assert sorted(drawn) == sorted([*HEADLINE, "coverage", "members-by-actor-type"])

    # A pending service changes no count: every chart's numbers are counted again, and not
    # one is drawn again.
    drawn.clear()
    ServiceFactory(organisation=ngo, status=Status.PENDING, categories=["food"])
    again = client.get(PAGE, HTTP_COOKIE="messages=x").content.decode()
    assert drawn == [] and again.count("<svg") == first.count("<svg")

    # A published one changes the service charts, not the members'.
    ServiceFactory(organisation=ngo, district=three, categories=["food"])
    html = client.get(PAGE, HTTP_COOKIE="messages=x").content.decode()
    assert sorted(drawn) == sorted([*HEADLINE, "coverage"])
    assert "Βασικές ανάγκες" in html.split('id="services-by-category-h"', 1)[1].split("</svg>")[0]


@pytest.mark.parametrize("query", [{}, {"district": "6"}])
def test_the_date_fields_show_the_period_counted(client, query):
    start, end = default_period()
    html = client.get("/stats/", query).content.decode()
    assert f'name="start" value="{start:%Y-%m-%d}"' in html
    assert f'name="end" value="{end:%Y-%m-%d}"' in html
