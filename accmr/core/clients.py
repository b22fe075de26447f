"""Who is asking, and where: the client's address (also behind the documented reverse
proxy) and the origin the portal is being served at."""

import ipaddress
from contextvars import ContextVar

from django.conf import settings

_served_origin: ContextVar[str] = ContextVar("served_origin", default="http://localhost:8000")


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


def client_key(request) -> str:
    """The visitor as login throttling and rate limits count them: the IPv4 address, or
    the /64 network of an IPv6 one (written as its first address, "2001:db8:1:2::").

    An IPv6 subscriber is given a /64 or more and may use any address in it, so counting
    single addresses would give them a fresh one per try.
    """
    address = client_ip(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ipaddress.IPv6Address(int(ip) >> 64 << 64))


def site_url() -> str:
    """The origin for absolute links: SITE_URL if set, else the one of the request being
    served (ServedOriginMiddleware), else the development server's default."""
    return settings.SITE_URL or _served_origin.get()


class ServedOriginMiddleware:
    """Remembers the request's origin (after ALLOWED_HOSTS validated it) for site_url()."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _served_origin.set(f"{request.scheme}://{request.get_host()}")
        try:
            return self.get_response(request)
        finally:
            _served_origin.reset(token)
