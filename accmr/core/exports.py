"""CSV and XLSX downloads of a filtered list, in the page's language.

A section declares its columns once, as (label, function of the entry[, width]) tuples,
with the fields to read and the many-to-many relations whose term names a column may
show (`entry.export_terms[relation]`, joined by "; "). Every matching row is exported,
not just one page, read in chunks without building a model instance per link.

A column may return a lazy translation (a TextChoices label): every value is made text
in the page's language before it reaches a file.

The XLSX is for a colleague in Excel: a first sheet says what the list is (filters,
date, and the address that reopens the same filtered list), the data sheet has a bold
frozen header, an autofilter, column widths, dates as dates, clickable links, and prints
landscape on A4, as wide as one page, with the header on every page. Its text cells are
typed as text, so nothing in them can run as a formula.

The CSV is standard UTF-8 for data tools, left as clean as safety allows: a cell that a
spreadsheet could run as a formula gets an apostrophe in front (OWASP's "CSV injection"
advice), and no other cell does. A cell could run when it starts with = + - @, a tab or
a carriage return and holds anything but digits, spaces and + - ( ) . ; so "=1+1" and
"@SUM(A1)" become "'=1+1" and "'@SUM(A1)", while a phone number such as
"+30 210 684 4108" (or "-") is written as it is.
"""

import csv
import io
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import batched

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

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
    children: tuple[str, ...] = ()  # child rows (reverse foreign keys) a column reads
    url_key: str = "slug"  # what the detail page's URL takes: "slug" or "pk"
    # filterset → {child relation: the rows of it to read}, when the list's filters
    # narrow the child rows too (the activities' sessions in the chosen time).
    children_in: Callable | None = None

    formats = ("csv", "xlsx")

    def links(self) -> list[tuple[str, str]]:
        return [
            ("xlsx", str(gettext_lazy("Excel (XLSX)"))),
            ("csv", str(gettext_lazy("CSV (UTF-8, for data tools)"))),
        ]

    def response(self, queryset, fmt: str, *, key: str, site: str, about=(), filterset=None):
        """A download of every row of `queryset` (at most EXPORT_MAX_ROWS) as CSV or XLSX,
        built in the request: for lists of at most EXPORT_TASK_ROWS rows (a larger one is
        built by a task: accmr.core.export_tasks).

        Built once per filter set (`key`) and shared from the cache until an entry or a
        term changes.
        """
        name = f"export:{self.filename}:{fmt}:{site}:{key}"

        def build():
            out = io.BytesIO()
            self.write(out, queryset, fmt, site, list(about), filterset)
            return out.getvalue()

        content = remember(name, build, depends=(CONTENT, TAXONOMY))
        response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{self.download_name(fmt)}"'
        return response

    def download_name(self, fmt: str) -> str:
        return f"accmr-{self.filename}-{timezone.localdate():%Y-%m-%d}.{fmt}"

    def write(self, out, queryset, fmt: str, site: str, about: list, filterset=None) -> None:
        """Write the file to the binary file `out`, streaming the rows. `site` is the
        absolute origin the links start with; `about` (label, value) lines describe the
        list on the XLSX's first sheet."""
        scope = self.children_in(filterset) if self.children_in and filterset else {}
        rows = self.rows(
            queryset[: settings.EXPORT_MAX_ROWS], translation.get_language(), site, scope
        )
        header = [str(column[0]) for column in self.columns]
        if fmt == "csv":
            text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
            writer = csv.writer(text)  # utf-8-sig: spreadsheets then read Greek right
            writer.writerow(header)
            writer.writerows([_inert(value) for value in row] for row in rows)
            text.flush()
            text.detach()
        else:
            self._workbook(rows, header, about).save(out)

    def _workbook(self, rows, header: list[str], about: list) -> Workbook:
        book = Workbook(write_only=True)
        info = book.create_sheet(str(gettext_lazy("About this list")))
        info.column_dimensions["A"].width, info.column_dimensions["B"].width = 28, 80
        title = WriteOnlyCell(info, str(self.sheet))
        title.font = Font(bold=True, size=14)
        info.append([title])
        for label, value in about:
            info.append([_text(info, str(label)), _text(info, str(value))])
        sheet = book.create_sheet(str(self.sheet))
        for number, column in enumerate(self.columns, 1):
            width = column[2] if len(column) > 2 else 18
            sheet.column_dimensions[get_column_letter(number)].width = width
        sheet.freeze_panes = "A2"
        _print_setup(sheet)  # before the first row: a streamed sheet writes its head then
        bold = Font(bold=True)
        sheet.append([_text(sheet, label, font=bold) for label in header])
        count = 0
        for row in rows:
            sheet.append([_cell(sheet, value) for value in row])
            count += 1
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{count + 1}"
        info.append([])
        info.append([_text(info, _("Rows")), count])
        book.active = 1  # it opens on the data; the first tab says what it is
        return book

    def rows(self, queryset, language: str, site: str, scope=None) -> Iterator[list]:
        """The export's rows, read in chunks; term names come from one small dictionary
        per relation and the links from the link tables as plain id pairs; `scope` says
        which rows of a child relation to read (by default all)."""
        scope = scope or {}
        # A streamed response is iterated after the view returns: hold the page's language.
        with translation.override(language):
            model = queryset.model
            terms = {
                rel: {t.pk: str(t) for t in model._meta.get_field(rel).related_model.objects.all()}
                for rel in self.relations
            }
            placeholder = "SLUG" if self.url_key == "slug" else 987654321
            url = site + reverse(self.url_name, args=[placeholder])
            entries = (
                queryset.prefetch_related(None)
                .select_related(None)
                .select_related(*self.related)
                .only(*self.fields)
                .iterator(chunk_size=CHUNK)
            )
            for chunk in batched(entries, CHUNK):
                ids = [e.pk for e in chunk]
                links = {rel: _links(model, rel, ids) for rel in self.relations}
                rows = {rel: _children(model, rel, ids, scope.get(rel)) for rel in self.children}
                for entry in chunk:
                    entry.export_children = {rel: rows[rel][entry.pk] for rel in self.children}
                    entry.export_terms = {
                        rel: "; ".join(terms[rel][pk] for pk in links[rel][entry.pk])
                        for rel in self.relations
                    }
                    key = getattr(entry, self.url_key)
                    entry.export_url = url.replace(str(placeholder), str(key))
                    yield [_plain(column[1](entry)) for column in self.columns]


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


