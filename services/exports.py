"""CSV and XLSX exports of a filtered services list, in the page's language."""

import csv
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from .models import Service

EXPORT_CHUNK = 1000


def _columns():
    return [
        _("Name"),
        _("Organisation"),
        _("Categories"),
        _("Municipal district"),
        _("Address"),
        _("Phone"),
        _("E-mail"),
        _("Website"),
        _("Cost"),
        _("Referral required"),
        _("Languages spoken"),
        _("Target groups"),
        pgettext("service", "Last verified"),
        _("Link"),
    ]


def _address(service: Service) -> str:
    if service.address_confidential:
        return _("Confidential: contact the service for the address")
    if service.location_type != Service.LocationType.PHYSICAL:
        return service.get_location_type_display()
    return ", ".join(filter(None, [service.address, service.postcode]))


def _rows(services: Iterable[Service], language: str) -> Iterator[list[str]]:
    # A streamed response is iterated after the view returns: hold the page's language.
    with translation.override(language):
        yield from map(_row, services)


def _row(s: Service) -> list[str]:
    yes, no = _("Yes"), _("No")
    return [
        s.name,
        s.organisation.name,
        "; ".join(str(c) for c in s.categories.all()),
        s.district.name if s.district else "",
        _address(s),
        s.phone,
        s.email,
        s.website,
        s.get_cost_display(),
        yes if s.referral_required else no,
        "; ".join(str(lang) for lang in s.languages.all()),
        "; ".join(str(g) for g in s.target_groups.all()),
        date_format(s.assured_date, "SHORT_DATE_FORMAT") if s.assured_date else "",
        settings.SITE_URL + s.get_absolute_url(),
    ]


def _filename(extension: str) -> str:
    return f"accmr-services-{timezone.localdate():%Y-%m-%d}.{extension}"


class _Echo:
    def write(self, value):
        return value


def export(queryset, fmt: str):
    """A download of every row of `queryset` (not just one page) as CSV or XLSX."""
    language = translation.get_language()
    services = queryset.prefetch_related("languages", "target_groups").iterator(
        chunk_size=EXPORT_CHUNK
    )
    if fmt == "csv":
        writer = csv.writer(_Echo())
        # A byte-order mark so spreadsheet programs read the Greek as UTF-8.
        lines = (writer.writerow(row) for row in _rows(services, language))
        response = StreamingHttpResponse(
            _prefixed("\ufeff" + writer.writerow(_columns()), lines),
            content_type="text/csv; charset=utf-8",
        )
    else:
        book = Workbook(write_only=True)
        sheet = book.create_sheet(_("Services"))
        sheet.append(_columns())
        for row in _rows(services, language):
            sheet.append(row)
        response = HttpResponse(
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        book.save(response)
    response["Content-Disposition"] = f'attachment; filename="{_filename(fmt)}"'
    return response


def _prefixed(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest
