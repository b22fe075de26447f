"""Rate limits on what costs the city something: mail sent, exports built.

A fixed window per (scope, key) counted in the shared cache, so with REDIS_URL every
worker counts together. Keys are the client's address (accmr.core.clients, correct
behind the proxy) and, where a form names one, the e-mail address it would write to.

Should Redis be down, each process counts on its own (`local_counts`): the limits then
hold per worker, so at most a few times as loose. Refusing instead would stop every
registration and password reset; not counting would make the forms an open relay.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .clients import client_key
from .redis_cache import CacheUnavailable
from .text import normalise

MAIL = _(
    "Too many e-mails have been sent from here or to this address in the last hour. Please "
    "send the form again in an hour: what you typed is kept below, passwords apart."
)
MESSAGES = {
    "mail": MAIL,
    "invite": MAIL,
    "export": _("Too many downloads from here in a short time. Please try again in a minute."),
    "report": _("Too many reports from here in an hour. Thank you: please try again later."),
    "reply": _(
        "Too many messages from here or from this e-mail address in an hour. Your message is "
        "kept below: please send it again later."
    ),
    "stats": _(
        "Too many statistics for chosen filters or dates from here in a short time. Please "
        "try again in a minute; the statistics for the last twelve months are always "
        "available."
    ),
    "search": _(
        "Too many searches from here in a short time. Please try again in a minute; the "
        "lists without a search are always available."
    ),
}


# This process's counts while the shared cache cannot count (see the module's docstring).
local_counts = LocMemCache("accmr-rate-limits", {"OPTIONS": {"MAX_ENTRIES": 20_000}})


def over_limit(scope: str, key: str) -> bool:
    """Count one more use of `scope` by `key`; True once RATE_LIMITS[scope] is exceeded."""
    limit, seconds = settings.RATE_LIMITS[scope]
    window = int(time.time() // seconds)
    name = f"ratelimit:{scope}:{window}:{normalise(key)[:100]}"
    try:
        return _count(cache, name, seconds) > limit
    except CacheUnavailable:
        return _count(local_counts, name, seconds) > limit


def _count(store, name: str, seconds: int) -> int:
    store.add(name, 0, seconds)
    try:
        return store.incr(name)
    except ValueError:  # expired between add and incr
        store.set(name, 1, seconds)
        return 1


def retry_later(request, message, *, status: int, seconds: int):
    """A page saying `message` and when to try again (429 limited, 503 busy)."""
    response = render(request, "429.html", {"message": message}, status=status)
    response["Retry-After"] = str(seconds)
    return response


def too_many(request, scope: str):
    """The 429 page of `scope`'s limit, in the page's language, with how long to wait."""
    return retry_later(request, MESSAGES[scope], status=429, seconds=settings.RATE_LIMITS[scope][1])


def refuse_costly(request, costly: dict[str, str]):
    """The 429 page when `request` gives a value to a costly query parameter (name →
    scope) and its client is past that scope's limit, else None. Each scope asked for is
    counted once; a page without such a value is never counted nor refused."""
    scopes = {scope for name, scope in costly.items() if any(request.GET.getlist(name))}
    for scope in sorted(scopes):
        if over_limit(scope, f"ip:{client_key(request)}"):
            return too_many(request, scope)
    return None


# Providers that deliver "j.doe@" and "jdoe@" to one mailbox.
DOTLESS_DOMAINS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}


def mailbox(address: str) -> str:
    """The mailbox `address` reaches, as limits count it: "J.Doe+spam@GoogleMail.com" is
    "jdoe@gmail.com", so neither case, a "+tag" nor Gmail's ignored dots make a new one."""
    local, at, domain = address.strip().lower().rpartition("@")
    if not at:
        return address.strip().lower()
    local = local.split("+", 1)[0] or local
    if domain in DOTLESS_DOMAINS:
        local, domain = local.replace(".", "") or local, DOTLESS_DOMAINS[domain]
    return f"{local}@{domain}"


def may_mail(request, form, *, to: str, scope: str = "mail") -> bool:
    """Count one e-mail that a valid `form` is about to send to `to`, per client address
    (`scope`) and per recipient ("mail_to", so one mailbox cannot be flooded from many
    addresses). Only mails actually sent count: an office whose colleagues mistype stays
    open. Past a limit, `form` gets the reason as its error and keeps what was typed."""
    # Every key is counted, so each limit holds whichever is reached first.
    hits = [over_limit(scope, f"ip:{client_key(request)}"), over_limit("mail_to", mailbox(to))]
    if any(hits):
        form.add_error(None, MESSAGES[scope])
        return False
    return True


def refused(response, scope: str = "mail"):
    """`response` (the form shown again) as a 429 that says when to try again."""
    response.status_code = 429
    response["Retry-After"] = str(settings.RATE_LIMITS[scope][1])
    return response
