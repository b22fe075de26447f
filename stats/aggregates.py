"""The numbers behind each chart: one grouped query each, counted in the database.

Every function takes the page's filters (forms.Choices) and returns a Chart: its labels
in the active language, one or more series of counts, and what its table and CSV show.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db.models import Case, CharField, Count, F, Q, Value, When
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accmr.core.models import linked_to_tree
from accmr.members.models import Organisation
from accmr.taxonomy.models import ActivityType, ActorType, Category, District, SupportType
from activities.models import Activity, Session
from services.models import Service
from support.models import SupportPost


@dataclass
class Chart:
    key: str
    title: str
    kind: str  # "bars", "stacked" (series stacked per label) or "grid" (a heatmap)
    axis: str  # what the labels are ("Category")
    labels: list[str]
    series: list[tuple[str, list[int]]]  # (name, one count per label)
    unit: str = ""  # what is counted ("services")
    additive: bool = True  # False where one entry counts under several labels
    columns_axis: str = ""  # a grid's columns ("Municipal district")
    keys: list[str] = field(default_factory=list)  # the labels for data tools, if they differ
    # Each series' place in its vocabulary, so its colour stays put under any filter.
    colours: list[int] = field(default_factory=list)
    note: str = ""  # shown under the chart
    # Where an entry counts under several labels (an activity in each month it meets):
    # the entries counted once, and their sessions, over the whole period.
    distinct: int | None = None
    sessions: int | None = None
    # For a grid the series are its rows and `labels` its columns.
    breakdown: list[tuple[str, list[tuple[str, int]]]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(sum(values) for _name, values in self.series)

    @property
    def wide(self) -> bool:
        """Its table has a column per series: more than a few need the page's width."""
        return self.kind != "grid" and len(self.series) > 3

    @property
    def empty(self) -> bool:
        return self.total == 0

    def table(self, *, for_data: bool = False) -> tuple[list[str], list[list]]:
        """The header and rows of the chart's data table; `for_data` (the CSV) names the
        labels as data tools sort them, where the chart has such names (2026-01)."""
        if self.kind == "grid":
            header = [self.axis, *self.labels]
            return header, [[name, *values] for name, values in self.series]
        header = [self.axis, *(name for name, _values in self.series)]
        labels = self.keys if for_data and self.keys else self.labels
        rows = [
            [label, *(values[i] for _n, values in self.series)] for i, label in enumerate(labels)
        ]
        return header, rows


def _services(choices):
    services = Service.objects.published()
    if choices.district:
        services = services.filter(district=choices.district)
    if choices.category:
        services = services.in_categories([choices.category])
    if choices.actor_type:
        services = services.filter(organisation__actor_type=choices.actor_type)
    return services


def _window(choices) -> tuple[datetime, datetime]:
    """The date range as aware moments, from the start of the first day to the end of
    the last, in Athens time."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(choices.start, time.min, zone)
    end = datetime.combine(choices.end + timedelta(days=1), time.min, zone)
    return start, end


def _top_categories():
    """(top category, its children) in the tree's order, the active ones (a query)."""
    return Category.objects.active().tree()


def services_by_category(choices) -> Chart:
    """Published services per top category (a service in two subcategories of one top
    counts once), with the subcategories beneath."""
    services = _services(choices).values("pk")
    links = Service.categories.through.objects.filter(service__in=services)
    per_top = dict(
        links.annotate(top=Coalesce("category__parent_id", "category_id"))
        .order_by()
        .values("top")
        .annotate(n=Count("service_id", distinct=True))
        .values_list("top", "n")
    )
    per_category = dict(
        links.order_by()
        .values("category_id")
        .annotate(n=Count("service_id", distinct=True))
        .values_list("category_id", "n")
    )
    tree = [(top, kids) for top, kids in _top_categories() if per_top.get(top.pk)]
    tree.sort(key=lambda pair: -per_top[pair[0].pk])
    return Chart(
        key="services-by-category",
        title=_("Published services by category"),
        kind="bars",
        axis=_("Category"),
        labels=[top.name for top, _kids in tree],
        series=[(_("Services"), [per_top[top.pk] for top, _kids in tree])],
        unit=_("services"),
        note=_("A service in several categories counts in each."),
        additive=False,
        breakdown=[
            (
                top.name,
                [(kid.name, per_category[kid.pk]) for kid in kids if per_category.get(kid.pk)],
            )
            for top, kids in tree
        ],
    )


