"""CSV and XLSX downloads of a filtered list, in the page's language.

A section declares its columns once, as (label, function of the entry) pairs, with the
fields to read and the many-to-many relations whose term names a column may show
(`entry.export_terms[relation]`, joined by "; "). Every matching row is exported, not
just one page, read in chunks without building a model instance per link.
"""

import csv
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import batched, chain

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

CHUNK = 1000


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

    def response(self, queryset, fmt: str):
        """A download of every row of `queryset` as CSV (streamed) or XLSX."""
        language = translation.get_language()
        header = [str(label) for label, _value in self.columns]
        if fmt == "csv":
            writer = csv.writer(_Echo())
            lines = (writer.writerow(row) for row in self.rows(queryset, language))
            # A byte-order mark so spreadsheet programs read the Greek as UTF-8.
            response = StreamingHttpResponse(
                chain(["\ufeff" + writer.writerow(header)], lines),
                content_type="text/csv; charset=utf-8",
            )
        else:
            book = Workbook(write_only=True)
            sheet = book.create_sheet(str(self.sheet))
            sheet.append(header)
            for row in self.rows(queryset, language):
                sheet.append(row)
            response = HttpResponse(
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            )
            book.save(response)
        stem = f"accmr-{self.filename}-{timezone.localdate():%Y-%m-%d}"
        response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
        return response

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


class _Echo:
    def write(self, value):
        return value
