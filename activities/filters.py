"""The activities list's filters: when, what, where, for whom; every value a GET parameter."""

from datetime import datetime, time, timedelta

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accmr.core.filters import (
    ChoicesFilter,
    DateFilter,
    PortalFilterSet,
    RadioFilter,
    SearchFilter,
    TermFilter,
)
from accmr.members.filters import OwnerFilter, actor_type_filter
from accmr.taxonomy.filters import category_filters, district_filter
from accmr.taxonomy.models import ActivityType, Language, TargetGroup

from .models import Activity, Session

# No value is "upcoming" (the panel's first choice, the list's default).
WHEN = [
    ("today", _("Today")),
    ("week", _("This week")),
    ("month", _("This month")),
    ("past", _("Past")),
]
MODES = [("in_person", _("In person")), ("online", _("Online"))]


def window(when: str, first=None, last=None) -> tuple:
    """The [start, end) a `when` value or a date range stands for, in Athens time; None
    for an open end ("upcoming" is from now on, "past" until now)."""
    now = timezone.localtime()
    midnight = datetime.combine(now.date(), time(), tzinfo=now.tzinfo)
    if first or last:
        start = datetime.combine(first, time(), tzinfo=now.tzinfo) if first else None
        end = (
            datetime.combine(last + timedelta(days=1), time(), tzinfo=now.tzinfo) if last else None
        )
        return start, end
    # Today, this week and this month run from now: what is already over is past.
    if when == "today":
        return now, midnight + timedelta(days=1)
    if when == "week":  # until Sunday night
        return now, midnight + timedelta(days=7 - now.weekday())
    if when == "month":
        following = (now.replace(day=28) + timedelta(days=4)).replace(day=1)
        return now, datetime.combine(following.date(), time(), tzinfo=now.tzinfo)
    if when == "past":
        return None, now
    return now, None  # upcoming


def sessions_in(start, end):
    """Sessions that meet [start, end) (None: open)."""
    sessions = Session.objects.all()
    if start is not None:
        sessions = sessions.filter(ends__gte=start)
    if end is not None:
        sessions = sessions.filter(starts__lt=end)
    return sessions


class ActivityFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("from"), cleaned.get("to")
        if first and last and last < first:
            self.add_error("to", _("“To” cannot be before “from”."))
        return cleaned


class ActivityFilter(PortalFilterSet):
    q = SearchFilter()
    when = RadioFilter(
        label=_("When"), choices=WHEN, method="by_date", empty_label=_("Upcoming"), panel_open=True
    )
    activity_type = TermFilter(
        label=_("Activity type"),
        field_name="activity_type__slug",
        queryset=ActivityType.objects.active(),
    )
    category, subcategory = category_filters()
    district = district_filter(method="filter_district", panel_open=True)
    mode = ChoicesFilter(label=_("In person or online"), choices=MODES, method="filter_mode")
    language = TermFilter(
        label=_("Language"), field_name="languages__slug", queryset=Language.objects.active()
    )
    target_group = TermFilter(
        label=_("Target group"),
        field_name="target_groups__slug",
        queryset=TargetGroup.objects.active(),
    )
    actor_type = actor_type_filter()
    organisation = OwnerFilter()
    # `from` and `to` are Python keywords: declared through the class namespace.
    locals()["from"] = DateFilter(label=_("From"), method="by_date")
    locals()["to"] = DateFilter(label=_("To"), method="by_date")

    class Meta:
        model = Activity
        fields = []
        form = ActivityFilterForm

    def by_date(self, queryset, name, value):
        return queryset  # read together in filter_queryset

    @property
    def window(self) -> tuple:
        """The time asked for; a wrong value is left out (the list says so), the rest holds."""
        if not self.is_bound:
            return window("upcoming")
        self.form.is_valid()  # cleaned_data then holds only the values that could be applied
        data = self.form.cleaned_data
        return window(data.get("when") or "upcoming", data.get("from"), data.get("to"))

    def filter_queryset(self, queryset):
        """Activities with a session in the chosen time (upcoming by default)."""
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("when") == "past":
            return queryset.past()  # over: no session left, not merely one begun
        return queryset.with_sessions(sessions_in(*self.window))

    @property
    def qs(self):
        """Unfiltered too (no parameters at all), the list shows what is upcoming."""
        if self.is_bound:
            return super().qs
        return self.queryset.with_sessions(sessions_in(*self.window))

    def filter_district(self, queryset, name, value):
        """At the activity's place or at a session's own place in these districts."""
        if not value:
            return queryset
        elsewhere = Session.objects.filter(activity=OuterRef("pk"), district__in=value)
        return queryset.filter(Q(district__in=value) | Exists(elsewhere))

    def filter_mode(self, queryset, name, value):
        if not value or set(value) == {"in_person", "online"}:
            return queryset
        online = "online" in value
        sessions = Session.objects.filter(activity=OuterRef("pk"))
        sessions = sessions.exclude(online_url="") if online else sessions.filter(online_url="")
        return queryset.filter(Exists(sessions))
