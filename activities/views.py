from urllib.parse import urlencode

from django.db.models.functions import Coalesce
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from accmr.core.access import get_entry_for_viewer
from accmr.core.cache import CONTENT, public_page, remember
from accmr.core.clients import site_url
from accmr.core.geo import pins_response
from accmr.core.lists import FilteredList
from accmr.core.sections import ProfileGroup

from . import ics
from .exports import ACTIVITY_EXPORT
from .filters import ActivityFilter, sessions_in
from .models import Activity, Session


class ActivityList(FilteredList):
    """Upcoming activities by default, soonest first and grouped by date."""

    model = Activity
    filterset_class = ActivityFilter
    template_name = "activities/activity_list.html"
    card_template = "activities/_activity_card.html"
    sorts = {
        "date": (gettext_lazy("date"), "by_date"),
        "title": (gettext_lazy("title"), "by_name"),
    }
    export = ACTIVITY_EXPORT
    title = gettext_lazy("Activities")
    filters_label = gettext_lazy("Filter activities")

    def extra_context(self, filterset) -> dict:
        """The list's calendar feed and map pins, for the filters the list applied."""
        query = filterset.query()
        path = reverse("activities:calendar") + (f"?{query}" if query else "")
        address = site_url() + path
        return {
            "filter_query": query,
            "feed": {
                "path": path,
                "address": address,
                "webcal": "webcal://" + address.split("://", 1)[-1],
            },
        }


def asking_for_support(types=(), limit: int = 4) -> list[Activity]:
    """Upcoming public activities that would welcome support of one of `types` (or of
    their children; any if none), soonest first: for the support board."""
    asking = Activity.objects.published().upcoming().asking_for_support(types)
    return list(asking.for_listing().prefetch_related("support_wanted").by_date()[:limit])


@public_page()
def activity_detail(request, slug):
    activity = get_entry_for_viewer(request, Activity.objects.for_detail(), slug)
    return render(request, "activities/activity_detail.html", {"activity": activity})


@public_page()
def activity_ics(request, slug):
    """ "Add to calendar": every session of one activity (past ones included)."""
    activity = get_object_or_404(Activity.objects.for_detail().published(), slug=slug)
    sessions = list(activity.sessions.all())
    for session in sessions:
        session.activity = activity
    return ics.response(ics.calendar(sessions, name=activity.title), f"{activity.slug}.ics")


@public_page(filters=ActivityFilter)
def calendar_feed(request):
    """A subscribable feed of the filtered list: the sessions in the chosen time of every
    activity the same filters find (upcoming by default)."""
    filterset = ActivityFilter(request.GET or None, queryset=Activity.objects.published())
    if filterset.errors:
        return refused(filterset)
    sessions = (
        sessions_in(*filterset.window)
        .filter(activity__in=filterset.qs.values("pk"))
        .select_related("activity", "activity__organisation", "district", "activity__district")
        .order_by("starts")[:2000]
    )
    name = str(gettext_lazy("ACCMR portal: activities"))
    return ics.response(ics.calendar(sessions, name=name), "activities.ics")


def refused(filterset) -> HttpResponseBadRequest:
    """A feed has no page to show a warning on, and a calendar that quietly dropped a
    filter would be wrong for as long as it is subscribed: a wrong value is a 400 that
    names it (the list's own links carry only the values it applied)."""
    lines = [gettext("These filters could not be applied:")]
    for name, errors in filterset.errors.items():
        field = filterset.form.fields.get(name)
        lines.append(f"{field.label}: {' '.join(errors)}" if field else " ".join(errors))
    return HttpResponseBadRequest("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


ON_PROFILE = 10


def profile_groups(organisation, activities) -> list[ProfileGroup]:
    """A member's profile: its next activities, then its most recent past ones, each
    with a link to the rest in the list."""

    def group(heading, rows, more_label, **filters):
        rows = list(rows.by_date()[: ON_PROFILE + 1])
        filters["organisation"] = organisation.slug
        more = f"{reverse('activities:list')}?{urlencode(filters)}"
        return ProfileGroup(
            heading, rows[:ON_PROFILE], more if len(rows) > ON_PROFILE else "", more_label
        )

    return [
        group(
            gettext_lazy("Coming up"),
            activities.upcoming(),
            gettext_lazy("All its coming activities"),
        ),
        group(
            gettext_lazy("Past"),
            activities.past(),
            gettext_lazy("All its past activities"),
            when="past",
        ),
    ]


def home_section(request) -> dict:
    """The next activities on the home page: one query, shared for the hour."""
    now = timezone.localtime()
    key = f"home:activities:{now:%Y-%m-%d-%H}"
    return {"upcoming": remember(key, _next_activities, depends=(CONTENT,))}


def _next_activities(limit: int = 5) -> list[tuple]:
    """(starts, ends, activity) for the next sessions of different published activities."""
    sessions = (
        Session.objects.filter(
            ends__gte=timezone.now(), activity__in=Activity.objects.published().values("pk")
        )
        .select_related("activity", "activity__organisation", "activity__activity_type")
        .order_by("starts")[: limit * 6]
    )
    seen, found = set(), []
    for session in sessions:
        if session.activity_id not in seen and len(found) < limit:
            seen.add(session.activity_id)
            found.append((session.starts, session.ends, session.activity))
    return found


@public_page(filters=ActivityFilter)
def activity_map(request):
    """GeoJSON of the places of the filtered activities' sessions in the chosen time (a
    session's own place, or its activity's), one pin per activity and place."""
    filterset = ActivityFilter(request.GET or None, queryset=Activity.objects.published())
    if filterset.errors:
        return refused(filterset)
    rows = (
        sessions_in(*filterset.window)
        .filter(activity__in=filterset.qs.values("pk"))
        .values_list(
            "activity__slug",
            "activity__title_el",
            "activity__title_en",
            "activity__organisation__name_el",
            "activity__organisation__name_en",
            Coalesce("latitude", "activity__latitude"),
            Coalesce("longitude", "activity__longitude"),
        )
        .order_by()
        .distinct()
    )
    return pins_response(request, rows, "activities:detail")
