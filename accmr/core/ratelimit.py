"""Rate limits on what costs the city something: mail sent, exports built.

A fixed window per (scope, key) counted in the shared cache, so with REDIS_URL every
worker counts together. Keys are the client's address (accmr.core.clients, correct
behind the proxy) and, where a form names one, the e-mail address it would write to.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .clients import client_ip
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


def may_mail(request, form, *, to: str, scope: str = "mail") -> bool:
    """Count one e-mail that a valid `form` is about to send to `to`, per client address
    (`scope`) and per recipient ("mail_to", so one mailbox cannot be flooded from many
    addresses). Only mails actually sent count: an office whose colleagues mistype stays
    open. Past a limit, `form` gets the reason as its error and keeps what was typed."""
    # Every key is counted, so each limit holds whichever is reached first.
    hits = [over_limit(scope, f"ip:{client_ip(request)}"), over_limit("mail_to", to.lower())]
    if any(hits):
        form.add_error(None, MESSAGES[scope])
        return False
    return True


def refused(response, scope: str = "mail"):
    """`response` (the form shown again) as a 429 that says when to try again."""
    response.status_code = 429
    response["Retry-After"] = str(settings.RATE_LIMITS[scope][1])
    return response
