"""CSV and XLSX exports of a filtered services list, in the page's language."""

import csv
from collections import defaultdict
from collections.abc import Iterator
from itertools import batched, chain

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from .models import Service

EXPORT_CHUNK = 1000
RELATIONS = ("categories", "languages", "target_groups")
# Just the columns the export shows (both languages of translated ones, for the fallback).
EXPORT_FIELDS = [
    *(f"{name}_{lang}" for name in ("name", "address") for lang in ("el", "en")),
    *(f"{rel}__name_{lang}" for rel in ("organisation", "district") for lang in ("el", "en")),
    "slug",
    "postcode",
    "address_confidential",
    "location_type",
    "phone",
    "email",
    "website",
    "cost",
    "referral_required",
    "assured_date",
]


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


def _rows(queryset, language: str) -> Iterator[list[str]]:
    """The export's rows, read in chunks.

    Labels are translated once, taxonomy terms come from one small dictionary per taxonomy
    and the links from the many-to-many tables as plain id pairs: prefetching would build a
    model instance per link, which costs seconds at 20,000 services.
    """
    # A streamed response is iterated after the view returns: hold the page's language.
    with translation.override(language):
        text = {
            True: _("Yes"),
            False: _("No"),
            "confidential": _("Confidential: contact the service for the address"),
            **{value: str(label) for value, label in Service.Cost.choices},
            **{value: str(label) for value, label in Service.LocationType.choices},
        }
        terms = {
            rel: {t.pk: str(t) for t in Service._meta.get_field(rel).related_model.objects.all()}
            for rel in RELATIONS
        }
        url = settings.SITE_URL + reverse("services:detail", args=["SLUG"])
        services = (
            queryset.prefetch_related(None)
            .select_related(None)
            .select_related("organisation", "district")
            .only(*EXPORT_FIELDS)
            .iterator(chunk_size=EXPORT_CHUNK)
        )
        for chunk in batched(services, EXPORT_CHUNK):
            links = {rel: _links(rel, [s.pk for s in chunk]) for rel in RELATIONS}
            for s in chunk:
                names = {
                    rel: "; ".join(terms[rel][pk] for pk in links[rel][s.pk]) for rel in RELATIONS
                }
                yield _row(s, names, url.replace("SLUG", s.slug), text)


def _links(relation: str, service_ids: list[int]) -> dict[int, list[int]]:
    """service id → ids of its terms in one many-to-many relation (one query)."""
    field = Service._meta.get_field(relation)
    links = defaultdict(list)
    pairs = field.remote_field.through.objects.filter(service_id__in=service_ids).values_list(
        "service_id", field.m2m_reverse_name()
    )
    for service_id, term_id in pairs:
        links[service_id].append(term_id)
    return links


def _row(s: Service, names: dict[str, str], url: str, text: dict) -> list[str]:
    if s.address_confidential:
        address = text["confidential"]
    elif s.location_type != Service.LocationType.PHYSICAL:
        address = text[s.location_type]
    else:
        address = ", ".join(filter(None, [s.address, s.postcode]))
    return [
        s.name,
        s.organisation.name,
        names["categories"],
        s.district.name if s.district else "",
        address,
        s.phone,
        s.email,
        s.website,
        text[s.cost],
        text[s.referral_required],
        names["languages"],
        names["target_groups"],
        s.assured_date.isoformat() if s.assured_date else "",
        url,
    ]


def _filename(extension: str) -> str:
    return f"accmr-services-{timezone.localdate():%Y-%m-%d}.{extension}"


class _Echo:
    def write(self, value):
        return value


def export(queryset, fmt: str):
    """A download of every row of `queryset` (not just one page) as CSV or XLSX."""
    language = translation.get_language()
    if fmt == "csv":
        writer = csv.writer(_Echo())
        # A byte-order mark so spreadsheet programs read the Greek as UTF-8.
        lines = (writer.writerow(row) for row in _rows(queryset, language))
        response = StreamingHttpResponse(
            chain(["\ufeff" + writer.writerow(_columns())], lines),
            content_type="text/csv; charset=utf-8",
        )
    else:
        book = Workbook(write_only=True)
        sheet = book.create_sheet(_("Services"))
        sheet.append(_columns())
        for row in _rows(queryset, language):
            sheet.append(row)
        response = HttpResponse(
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        book.save(response)
    response["Content-Disposition"] = f'attachment; filename="{_filename(fmt)}"'
    return response
