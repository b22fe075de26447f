"""CSV and XLSX downloads of a filtered list, in the page's language.

A section declares its columns once, as (label, function of the entry) pairs, with the
fields to read and the many-to-many relations whose term names a column may show
(`entry.export_terms[relation]`, joined by "; "). Every matching row is exported, not
just one page, read in chunks without building a model instance per link.
"""

import csv
import io
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import batched

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from .cache import CONTENT, TAXONOMY, remember

CHUNK = 1000
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


@dataclass(frozen=True)
class Export:
    filename: str  # "services" → accmr-services-2026-12-01.csv
    sheet: object  # the XLSX sheet's (lazy) title
    url_name: str  # the detail page, for each row's link column
    fields: tuple[str, ...]  # what .only() reads, both languages of translated ones
    columns: tuple[tuple[object, Callable], ...]
    related: tuple[str, ...] = ()  # select_related for the fields above
    relations: tuple[str, ...] = ()  # many-to-many relations to name in columns

    formats = ("csv", "xlsx")

    def links(self) -> list[tuple[str, str]]:
        return [("csv", "CSV"), ("xlsx", str(gettext_lazy("Excel (XLSX)")))]

    def response(self, queryset, fmt: str, *, key: str):
        """A download of every row of `queryset` (at most EXPORT_MAX_ROWS) as CSV or XLSX.

        Built once per filter set (`key`) and shared from the cache until an entry or a
        term changes; at most EXPORT_CONCURRENCY are built at once in the whole site, so
        downloads can never hold every worker (the others are told to retry: 503).
        """
        name = f"export:{self.filename}:{fmt}:{key}"
        try:
            content = remember(
                name, lambda: self._build(queryset, fmt), depends=(CONTENT, TAXONOMY)
            )
        except ExportsBusy:
            return None
        response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
        stem = f"accmr-{self.filename}-{timezone.localdate():%Y-%m-%d}"
        response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
        return response

    def _build(self, queryset, fmt: str) -> bytes:
        with export_slot():
            rows = self.rows(queryset[: settings.EXPORT_MAX_ROWS], translation.get_language())
            header = [str(label) for label, _value in self.columns]
            out = io.BytesIO()
            if fmt == "csv":
                text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
                writer = csv.writer(text)  # utf-8-sig: spreadsheets then read Greek right
                writer.writerow(header)
                writer.writerows(rows)
                text.flush()
                text.detach()
            else:
                book = Workbook(write_only=True)
                sheet = book.create_sheet(str(self.sheet))
                sheet.append(header)
                for row in rows:
                    sheet.append(row)
                book.save(out)
            return out.getvalue()

    def rows(self, queryset, language: str) -> Iterator[list]:
        """The export's rows, read in chunks; term names come from one small dictionary
        per relation and the links from the link tables as plain id pairs."""
        # A streamed response is iterated after the view returns: hold the page's language.
        with translation.override(language):
            model = queryset.model
            terms = {
                rel: {t.pk: str(t) for t in model._meta.get_field(rel).related_model.objects.all()}
                for rel in self.relations
            }
            url = settings.SITE_URL + reverse(self.url_name, args=["SLUG"])
            entries = (
                queryset.prefetch_related(None)
                .select_related(None)
                .select_related(*self.related)
                .only(*self.fields)
                .iterator(chunk_size=CHUNK)
            )
            for chunk in batched(entries, CHUNK):
                links = {rel: _links(model, rel, [e.pk for e in chunk]) for rel in self.relations}
                for entry in chunk:
                    entry.export_terms = {
                        rel: "; ".join(terms[rel][pk] for pk in links[rel][entry.pk])
                        for rel in self.relations
                    }
                    entry.export_url = url.replace("SLUG", entry.slug)
                    yield [value(entry) for _label, value in self.columns]


def _links(model, relation: str, ids: list[int]) -> dict[int, list[int]]:
    """entry id → ids of its terms in one many-to-many relation (one query)."""
    field = model._meta.get_field(relation)
    links = defaultdict(list)
    pairs = field.remote_field.through.objects.filter(
        **{f"{field.m2m_field_name()}_id__in": ids}
    ).values_list(f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id")
    for entry_id, term_id in pairs:
        links[entry_id].append(term_id)
    return links


class ExportsBusy(Exception):
    """Every export slot is taken: the caller asks the visitor to retry shortly."""


@contextmanager
def export_slot():
    """Hold one of EXPORT_CONCURRENCY site-wide slots (in the shared cache) while a file
    is built; ExportsBusy if none is free. A slot expires by itself should a worker die."""
    for number in range(settings.EXPORT_CONCURRENCY):
        key = f"export-slot:{number}"
        if cache.add(key, 1, settings.EXPORT_SLOT_SECONDS):
            try:
                yield
            finally:
                cache.delete(key)
            return
    raise ExportsBusy
