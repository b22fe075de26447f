"""The one registry of the portal's sections: each declares itself here, once.

core and members sit below the feature apps and must not import them, so each app
registers its Section from its AppConfig.ready(): an EntryType where organisations own
its entries and moderators review them (services, activities, …), a plain Section
otherwise (the statistics). The URLs, the menu, the home page, the demo seed, robots.txt,
the dashboard, the member profiles, moderation and the cache invalidation all read them
from here. A system check (accmr.core.checks) refuses an incomplete registration.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from django.urls import include, path
from django.utils.text import capfirst

from .cache import CONTENT, bump_on_change


class ProfileGroup(NamedTuple):
    """One list on a member's profile: its heading, its rows, and a link to all of them."""

    heading: str
    rows: object
    more_url: str = ""
    more_label: str = ""


@dataclass(frozen=True, kw_only=True)
class Reviewed:
    """What moderators decide, and how core reviews it."""

    model: type
    # (entry, names of the fields changed), once an edit of it is saved.
    after_edit: Callable | None = None
    # Relations whose rows are reviewed with it (opening hours, sessions): proposed with
    # an edit, shown read-only to moderators.
    child_relations: tuple[str, ...] = ()
    # Even a trusted owner's entries and edits wait for a moderator (the toolbox's).
    reviewed_always: bool = False


@dataclass(frozen=True, kw_only=True)
class Section:
    """One part of the portal, under /<key>/.

    The demo seed runs the sections' loaders in INSTALLED_APPS order (lower layers first:
    members makes the organisations the others own); the menu and the home page follow
    `order`.
    """

    key: str = ""
    order: int = 100
    # Its public pages: a URL module (with its own app_name), mounted at /<key>/.
    urls: str = ""
    # Its public list and the list's label in the main menu, if the menu has it.
    list_url_name: str = ""
    menu_label: str = ""
    # More editors' pages (a support post's conversations), mounted at /dashboard/<key>/.
    dashboard_urls: str = ""
    # Its part of the home page: a template given what `home_context(request)` returns.
    home_template: str = ""
    home_context: Callable | None = None
    # (accmr.core.demo.DemoRun) → None: loads its demo data.
    demo: Callable | None = None
    # Its public-URL prefixes that crawlers must not read ("support/conversation/": a
    # private exchange), for robots.txt.
    private_paths: tuple[str, ...] = ()
    # Its periodic jobs (accmr.core.periodic.PeriodicJob), run by `manage.py run_periodic`.
    periodic: tuple = ()


@dataclass(frozen=True, kw_only=True)
class EntryType(Section, Reviewed):
    """A section whose entries organisations own and moderators review.

    `model` is an owned, moderated model (accmr.members.models.OwnedEntry, whose QuerySet
    is an OwnedEntryQuerySet); its key is its app label, which is also the owner's reverse
    accessor (`organisation.services`). `form_class` is the editors' ModelForm;
    `card_template` shows one entry in a list, given as `entry`.
    """

    form_class: type
    card_template: str
    add_label: str  # the dashboard's button, and the title of the empty form
    none_published_label: str  # the member profile's section when it is empty
    form_template: str = "core/entry_form.html"
    # How the member profile groups an organisation's published entries (ready for
    # listing): (organisation, rows) → [ProfileGroup]; by default one list by name.
    profile_groups: Callable | None = None
    # Moderators may publish entries of their own in the admin (with no organisation).
    moderators_add: bool = False
    # Supporters' light accounts may publish entries of this type (support posts).
    for_supporters: bool = False
    # Shown beside each of an organisation's entries on the dashboard (more actions).
    dashboard_template: str = ""
    # Its public entries that would welcome support (the support board lists them beside
    # its posts, reaching them only through here): (support types, limit) → a list,
    # soonest first, of those wanting one of the types or their children (any if none),
    # drawn by `asking_template` as `entries`.
    asking_for_support: Callable | None = None
    asking_template: str = ""
    # (entry) once it has become public (a support post tells matching posters).
    after_publish: Callable | None = None
    # (entry) → what else its card shows that changes, for the cached cards' keys (a
    # service: whether it is open now; an activity: its next session).
    card_variant: Callable | None = None

    def __post_init__(self):
        object.__setattr__(self, "key", self.model._meta.app_label)

    def open_to(self, organisation) -> bool:
        """Whether `organisation` may keep entries of this type (a supporter only some)."""
        return self.for_supporters or not organisation.is_supporter

    @property
    def name(self) -> str:
        return self.model._meta.model_name

    @property
    def namespace(self) -> str:
        """The URL namespace of its dashboard views ("service_dashboard")."""
        return f"{self.name}_dashboard"

    @property
    def verifiable(self) -> bool:
        """Entries with an `assured_date` offer "confirm still accurate" on the dashboard."""
        return any(f.name == "assured_date" for f in self.model._meta.fields)

    @property
    def label_plural(self) -> str:
        return capfirst(self.model._meta.verbose_name_plural)

    def owned_by(self, organisation):
        """Every entry of `organisation`, any status (a reverse relation: no import)."""
        return getattr(organisation, self.key).all()

    def published_by(self, organisation) -> list[ProfileGroup]:
        """The organisation's public entries of this type, grouped for its profile."""
        rows = getattr(organisation, self.key).published().for_listing()
        if self.profile_groups is None:
            return [ProfileGroup("", rows.by_name())]
        return self.profile_groups(organisation, rows)


