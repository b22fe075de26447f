"""The toolbox's demo data (toolbox.toml beside this module): bilingual items of every
kind, most with a small PDF this module draws (nothing binary is committed), a few with
a link only; with --scale, bulk copies sharing those files."""

import io
import logging
from datetime import date
from functools import cache
from pathlib import Path

import matplotlib
from django.core.files.base import ContentFile
from django.utils import timezone
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from accmr.core.demo import DemoRun, copy_of, missing_copies, read_toml, save_copies
from accmr.core.models import Status
from accmr.taxonomy.models import Category, Language

from .. import documents
from ..models import ToolboxItem

HERE = Path(__file__).parent
A4 = (8.27, 11.69)  # inches


def rows() -> list[dict]:
    return read_toml(HERE / "toolbox.toml")["items"]


def pdf(title: str, pages: list[str], *, author: str) -> bytes:
    """An A4 PDF with real, searchable text (TrueType fonts embedded): the title on the
    first page, then one paragraph per page."""
    return _drawn(title, tuple(pages), author)


@cache  # drawing is most of a seed's time, and a test session seeds the demo many times
def _drawn(title: str, pages: tuple[str, ...], author: str) -> bytes:
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # its subsetting chatter
    with matplotlib.rc_context({"pdf.fonttype": 42}):
        out = io.BytesIO()
        with PdfPages(out, metadata={"Title": title, "Author": author}) as document:
            for number, text in enumerate(pages, 1):
                figure = Figure(figsize=A4)
                if number == 1:
                    figure.text(0.1, 0.9, title, fontsize=17, weight="bold", wrap=True)
                    figure.text(0.1, 0.86, author, fontsize=11, color="#444444")
                figure.text(0.1, 0.8, text, fontsize=11, wrap=True, va="top", linespacing=1.6)
                figure.text(0.5, 0.05, str(number), fontsize=9, ha="center")
                document.savefig(figure)
        return out.getvalue()


def load(run: DemoRun) -> None:
    organisations = run.shared["organisations"]
    categories = {c.slug: c for c in Category.objects.all()}
    languages = {language.slug: language for language in Language.objects.all()}
    items = rows()
    for row in items:
        organisation = organisations[row["organisation"]] if row.get("organisation") else None
        item = ToolboxItem.objects.filter(slug=row["slug"]).first() or ToolboxItem(slug=row["slug"])
        fields = {
            "organisation": organisation,
            "publisher_name_el": row.get("publisher_el", ""),
            "publisher_name_en": row.get("publisher_en", ""),
            "title_el": row["title_el"],
            "title_en": row["title_en"],
            "summary_el": row["summary_el"],
            "summary_en": row["summary_en"],
            "kind": row["kind"],
            "published_on": date.fromisoformat(row["published_on"]),
            "external_url": row.get("link", ""),
            "status": Status.PUBLISHED,
            "published_at": item.published_at or timezone.now(),
        }
        for name, value in fields.items():
            setattr(item, name, value)
        if row.get("pages") and not item.file:
            author = row.get("publisher_el") or organisation.name_el
            content = pdf(row["title_el"], row["pages"], author=author)
            item.file = ContentFile(content, name="document.pdf")
            # The demo drew this file itself: read it here, not in a limited child process.
            item.file.file.document = documents.read_here(content)
        item.save()
        item.topics.set([categories[slug] for slug in row["topics"]])
        item.document_languages.set([languages[code] for code in row["languages"]])
    run.say(f"Demo data: {len(items)} toolbox items.")
    if run.scale:
        run.say(f"Synthetic volume: {_synthetic(run)} toolbox items added for --scale {run.scale}.")


def _synthetic(run: DemoRun) -> int:
    """Copies of the demo items over the synthetic organisations, 4×N (1,000 at --scale
    250), sharing their template's stored file."""
    organisations = run.shared["synthetic_organisations"]
    templates = list(
        ToolboxItem.objects.filter(slug__in=[row["slug"] for row in rows()]).prefetch_related(
            "topics", "document_languages"
        )
    )
    missing = missing_copies(ToolboxItem, "synthetic-item", run.scale * 4)
    copies = []
    for n, slug in missing:
        template = templates[n % len(templates)]
        copy = copy_of(template, slug=slug, organisation=organisations[n % len(organisations)], n=n)
        copy.download_count = 0
        copy.refresh_keys()
        copies.append((copy, template))
    save_copies(copies, ("topics", "document_languages"))
    return len(missing)
