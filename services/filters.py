import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accmr.core.filters import (
    ChoicesFilter,
    PanelFilter,
    PortalFilterSet,
    RadioFilter,
    SearchFilter,
    TermFilter,
)
from accmr.members.filters import OwnerFilter, actor_type_filter
from accmr.taxonomy.filters import category_filters, district_filter
from accmr.taxonomy.models import Language, TargetGroup

from . import hours
from .models import Service, Weekday

# ?open_day=mon … sun, and the HSDS byday code each stands for.
BYDAY = dict(zip(["mon", "tue", "wed", "thu", "fri", "sat", "sun"], Weekday, strict=True))
DAYS = [(value, code.label) for value, code in BYDAY.items()]


class OpenNowFilter(PanelFilter, django_filters.ChoiceFilter):
    """`?open_now=1`: open at this moment (services.hours); the panel's "Opening hours"
    group also draws `open_day` and `open_time` (filtered together by the FilterSet)."""

    panel_kind = "template"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", [("1", _("open now"))])
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return qs.filter(hours.open_at_moment()) if value == "1" else qs

    def panel_context(self, filterset) -> dict:
        day, clock = filterset.chosen("open_day"), filterset.chosen("open_time")
        now = filterset.chosen("open_now")
        return {
            "template": "services/_filter_hours.html",
            "now": bool(now),
            "day": day[0] if day else "",
            "time": clock[0].strftime("%H:%M") if clock else "",
            "days": DAYS,
            "chosen": [*now, *day, *clock],
        }


class OpenDayFilter(PanelFilter, django_filters.ChoiceFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, choices=DAYS, in_panel=False, method="by_hours", **kwargs)


class OpenTimeFilter(PanelFilter, django_filters.TimeFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("input_formats", ["%H:%M"])
        kwargs.setdefault("error_messages", {"invalid": _("Enter a time like 18:00.")})
        super().__init__(*args, in_panel=False, method="by_hours", **kwargs)

    def chip_label(self, value) -> str:
        return value.strftime("%H:%M")

    def chip_value(self, value) -> str:
        return value.strftime("%H:%M")


class ServiceFilter(PortalFilterSet):
    """The public services list's filters; every value is a repeatable GET parameter."""

    q = SearchFilter()
    category, subcategory = category_filters(panel_open=True)
    district = district_filter(panel_open=True)
    cost = ChoicesFilter(label=_("Cost"), choices=Service.Cost.choices, panel_open=True)
    target_group = TermFilter(
        label=_("Target group"),
        field_name="target_groups__slug",
        queryset=TargetGroup.objects.active(),
    )
    language = TermFilter(
        label=_("Language spoken"), field_name="languages__slug", queryset=Language.objects.active()
    )
    location = ChoicesFilter(
        label=_("Location"), field_name="location_type", choices=Service.LocationType.choices
    )
    referral = RadioFilter(
        label=_("Referral"),
        choices=[("yes", _("Referral required")), ("no", _("No referral needed"))],
        method="filter_referral",
        empty_label=_("Either"),
    )
    wheelchair = RadioFilter(
        label=_("Wheelchair access"),
        choices=Service.Access.choices[1:] + [("unknown", _("Not stated"))],
        method="filter_wheelchair",
        empty_label=_("Any"),
    )
    actor_type = actor_type_filter()
    organisation = OwnerFilter()
    open_now = OpenNowFilter(label=_("Opening hours"))
    open_day = OpenDayFilter(label=_("Open on"))
    open_time = OpenTimeFilter(label=_("Open at"))

    class Meta:
        model = Service
        fields = []

    def filter_referral(self, queryset, name, value):
        return queryset.filter(referral_required=value == "yes")

    def filter_wheelchair(self, queryset, name, value):
        # "unknown" stands for the empty value, which a filter would read as "any".
        return queryset.filter(wheelchair_access="" if value == "unknown" else value)

    def by_hours(self, queryset, name, value):
        return queryset  # open_day and open_time are read together in filter_queryset

    def filter_queryset(self, queryset):
        """A weekday and a time filter together: open on Monday at 18:00 (a time alone:
        today; a day alone: at any time that day)."""
        queryset = super().filter_queryset(queryset)
        day = self.form.cleaned_data.get("open_day")
        clock = self.form.cleaned_data.get("open_time")
        if day or clock:
            code = (
                BYDAY[day].value if day else hours.day_code(timezone.localtime(hours.now()).date())
            )
            queryset = queryset.filter(hours.open_on(code, clock))
        return queryset