_sections: dict[str, Section] = {}


def register_section(section: Section) -> Section:
    """Declare a section; an entry type's saves, deletions and links then expire public
    pages. Registering a key again keeps the first (ready() may run twice in tests)."""
    if section.key not in _sections:
        _sections[section.key] = section
        if isinstance(section, EntryType):
            bump_on_change(section.model, CONTENT)
    return _sections[section.key]


def sections() -> list[Section]:
    """In menu and home-page order."""
    return sorted(_sections.values(), key=lambda s: (s.order, s.key))


def demo_loaders() -> list[Callable]:
    """The sections' demo loaders, in registration (INSTALLED_APPS) order."""
    return [s.demo for s in _sections.values() if s.demo]


def section_urls() -> list:
    """Every section's public pages at /<key>/ and extra editors' pages at
    /dashboard/<key>/ (the kit's own entry pages are accmr.members.entries')."""
    patterns = []
    for section in sections():
        if section.urls:
            patterns.append(path(f"{section.key}/", include(section.urls)))
        if section.dashboard_urls:
            patterns.append(path(f"dashboard/{section.key}/", include(section.dashboard_urls)))
    return patterns


def entry_types() -> list[EntryType]:
    return [s for s in sections() if isinstance(s, EntryType)]


def entry_types_for(organisation) -> list[EntryType]:
    """The types `organisation` may keep, for its dashboard."""
    return [t for t in entry_types() if t.open_to(organisation)]


def entry_type_for(model) -> EntryType | None:
    """The entry type of a model or of one of its rows."""
    model = model if isinstance(model, type) else type(model)
    return next((t for t in entry_types() if t.model is model), None)


def entry_type_by_key(key: str) -> EntryType | None:
    """The registered type whose URL segment is `key` ("services"), if any."""
    section = _sections.get(key)
    return section if isinstance(section, EntryType) else None


@dataclass(frozen=True, kw_only=True)
class ReviewedKind(Reviewed):
    """Something moderators decide that is not an entry type: a member organisation's
    registration. Members registers it, so core never imports members; the moderators'
    permissions, the change-sets' kind filter and the review queue read it from here."""

    waiting_label: str  # the review queue's line for it
    waiting: Callable  # () → the QuerySet of those waiting for a decision
    waiting_query: str  # the same as the admin list's filter: "approval__exact=pending"
    since_field: str = "created_at"


_reviewed: dict[type, ReviewedKind] = {}


def register_reviewed_kind(kind: ReviewedKind) -> None:
    _reviewed.setdefault(kind.model, kind)


def reviewed_kinds() -> list[ReviewedKind]:
    return list(_reviewed.values())


def kind_of(entry) -> Reviewed | None:
    """The registered entry type or reviewed kind of a model or of one of its rows."""
    model = entry if isinstance(entry, type) else type(entry)
    return entry_type_for(model) or _reviewed.get(model)
