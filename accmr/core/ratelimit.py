"""Rate limits on what costs the city something: mail sent, exports built.

A fixed window per (scope, key) counted in the shared cache, so with REDIS_URL every
worker counts together. Keys are the client's address (accmr.core.clients, correct
behind the proxy) and, where a form names one, the e-mail address it would write to.
"""

import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .clients import client_ip
from .text import normalise

MAIL = _("Too many requests from here for messages by e-mail. Please try again in an hour.")
MESSAGES = {
    "mail": MAIL,
    "invite": MAIL,
    "export": _("Too many downloads from here in a short time. Please try again in a minute."),
    "report": _("Too many reports from here in an hour. Thank you: please try again later."),
    "reply": _(
        "Too many messages from here or from this e-mail address in an hour. Your message is "
        "kept below: please send it again later."
    ),
}


def over_limit(scope: str, key: str) -> bool:
    """Count one more use of `scope` by `key`; True once RATE_LIMITS[scope] is exceeded."""
    limit, seconds = settings.RATE_LIMITS[scope]
    window = int(time.time() // seconds)
    name = f"ratelimit:{scope}:{window}:{normalise(key)[:100]}"
    cache.add(name, 0, seconds)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, seconds)
        count = 1
    return count > limit


def retry_later(request, message, *, status: int, seconds: int):
    """A page saying `message` and when to try again (429 limited, 503 busy)."""
    response = render(request, "429.html", {"message": message}, status=status)
    response["Retry-After"] = str(seconds)
    return response


def too_many(request, scope: str):
    """The 429 page of `scope`'s limit, in the page's language, with how long to wait."""
    return retry_later(request, MESSAGES[scope], status=429, seconds=settings.RATE_LIMITS[scope][1])


def limit_posts(scope: str, *, address_field: str = ""):
    """Limit a view's POSTs per client address (and per e-mail in `address_field`, so one
    mailbox cannot be flooded from many addresses); a GET is never limited."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST":
                keys = [f"ip:{client_ip(request)}"]
                if address_field and (address := request.POST.get(address_field, "")):
                    keys.append(f"to:{address.strip().lower()}")
                # Every key is counted, so each limit holds whichever is reached first.
                hits = [over_limit(scope, key) for key in keys]
                if any(hits):
                    return too_many(request, scope)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