def services_by_district(choices) -> Chart:
    """Published services per municipal district; those with no district (by phone,
    online or outreach across the city) apart, as a last bar."""
    counts = _grouped(_services(choices), "district")
    districts = [d for d in District.objects.active() if counts.get(d.pk)]
    labels = [d.name for d in districts]
    values = [counts[d.pk] for d in districts]
    if counts.get(None):
        labels.append(_("No physical address (phone, online, outreach)"))
        values.append(counts[None])
    return Chart(
        key="services-by-district",
        title=_("Published services by municipal district"),
        kind="bars",
        axis=_("Municipal district"),
        labels=labels,
        series=[(_("Services"), values)],
        unit=_("services"),
    )


def _grouped(queryset, field: str) -> dict:
    """`field`'s value → how many rows have it (one GROUP BY query)."""
    grouped = queryset.order_by().values(field).annotate(n=Count("pk"))
    return dict(grouped.values_list(field, "n"))


def _by_actor_type(counts: dict, **chart) -> Chart:
    """A bar per actor type with a count in `counts` (id → count), the largest first."""
    types = sorted(
        (t for t in ActorType.objects.all() if counts.get(t.pk)), key=lambda t: -counts[t.pk]
    )
    name = chart.pop("series_name")
    return Chart(
        kind="bars",
        axis=_("Type of organisation"),
        labels=[t.name for t in types],
        series=[(name, [counts[t.pk] for t in types])],
        **chart,
    )


def services_by_actor_type(choices) -> Chart:
    return _by_actor_type(
        _grouped(_services(choices), "organisation__actor_type"),
        key="services-by-actor-type",
        title=_("Published services by type of organisation"),
        series_name=_("Services"),
        unit=_("services"),
    )


def coverage(choices) -> Chart:
    """Services per top category and district: the empty cells are where the city is
    thin. Services with no district are left out of the grid."""
    services = _services(choices).filter(district__isnull=False).values("pk")
    cells = {
        (top, district): n
        for top, district, n in Service.categories.through.objects.filter(service__in=services)
        .annotate(top=Coalesce("category__parent_id", "category_id"))
        .order_by()
        .values("top", "service__district")
        .annotate(n=Count("service_id", distinct=True))
        .values_list("top", "service__district", "n")
    }
    districts = list(District.objects.active())
    tops = [top for top, _kids in _top_categories()]
    return Chart(
        key="coverage",
        title=_("Coverage: services by category and municipal district"),
        kind="grid",
        axis=_("Category"),
        labels=[pgettext("short district", "%(number)s") % {"number": d.slug} for d in districts],
        columns_axis=_("Municipal district"),
        series=[(top.name, [cells.get((top.pk, d.pk), 0) for d in districts]) for top in tops],
        unit=_("services"),
        note=_(
            "Columns are the municipal districts 1 to 7; services without a district are not in the grid."
        ),
    )


def members_by_actor_type(choices) -> Chart:
    members = Organisation.objects.members()
    if choices.district:
        members = members.filter(district=choices.district)
    if choices.category:
        members = members.filter(activity_fields=choices.category.parent or choices.category)
    if choices.actor_type:
        members = members.filter(actor_type=choices.actor_type)
    return _by_actor_type(
        _grouped(members, "actor_type"),
        key="members-by-actor-type",
        title=_("Member organisations by type"),
        note=_("By the district of the organisation's own address."),
        series_name=_("Members"),
        unit=_("members"),
    )


