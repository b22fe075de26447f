"""What only moderators see on the statistics page: how current the services are, how
fast entries and changes are decided, and what the toolbox's readers take away."""

from datetime import timedelta
from statistics import median

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accmr.core.models import ChangeSet, Status
from accmr.core.sections import entry_types
from accmr.members.models import Organisation
from services.models import Service
from toolbox.models import ToolboxItem

from .aggregates import _window

DECIDED = (Status.PUBLISHED, Status.REJECTED, Status.ARCHIVED)


def freshness() -> dict:
    """Per organisation, its published services and how many were verified in the last 6
    and 12 months; the least current first (one grouped query and the names)."""
    today = timezone.localdate()
    six, twelve = today - timedelta(days=182), today - timedelta(days=365)
    rows = list(
        Service.objects.published()
        .order_by()
        .values("organisation")
        .annotate(
            total=Count("pk"),
            six=Count("pk", filter=Q(assured_date__gte=six)),
            twelve=Count("pk", filter=Q(assured_date__gte=twelve)),
        )
        .values_list("organisation", "total", "six", "twelve")
    )
    names = {
        o.pk: o.name
        for o in Organisation.objects.filter(pk__in=[r[0] for r in rows]).only("name_el", "name_en")
    }
    table = sorted(
        ((names[org], total, six_n, twelve_n) for org, total, six_n, twelve_n in rows),
        key=lambda row: (row[3] / row[1], row[2] / row[1], row[0]),
    )
    total = sum(row[1] for row in table)

    def share(column: int) -> int:
        return round(100 * sum(row[column] for row in table) / total) if total else 0

    return {"rows": table, "total": total, "six": share(2), "twelve": share(3)}


def _durations(pairs) -> list[float]:
    """Hours from submission to decision, for each (submitted, decided) pair."""
    return [
        (decided - submitted).total_seconds() / 3600
        for submitted, decided in pairs
        if decided >= submitted
    ]


def _summary(label: str, hours: list[float]) -> dict:
    return {
        "label": label,
        "count": len(hours),
        "median": round(median(hours), 1) if hours else None,
        "longest": round(max(hours), 1) if hours else None,
    }


def throughput(choices) -> list[dict]:
    """How long new entries (by type) and changes to published ones waited for a decision,
    for those decided in the chosen dates (one query per type, one for the changes)."""
    start, end = _window(choices)
    rows = []
    for entry_type in entry_types():
        pairs = entry_type.model._default_manager.filter(
            submitted_at__isnull=False,
            reviewed_at__gte=start,
            reviewed_at__lt=end,
            status__in=DECIDED,
        ).values_list("submitted_at", "reviewed_at")
        rows.append(_summary(entry_type.label_plural, _durations(pairs)))
    changes = ChangeSet.objects.filter(
        state__in=[ChangeSet.State.APPROVED, ChangeSet.State.REJECTED],
        reviewed_at__gte=start,
        reviewed_at__lt=end,
    ).values_list("submitted_at", "reviewed_at")
    rows.append(_summary(_("Changes to published entries"), _durations(changes)))
    return rows


def downloads(limit: int = 10) -> dict:
    """The most downloaded publications and the total (two queries)."""
    items = ToolboxItem.objects.published()
    top = list(
        items.filter(download_count__gt=0)
        .order_by("-download_count", "-id")
        .only("slug", "title_el", "title_en", "download_count")[:limit]
    )
    return {"top": top, "total": items.aggregate(n=Sum("download_count"))["n"] or 0}


def figures(choices) -> dict:
    return {"freshness": freshness(), "throughput": throughput(choices), "downloads": downloads()}
