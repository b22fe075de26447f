"""What every anonymous visitor shares, and the generations that expire it.

A generation is a token kept in the cache for one kind of data ("content": entries and
organisations; "taxonomy": the terms). Every cached value's key includes the tokens of what
it was computed from, so a change bumps a token and the next read computes afresh: no key
is ever deleted and no stale copy is served after a publish. Bumps happen at once and again
after the transaction commits, so a reader that raced the commit cannot keep old data.

Nothing user-specific is stored: `public_page` keeps only anonymous GETs that set no cookie
and show no message, and hands each hit its own fresh CSP nonce.
"""

import hashlib
from collections.abc import Iterable
from functools import wraps
from uuid import uuid4

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, QueryDict
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .clients import site_url
from .ratelimit import refuse_costly

CONTENT = "content"
TAXONOMY = "taxonomy"
NONCE_PLACEHOLDER = b"\x00csp-nonce\x00"
# What public_page stores: pages and JSON feeds, never downloads.
PAGE_TYPES = ("text/html", "application/json", "application/geo+json")
_MISSING = object()


def generations(*names: str) -> list[str]:
    """The current token of each name (one cache round trip; new names get a token)."""
    keys = [f"generation:{name}" for name in names]
    found = cache.get_many(keys)
    missing = {key: uuid4().hex for key in keys if key not in found}
    if missing:
        cache.set_many(missing, timeout=None)
        found.update(missing)
    return [found[key] for key in keys]


def bump(*names: str) -> None:
    """Expire everything computed from `names`, now and once the transaction commits."""

    def renew():
        cache.set_many({f"generation:{name}": uuid4().hex for name in names}, timeout=None)

    renew()
    transaction.on_commit(renew)


def bump_on_change(model, *names: str) -> None:
    """Bump `names` whenever a row of `model` is saved or deleted, or its links change."""

    def receiver(sender, **kwargs):
        bump(*names)

    uid = f"accmr-cache-{model._meta.label}-{'-'.join(names)}"
    post_save.connect(receiver, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=uid)
    for field in model._meta.many_to_many:
        m2m_changed.connect(
            receiver, sender=field.remote_field.through, weak=False, dispatch_uid=uid
        )


def remember(key: str, compute, *, depends=(CONTENT,), timeout=None):
    """`compute()`, shared by every request in this language until `depends` change."""
    full = ":".join([key, get_language() or "", *generations(*depends)])
    if len(full) > 200:  # a long search in the key: memcached and Redis want short keys
        full = f"{key[:60]}:{hashlib.sha256(full.encode()).hexdigest()}"
    value = cache.get(full, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(full, value, timeout or settings.PUBLIC_CACHE_SECONDS)
    return value


def _variant(entry, variant) -> str:
    said = variant(entry) if variant else ""
    return hashlib.sha256(said.encode()).hexdigest()[:12] if said else ""


def cached_cards(
    template_name: str, entries, *, depends=(CONTENT, TAXONOMY), variant=None
) -> list[str]:
    """Each entry rendered with `template_name` (given as `entry`), shared by every list
    and page that shows it until `depends` change (today's date too: cards flag stale
    entries) or what `variant(entry)` says does (its type's `card_variant`). One cache
    round trip for the lot; only the missing ones are rendered."""
    label = entries[0]._meta.label if entries else ""
    tail = ":".join([get_language() or "", str(timezone.localdate()), *generations(*depends)])
    keys = [
        f"card:{template_name}:{label}:{entry.pk}:{_variant(entry, variant)}:{tail}"
        for entry in entries
    ]
    found = cache.get_many(keys)
    template = get_template(template_name)
    missing = {}
    for key, entry in zip(keys, entries, strict=True):
        if key not in found:
            missing[key] = found[key] = template.render({"entry": entry})
    if missing:
        cache.set_many(missing, settings.PUBLIC_CACHE_SECONDS)
    return [mark_safe(found[key]) for key in keys]


def _cacheable(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        # A pending message would be shown on this page, so it is not everyone's page.
        and CookieStorage.cookie_name not in request.COOKIES
    )


def _storable(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith(PAGE_TYPES)
        and not response.has_header("Content-Disposition")
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not getattr(getattr(request, "_messages", None), "_queued_messages", None)
    )


def _only_known(request, known: set[str]) -> None:
    """Leave in `request` only the parameters in `known`, in one order, each value once,
    so the page computed from it is the one every such address shares."""
    query = QueryDict(mutable=True)
    for name in sorted(known & request.GET.keys()):
        query.setlist(name, sorted(set(request.GET.getlist(name))))
    encoded = query.urlencode()
    if encoded != request.META.get("QUERY_STRING", ""):
        request.META = {**request.META, "QUERY_STRING": encoded}  # a copy: the access log
        request.GET = QueryDict(encoded, encoding=request.encoding)  # keeps what was asked


def public_page(
    *depends: str,
    minutes: int | None = None,
    params=(),
    filters=None,
    limit: tuple[str, Iterable[str]] | None = None,
):
    """Serve anonymous visitors a shared copy of the view's page until `depends` change
    (by default entries and terms: nearly every page shows both).

    The key is the language, the origin (pages hold absolute links to themselves), the
    path with the query parameters the view reads, today's date (services
    expire by date) and the generations of `depends`; with `minutes`, also the time of day
    in steps of that many minutes (pages saying what is open now). Logged-in users always
    get the page rendered for them, and nothing they see is stored.

    The view reads `params` and the filters of the FilterSet `filters`; any other
    parameter is dropped and the rest put in order before the key and the view see them,
    so `?b=1&a=2&utm_source=x` is the page of `?a=2&b=1`, and a made-up parameter cannot
    make a new page to compute and keep. `limit`, (scope, names), bounds what one client
    can have computed: a page not in the cache with a value for one of `names` (or for a
    filter with a `rate_limit` scope, such as a search) counts towards that scope's
    RATE_LIMITS per address, and past it is a 429; a copy from the cache counts nothing.
    """

    depends = depends or (CONTENT, TAXONOMY)
    known = {*params, *(filters.base_filters if filters else ())}
    costly = dict.fromkeys(limit[1], limit[0]) if limit else {}
    for name, filter_ in (filters.base_filters if filters else {}).items():
        if getattr(filter_, "rate_limit", None):
            costly[name] = filter_.rate_limit

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _cacheable(request):
                return refuse_costly(request, costly) or view(request, *args, **kwargs)
            _only_known(request, known)
            parts = [
                get_language() or "",
                site_url(),
                request.get_full_path(),
                str(timezone.localdate()),
            ]
            if minutes:
                local = timezone.localtime()
                parts.append(f"{local.hour}:{local.minute // minutes}")
            digest = hashlib.sha256("\n".join(parts + generations(*depends)).encode())
            key = f"page:{view.__module__}.{view.__name__}:{digest.hexdigest()}"
            stored = cache.get(key)
            if stored is not None:
                content_type, body, uses_nonce = stored
                if uses_nonce:
                    body = body.replace(NONCE_PLACEHOLDER, str(request._csp_nonce).encode())
                return HttpResponse(body, content_type=content_type)
            if refused := refuse_costly(request, costly):
                return refused
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response.render()
            if _storable(request, response):
                body = response.content
                nonce = getattr(request, "_csp_nonce", None)
                if nonce:  # generated, so the page uses it
                    body = body.replace(str(nonce).encode(), NONCE_PLACEHOLDER)
                stored = (response["Content-Type"], body, bool(nonce))
                cache.set(key, stored, settings.PUBLIC_CACHE_SECONDS)
            return response

        return wrapper

    return decorator