def _months(choices) -> list:
    first = choices.start.replace(day=1)
    months, month = [], first
    while month <= choices.end:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def activities_per_month(choices) -> Chart:
    """Published activities with a session in each month of the range, by activity type
    (an activity with sessions in two months counts in both), and how many activities and
    sessions the range holds in all (two queries)."""
    activities = Activity.objects.published()
    if choices.category:
        activities = activities.filter(linked_to_tree(Activity, "categories", [choices.category]))
    if choices.actor_type:
        activities = activities.filter(organisation__actor_type=choices.actor_type)
    sessions = Session.objects.filter(activity__in=activities.values("pk"))
    if choices.district:
        sessions = sessions.filter(
            Q(district=choices.district)
            | Q(district__isnull=True, activity__district=choices.district)
        )
    start, end = _window(choices)
    sessions = sessions.filter(starts__gte=start, starts__lt=end)
    rows = (
        sessions.annotate(month=TruncMonth("starts"))
        .order_by()
        .values("month", "activity__activity_type")
        .annotate(n=Count("activity", distinct=True))
        .values_list("month", "activity__activity_type", "n")
    )
    counts = {}
    for month, kind, n in rows:
        month = month.date() if hasattr(month, "date") else month
        counts[(month.replace(day=1), kind)] = n
    months = _months(choices)
    every_type = list(ActivityType.objects.all())
    types = [t for t in every_type if any(k == t.pk for _m, k in counts)]
    return Chart(
        key="activities-per-month",
        title=_("Activities per month, by type"),
        kind="stacked",
        axis=_("Month"),
        labels=[date_format(m, "M Y") for m in months],
        keys=[f"{m:%Y-%m}" for m in months],
        series=[(t.name, [counts.get((m, t.pk), 0) for m in months]) for t in types],
        colours=[every_type.index(t) for t in types],
        note=_(
            "An activity with sessions in several months counts in each; the current month "
            "counts the sessions already planned in it."
        ),
        unit=_("activities"),
        additive=False,
        **sessions.aggregate(distinct=Count("activity", distinct=True), sessions=Count("pk")),
    )


def _posts(choices):
    posts = SupportPost.objects.published()
    if choices.district:
        posts = posts.filter(district=choices.district)
    if choices.actor_type:
        posts = posts.filter(organisation__actor_type=choices.actor_type)
    start, end = _window(choices)
    return posts.filter(published_at__gte=start, published_at__lt=end)


def support_by_type(choices) -> Chart:
    """Support posts published in the range per top support type, requests and offers."""
    links = SupportPost.support_types.through.objects.filter(
        supportpost__in=_posts(choices).values("pk")
    )
    counts = {
        (top, kind): n
        for top, kind, n in links.annotate(top=Coalesce("supporttype__parent_id", "supporttype_id"))
        .order_by()
        .values("top", "supportpost__kind")
        .annotate(n=Count("supportpost_id", distinct=True))
        .values_list("top", "supportpost__kind", "n")
    }
    tops = [
        top
        for top, _kids in SupportType.objects.active().tree()
        if any(t == top.pk for t, _k in counts)
    ]
    return Chart(
        key="support-by-type",
        title=_("Support posts by kind of support"),
        kind="stacked",
        axis=_("Kind of support"),
        labels=[top.name for top in tops],
        series=[
            (str(label), [counts.get((top.pk, kind), 0) for top in tops])
            for kind, label in (
                (SupportPost.Kind.REQUEST, pgettext("support posts", "Requests")),
                (SupportPost.Kind.OFFER, pgettext("support posts", "Offers")),
            )
        ],
        unit=_("posts"),
        additive=False,
        note=_(
            "Posts published in the chosen dates; a post of several kinds counts in each; "
            "the category filter does not apply."
        ),
    )


def support_by_state(choices) -> Chart:
    """Support posts published in the range by where they stand now (past their date
    counts as expired, marked or not)."""
    today = timezone.localdate()
    shown = Case(
        When(
            state__in=SupportPost.ON_BOARD,
            expires_on__lt=today,
            then=Value(SupportPost.State.EXPIRED),
        ),
        default=F("state"),
        output_field=CharField(),
    )
    counts = _grouped(_posts(choices).annotate(shown=shown), "shown")
    states = [s for s in SupportPost.State if counts.get(s.value)]
    return Chart(
        key="support-by-state",
        title=_("Support posts by state"),
        kind="bars",
        axis=_("State"),
        labels=[s.label for s in states],
        series=[(_("Posts"), [counts[s.value] for s in states])],
        unit=_("posts"),
        note=_("Posts published in the chosen dates; the category filter does not apply."),
    )


CHARTS = {
    "services-by-category": services_by_category,
    "services-by-district": services_by_district,
    "services-by-actor-type": services_by_actor_type,
    "coverage": coverage,
    "members-by-actor-type": members_by_actor_type,
    "activities-per-month": activities_per_month,
    "support-by-type": support_by_type,
    "support-by-state": support_by_state,
}


def totals() -> dict:
    """The headline numbers: members, published services, upcoming activities, open
    requests for support (four counts)."""
    return {
        "members": Organisation.objects.members().count(),
        "services": Service.objects.published().count(),
        "activities": Activity.objects.published().upcoming().count(),
        "requests": SupportPost.objects.published()
        .on_board()
        .filter(kind=SupportPost.Kind.REQUEST)
        .count(),
    }
