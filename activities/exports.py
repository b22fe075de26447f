"""The activities list's CSV and XLSX columns (core.exports).

Like the list, the dates are those of the chosen time: "this week" shows each activity's
sessions this week and the first of them as its first date, not the series' first (past)
one; by default (upcoming) the sessions not over yet; "past", every session.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy

from accmr.core.exports import Export

from .filters import sessions_in
from .models import Activity


def _sessions(activity: Activity) -> str:
    """Its sessions in the chosen time, "12/03/2027 18:00–20:00", in Athens time."""
    sessions = sorted(activity.export_children["sessions"], key=lambda s: s.starts)
    return "; ".join(
        f"{timezone.localtime(s.starts):%d/%m/%Y %H:%M}–{timezone.localtime(s.ends):%H:%M}"
        for s in sessions
    )


def _first(activity: Activity):
    sessions = activity.export_children["sessions"]
    return timezone.localtime(min(s.starts for s in sessions)).date() if sessions else None


ACTIVITY_EXPORT = Export(
    filename="activities",
    sheet=gettext_lazy("Activities"),
    url_name="activities:detail",
    fields=(
        *(f"{name}_{lang}" for name in ("title", "summary", "address") for lang in ("el", "en")),
        *(
            f"{rel}__name_{lang}"
            for rel in ("organisation", "district", "activity_type")
            for lang in ("el", "en")
        ),
        "slug",
        "postcode",
        "cost",
        "registration_url",
        "capacity",
    ),
    related=("organisation", "district", "activity_type"),
    relations=("categories", "languages", "target_groups"),
    children=("sessions",),
    children_in=lambda filterset: {"sessions": sessions_in(*filterset.window)},
    columns=(
        (gettext_lazy("Title"), lambda a: a.title, 40),
        (gettext_lazy("Organisation"), lambda a: a.organisation.name, 32),
        (gettext_lazy("Activity type"), lambda a: a.activity_type.name, 20),
        (gettext_lazy("First date"), _first, 14),
        (gettext_lazy("Sessions"), _sessions, 40),
        (gettext_lazy("Municipal district"), lambda a: a.district.name if a.district else "", 28),
        (gettext_lazy("Address"), lambda a: ", ".join(filter(None, [a.address, a.postcode])), 36),
        (gettext_lazy("Cost"), lambda a: a.get_cost_display(), 12),
        (gettext_lazy("Registration link"), lambda a: a.registration_url, 30),
        (gettext_lazy("Places"), lambda a: a.capacity, 10),
        (gettext_lazy("Languages"), lambda a: a.export_terms["languages"], 24),
        (gettext_lazy("Target groups"), lambda a: a.export_terms["target_groups"], 28),
        (gettext_lazy("Categories"), lambda a: a.export_terms["categories"], 32),
        (gettext_lazy("Summary"), lambda a: a.summary or "", 50),
        (gettext_lazy("Link"), lambda a: a.export_url, 50),
    ),
)
