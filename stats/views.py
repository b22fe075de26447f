import csv
import io
from dataclasses import dataclass

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accmr.core.cache import CONTENT, TAXONOMY, public_page, remember
from accmr.core.ratelimit import refuse_costly

from . import staff as staff_figures
from .aggregates import CHARTS, Chart, totals
from .charts import fingerprint, svg
from .forms import StatsFilterForm

# A drawing is named by its content, so it is never stale: it is kept for as long as it is
# likely to be asked for again.
DRAWINGS_KEPT = 7 * 24 * 3600
# The three questions the city asks first: where services are, what kinds, who runs them.
HEADLINE = ("services-by-category", "services-by-district", "services-by-actor-type")
# The page's parameters: a chosen filter or date makes it a new page to compute (limited per
# visitor, RATE_LIMITS["stats"]); any other parameter is ignored.
FILTERS = tuple(StatsFilterForm.base_fields)


@dataclass
class Drawn:
    """A chart ready for the page: its data, its SVG (or None when there is no data)."""

    chart: Chart
    svg: str | None
    description: str
    csv_url: str


def describe(chart: Chart) -> str:
    """The chart's alt text: what it counts and its largest values; the table has all."""
    if chart.empty:
        return _("No data for these filters.")
    if chart.kind == "grid":
        cells = [
            (value, row, chart.labels[i])
            for row, values in chart.series
            for i, value in enumerate(values)
        ]
        value, row, column = max(cells)
        empty = sum(1 for cell in cells if not cell[0])
        return _(
            "Highest: %(row)s in district %(column)s (%(value)s). %(empty)s of %(cells)s "
            "cells are empty. Every number is in the table below."
        ) % {
            "row": row,
            "column": column,
            "value": value,
            "empty": empty,
            "cells": len(cells),
        }
    sums = [sum(values[i] for _n, values in chart.series) for i in range(len(chart.labels))]
    pairs = zip(sums, chart.labels, strict=True)
    ranked = sorted(((value, label) for value, label in pairs if value), reverse=True)
    top = ", ".join(f"{label} ({value})" for value, label in ranked[:3])
    highest = _("Highest: %(top)s. Every number is in the table below.") % {"top": top}
    if chart.distinct is not None:  # each counted once, however many labels it is under
        sessions = ngettext("%(counter)s session", "%(counter)s sessions", chart.sessions)
        return " ".join(
            [
                ngettext(
                    "%(count)s activity with a session in the chosen dates (%(sessions)s).",
                    "%(count)s activities with a session in the chosen dates (%(sessions)s).",
                    chart.distinct,
                )
                % {"count": chart.distinct, "sessions": sessions % {"counter": chart.sessions}},
                highest,
            ]
        )
    if not chart.additive:  # an entry counts under several labels: no total
        return highest
    return _("%(total)s %(unit)s in all. Highest: %(top)s. Every number is in the table below.") % {
        "total": chart.total,
        "unit": chart.unit,
        "top": top,
    }


class Refused(Exception):
    """Counting was refused; `response` says why (a visitor past a rate limit)."""

    def __init__(self, response):
        self.response = response


def _draw(key: str, choices, *, image: bool = True, allowed=None) -> Drawn:
    """A chart's numbers, counted once per filters and language until an entry or a term
    changes (one grouped query), and its SVG, drawn once per content: a change that leaves
    a chart's numbers and words as they were reuses its drawing. `allowed()`, asked only
    when the numbers must be counted, may return a response refusing it (Refused)."""

    def compute():
        if allowed is not None and (refusal := allowed()):
            raise Refused(refusal)
        chart = CHARTS[key](choices)
        return chart, describe(chart)

    chart, description = remember(
        f"stats:numbers:{key}:{choices.key}", compute, depends=(CONTENT, TAXONOMY)
    )
    drawing = None
    if image and not chart.empty:
        drawing = cache.get_or_set(
            f"stats:svg:{fingerprint(chart, description)}",
            lambda: svg(chart, description=description),
            DRAWINGS_KEPT,
        )
    query = urlencode(choices.query())
    return Drawn(
        chart, drawing, description, f"{_csv_path(key)}?{query}" if query else _csv_path(key)
    )


def _csv_path(key: str) -> str:
    return reverse("stats:csv", args=[key])


def home_totals(request) -> dict:
    """The headline numbers, on the home page and this one (four counts, shared until an
    entry changes)."""
    return {"totals": remember("stats:totals", totals, depends=(CONTENT,))}


@public_page(params=FILTERS, limit=("stats", FILTERS))
def stats_page(request):
    form = StatsFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()  # a wrong value is said and left out; the rest still applies
    choices = form.choices()
    context = {
        **home_totals(request),
        "form": form,
        "choices": choices,
        "headline": [_draw(key, choices) for key in CHARTS if key in HEADLINE],
        "charts": [_draw(key, choices) for key in CHARTS if key not in HEADLINE],
    }
    if request.user.is_authenticated and request.user.is_staff:
        context["staff"] = staff_figures.figures(choices)
    return render(request, "stats/stats_page.html", context)


def chart_csv(request, key: str):
    """One chart's numbers as CSV, for the same filters as the page."""
    if key not in CHARTS:
        raise Http404
    form = StatsFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    # Numbers the page already counted for these filters are free; new ones are limited.
    costly = dict.fromkeys(FILTERS, "stats")
    try:
        drawn = _draw(
            key, form.choices(), image=False, allowed=lambda: refuse_costly(request, costly)
        )
    except Refused as refused:
        return refused.response
    header, rows = drawn.chart.table(for_data=True)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    response = HttpResponse(
        out.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="accmr-{key}-{stamp}.csv"'
    return response