def _children(model, relation: str, ids: list[int], rows=None) -> dict[int, list]:
    """entry id → its child rows of a reverse foreign key, of `rows` if given (one query)."""
    remote = model._meta.get_field(relation)
    found = defaultdict(list)
    rows = remote.related_model.objects.all() if rows is None else rows
    for row in rows.filter(**{f"{remote.field.name}_id__in": ids}):
        found[getattr(row, remote.field.attname)].append(row)
    return found


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What a plain number is made of: "+30 210 684 4108", "-", "(210) 684-4108".
PLAIN_NUMBER = re.compile(r"[\d +\-().]*")


def _plain(value):
    """A column's value as a file takes it: a lazy translation becomes its text."""
    return str(value) if isinstance(value, Promise) else value


def _inert(value):
    """A CSV cell that no spreadsheet runs as a formula (OWASP: prefix with a quote),
    left as it is when it cannot run (a phone number): see the module's docstring."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def _print_setup(sheet) -> None:
    """Landscape A4, every column on one page's width, the header row on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0  # 0: as many as needed
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"


def _text(sheet, value: str, *, font=None) -> WriteOnlyCell:
    """A cell that is text whatever it starts with: "=…" stays a string, never a formula."""
    cell = WriteOnlyCell(sheet, value)
    cell.data_type = "s"
    if font is not None:
        cell.font = font
    return cell


def _cell(sheet, value):
    """A typed XLSX cell: dates as dates, links clickable, text as text."""
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = "DD/MM/YYYY"
        return cell
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        cell = _text(sheet, value)
        cell.hyperlink = value
        cell.style = "Hyperlink"
        return cell
    if isinstance(value, str):
        return _text(sheet, value)
    return value
