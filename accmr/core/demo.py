"""What the sections' demo loaders share (each declares its loader as Section.demo;
`seed_demo` runs them in INSTALLED_APPS order in one transaction). The data itself
lives in readable TOML files with named keys beside each loader; loaders build rows
through the models (so search text and sort keys are computed), never as raw fixtures.
"""

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path


@dataclass
class DemoRun:
    """What one `seed_demo` run shares with every loader."""

    today: date
    scale: int  # --scale N: add synthetic volume (N=250 → about 20,000 services)
    say: Callable[[str], None]
    # Anything a loader leaves for the later ones (the organisations by key, …).
    shared: dict = field(default_factory=dict)


def read_toml(path: Path) -> dict:
    with path.open("rb") as file:
        return tomllib.load(file)


def offset(index: int) -> Decimal:
    """A small, repeatable offset (±0.002°) so pins in one neighbourhood do not overlap."""
    return Decimal((index * 37) % 41 - 20) / Decimal(10000)


def missing_copies(model, prefix: str, count: int) -> list[tuple[int, str]]:
    """(n, slug) of the synthetic rows "<prefix>-0" … "<prefix>-<count - 1>" not made yet,
    so a second --scale run adds none."""
    wanted = {f"{prefix}-{n}": n for n in range(count)}
    existing = set(model.objects.filter(slug__in=wanted).values_list("slug", flat=True))
    return sorted((n, slug) for slug, n in wanted.items() if slug not in existing)


def copy_of(template, *, slug: str, organisation, n: int):
    """An unsaved copy of the entry `template` (every stored value but its id, slug, owner
    and search text) under `slug` for `organisation`, its title marked "· n". The caller
    changes what else differs, then calls refresh_keys(): bulk_create skips save()."""
    model = type(template)
    skipped = ("id", "slug", "organisation_id", "search_text")
    copy = model(
        **{
            f.attname: getattr(template, f.attname)
            for f in model._meta.concrete_fields
            if f.attname not in skipped
        }
    )
    copy.slug, copy.organisation = slug, organisation
    for language in ("el", "en"):
        title = f"{template.title_field}_{language}"
        setattr(copy, title, f"{getattr(template, title)} · {n}")
    return copy


def save_copies(copies: list[tuple], relations: tuple[str, ...] = ()) -> dict[str, int]:
    """Bulk-create the copies of (copy, template) pairs and link each to its template's
    terms through the many-to-many `relations` (prefetched on the templates); returns the
    new rows' ids by slug, for their child rows."""
    if not copies:
        return {}
    model = type(copies[0][0])
    model.objects.bulk_create([copy for copy, _ in copies], batch_size=500)
    slugs = [copy.slug for copy, _ in copies]
    created = dict(model.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    for relation in relations:
        field = model._meta.get_field(relation)
        through = field.remote_field.through
        own, other = field.m2m_field_name(), field.m2m_reverse_field_name()
        through.objects.bulk_create(
            (
                through(**{f"{own}_id": created[copy.slug], f"{other}_id": term.pk})
                for copy, template in copies
                for term in getattr(template, relation).all()
            ),
            batch_size=2000,
        )
    return created
