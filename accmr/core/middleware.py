"""Headers every response gets from the portal itself."""

from django.utils.cache import patch_cache_control

# What a logged-in user's page shows (their name, their CSRF token, their entries) is
# theirs; a download keeps the lifetime its view gave it, but only in their browser.
PERSONAL_TYPES = ("text/html", "application/json", "application/geo+json")


class PrivatePagesMiddleware:
    """`Cache-Control: private` on every response that is one visitor's: to a logged-in
    user, or carrying a CSRF token or setting a cookie; `no-store` too on a logged-in
    user's pages. A proxy or CDN in front then never keeps one person's page for the next.
    Anonymous pages with none of these stay shareable (accmr.core.cache serves them to
    every visitor alike): nearly every page says `Vary: Cookie`, which already keeps a
    shared cache's copies apart by cookie, so that alone does not make a page private.

    Placed before the session, CSRF and messages middleware, so that it sees the cookies
    and the Vary header they add on the way out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        logged_in = user is not None and user.is_authenticated
        if (
            logged_in
            or response.cookies
            or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            or request.META.get("CSRF_COOKIE_USED")
        ):
            personal = logged_in and response.get("Content-Type", "").startswith(PERSONAL_TYPES)
            patch_cache_control(response, private=True, **({"no_store": True} if personal else {}))
        return response
