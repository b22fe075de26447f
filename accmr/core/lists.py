"""The kit's public list: filter, sort, paginate, chips, both empty states and exports.

A section declares a subclass with its model, FilterSet, template (extending
list_base.html) and sorts, and routes `cached_view()`: anonymous visitors then share a
cached copy of each filtered page until an entry or a term changes (accmr.core.cache).
"""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from .cache import CONTENT, TAXONOMY, cached_cards, public_page, remember
from .clients import client_key, site_url
from .export_tasks import prepare
from .ratelimit import over_limit, too_many
from .sections import entry_type_for
from .views import paginate

# What a list reads besides its FilterSet's filters.
LIST_PARAMS = ("sort", "page", "format")


class FilteredList(View):
    model = None
    filterset_class = None
    template_name = None
    # One entry in the list, given as `entry` (cached per entry: accmr.core.cache).
    card_template = None
    # ?sort= value → (label, QuerySet method); the first is the default.
    sorts: dict = {}
    # A core.exports.Export for ?format=csv / xlsx, or None.
    export = None
    title = ""
    filters_label = ""
    # A list whose cards say what is open now is cached in steps of this many minutes.
    cache_minutes = None

    def published(self):
        """Everything the list could show, before filters."""
        return self.model.objects.published()

    def filtered(self, params) -> tuple:
        """(filterset, sort, rows) of the query parameters `params`."""
        filterset = self.filterset_class(params or None, queryset=self.published().for_listing())
        sort = params.get("sort")
        if sort not in self.sorts:
            sort = next(iter(self.sorts))
        return filterset, sort, getattr(filterset.qs, self.sorts[sort][1])()

    def get(self, request):
        filterset, sort, rows = self.filtered(request.GET)
        if self.export is not None and request.GET.get("format") in self.export.formats:
            return self.download(request, filterset, rows, sort)

        page = paginate(
            request, rows, settings.LIST_PAGE_SIZE, count=self.counter(request, filterset)
        )
        entries = list(page.object_list)
        kind = entry_type_for(self.model)
        cards = cached_cards(self.card_template, entries, variant=kind and kind.card_variant)
        context = {
            "filter": filterset,
            "panel": filterset.panel(),
            "active_filters": filterset.active_filters(),
            "page_obj": page,
            "cards": cards,
            # (entry, card) for templates that group the cards (activities by date).
            "rows": list(zip(entries, cards, strict=True)),
            "sort": sort,
            "sorts": [(key, label) for key, (label, _method) in self.sorts.items()],
            "exports": self.export.links() if self.export is not None else [],
            "list_url": request.path,
            "list_title": self.title,
            "filters_label": self.filters_label,
        }
        if not page.object_list:
            context["nothing_published"] = not self.published().exists()
        context.update(self.extra_context(filterset))
        return render(request, self.template_name, context)

    def extra_context(self, filterset) -> dict:
        """What else the section's template shows beside the results, for these filters."""
        return {}

    def download(self, request, filterset, rows, sort: str):
        """The CSV or XLSX of every matching row, rate-limited per visitor (a 429 page
        saying when to retry). Built here up to EXPORT_TASK_ROWS rows; a longer list's
        file is built by a task, the visitor waiting on a page that offers it when ready
        (accmr.core.export_tasks)."""
        if over_limit("export", f"ip:{client_key(request)}"):
            return too_many(request, "export")
        fmt, site = request.GET["format"], site_url()
        count = min(self.counter(request, filterset)(), settings.EXPORT_MAX_ROWS)
        if count > settings.EXPORT_TASK_ROWS:
            return prepare(request, self, filterset, sort, fmt, site)
        key = f"{self._filter_key(request, filterset)}:{sort}"
        address = site + self.list_address(request.path, request.GET, filterset)
        about = self.export_about(address, filterset, sort)
        return self.export.response(rows, fmt, key=key, site=site, about=about, filterset=filterset)

    def export_about(self, address: str, filterset, sort: str) -> list:
        """The (label, value) lines of an XLSX's first sheet: when, whence, which filters."""
        return [
            (_("Downloaded"), timezone.localtime().strftime("%d/%m/%Y %H:%M")),
            (_("From"), address),
            (_("Filters"), "; ".join(c[0] for c in filterset.active_filters()) or _("None")),
            (_("Sorted by"), self.sorts[sort][0]),
        ]

    def list_address(self, path: str, params, filterset) -> str:
        """The list's address with its filters and sort as given, without the download's
        format or a page: what reopens the same list (the XLSX's first sheet says it)."""
        kept = [
            (name, value)
            for name, values in params.lists()
            if name in filterset.filters or name == "sort"
            for value in values
        ]
        return f"{path}?{urlencode(kept)}" if kept else path

    def filter_query(self, params, filterset) -> str:
        """The list's filters in `params` as a stable query string: the same filters in
        any order are one string."""
        return urlencode(
            sorted(
                (name, value)
                for name, values in params.lists()
                if name in filterset.filters
                for value in values
            )
        )

    def _filter_key(self, request, filterset) -> str:
        """The list's filters as a stable key: the same filters in any order are one key."""
        return f"{self.model._meta.label}:{self.filter_query(request.GET, filterset)}"

    def counter(self, request, filterset):
        """How many rows match, shared by every page and sort of the same filters until an
        entry changes (counting 20,000 services costs more than showing a page)."""
        key = f"count:{self._filter_key(request, filterset)}"
        return lambda: remember(key, filterset.qs.count, depends=(CONTENT, TAXONOMY))

    @classmethod
    def cached_view(cls, **initkwargs):
        """The view for the URLconf, with anonymous pages shared through the cache (one per
        set of filters, sort, page and download format; other parameters are dropped)."""
        return public_page(
            minutes=cls.cache_minutes, filters=cls.filterset_class, params=LIST_PARAMS
        )(cls.as_view(**initkwargs))
