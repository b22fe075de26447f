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
from .ratelimit import over_limit, retry_later, too_many
from .sections import entry_type_for
from .views import paginate

# What a list reads besides its FilterSet's filters.
LIST_PARAMS = ("sort", "page", "format")
BUSY = _(
    "Other downloads are being prepared right now. Please try again in a minute; "
    "the list itself is always available."
)


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

    def get(self, request):
        filterset = self.filterset_class(
            request.GET or None, queryset=self.published().for_listing()
        )
        sort = request.GET.get("sort")
        if sort not in self.sorts:
            sort = next(iter(self.sorts))
        rows = getattr(filterset.qs, self.sorts[sort][1])()
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
        """The CSV or XLSX of every matching row, rate-limited per visitor and bounded by
        the export slots (accmr.core.exports); 429 or 503 with a page saying when to retry."""
        if over_limit("export", f"ip:{client_key(request)}"):
            return too_many(request, "export")
        key = f"{self._filter_key(request, filterset)}:{sort}"
        site = site_url()
        about = [
            (_("Downloaded"), timezone.localtime().strftime("%d/%m/%Y %H:%M")),
            (_("From"), site + self._list_address(request, filterset)),
            (_("Filters"), "; ".join(c[0] for c in filterset.active_filters()) or _("None")),
            (_("Sorted by"), self.sorts[sort][0]),
        ]
        response = self.export.response(
            rows, request.GET["format"], key=key, site=site, about=about, filterset=filterset
        )
        if response is None:  # every export slot is taken
            return retry_later(request, BUSY, status=503, seconds=30)
        return response

    def _list_address(self, request, filterset) -> str:
        """The list's address with its filters and sort as given, without the download's
        format or a page: what reopens the same list (the XLSX's first sheet says it)."""
        kept = [
            (name, value)
            for name, values in request.GET.lists()
            if name in filterset.filters or name == "sort"
            for value in values
        ]
        return f"{request.path}?{urlencode(kept)}" if kept else request.path

    def _filter_key(self, request, filterset) -> str:
        """The list's filters as a stable key: the same filters in any order are one key."""
        params = sorted(
            (name, value)
            for name, values in request.GET.lists()
            if name in filterset.filters
            for value in values
        )
        return f"{self.model._meta.label}:{urlencode(params)}"

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
