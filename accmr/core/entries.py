"""The registry of entry types: every public, owned, moderated content type declares itself.

core and members sit below the feature apps and must not import them, so each app
registers its type from its AppConfig.ready(); the dashboard, the member profiles, the
admin overview and the cache invalidation loop over `entry_types()`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from django.utils.text import capfirst

from .cache import CONTENT, bump_on_change


class ProfileGroup(NamedTuple):
    """One list on a member's profile: its heading, its rows, and a link to all of them."""

    heading: str
    rows: object
    more_url: str = ""
    more_label: str = ""


@dataclass(frozen=True)
class EntryType:
    """What the kit needs to know about one content type.

    `model` is an owned, moderated model (accmr.members.models.OwnedEntry) whose QuerySet
    has `published()`, `for_listing()` and `by_name()`; `form_class` is the editors'
    ModelForm; `card_template` shows one entry in a list, given as `entry`.
    """

    model: type
    form_class: type
    card_template: str
    add_label: str  # the dashboard's button, and the title of the empty form
    none_published_label: str  # the member profile's section when it is empty
    # The public list ("services:list") and its label in the main menu, if it has one.
    list_url_name: str = ""
    menu_label: str = ""
    form_template: str = "core/entry_form.html"
    order: int = 100
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
    # Hooks accmr.core.actions calls: (entry) once it has become public; (entry, names
    # of the fields changed) once an edit of it is saved.
    after_publish: Callable | None = None
    after_edit: Callable | None = None
    # (entry) → what else its card shows that changes, for the cached cards' keys (a
    # service: whether it is open now; an activity: its next session).
    card_variant: Callable | None = None
    # Its public-URL prefixes that crawlers must not read ("support/conversation/": a
    # private exchange), for robots.txt.
    private_paths: tuple[str, ...] = ()

    def open_to(self, organisation) -> bool:
        """Whether `organisation` may keep entries of this type (a supporter only some)."""
        return self.for_supporters or not organisation.is_supporter

    @property
    def key(self) -> str:
        """The URL segment and the owner's reverse accessor: the app label ("services")."""
        return self.model._meta.app_label

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


_types: dict[type, EntryType] = {}


def register_entry_type(entry_type: EntryType) -> EntryType:
    """Declare a content type; its saves, deletions and links then expire public pages."""
    if entry_type.model not in _types:
        _types[entry_type.model] = entry_type
        bump_on_change(entry_type.model, CONTENT)
    return _types[entry_type.model]


def entry_types() -> list[EntryType]:
    return sorted(_types.values(), key=lambda t: (t.order, t.key))


def entry_types_for(organisation) -> list[EntryType]:
    """The types `organisation` may keep, for its dashboard."""
    return [t for t in entry_types() if t.open_to(organisation)]


def entry_type_for(model) -> EntryType | None:
    return _types.get(model if isinstance(model, type) else type(model))


def entry_type_by_key(key: str) -> EntryType | None:
    """The registered type whose URL segment is `key` ("services"), if any."""
    return next((t for t in _types.values() if t.key == key), None)


@dataclass(frozen=True)
class ReviewedKind:
    """Something moderators decide that is not an entry type: a member organisation's
    registration. Members registers it, so core never imports members; the moderators'
    permissions, the change-sets' kind filter and the review queue read it from here."""

    model: type
    waiting_label: str  # the review queue's line for it
    waiting: Callable  # () → the QuerySet of those waiting for a decision
    waiting_query: str  # the same as the admin list's filter: "approval__exact=pending"
    since_field: str = "created_at"
    after_edit: Callable | None = None  # as an EntryType's


_reviewed: dict[type, ReviewedKind] = {}


def register_reviewed_kind(kind: ReviewedKind) -> None:
    _reviewed.setdefault(kind.model, kind)


def reviewed_kinds() -> list[ReviewedKind]:
    return list(_reviewed.values())


def kind_of(entry) -> EntryType | ReviewedKind | None:
    """The registered entry type or reviewed kind of a model instance."""
    return entry_type_for(entry) or _reviewed.get(type(entry))
