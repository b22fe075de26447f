"""Who is asking: the client's address, also behind the documented reverse proxy."""

from django.conf import settings


def client_ip(request) -> str:
    """The visitor's address, for login throttling and rate limits.

    Without a proxy it is REMOTE_ADDR, and any X-Forwarded-For a visitor sends is ignored
    (it would let them pick a fresh address per try). Behind TRUSTED_PROXY_COUNT proxies
    (BEHIND_PROXY), each proxy appends the address it saw, so the client is that many
    entries from the right; what a visitor wrote further left is ignored too.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if not count:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    return forwarded[-count] if len(forwarded) >= count else remote
