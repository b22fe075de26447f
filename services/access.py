"""Who may see a service. Views never fetch a service by slug any other way."""

from django.http import Http404

from .models import Service


def get_service_for_viewer(request, slug: str) -> Service:
    """The service at `slug` if this visitor may see it; 404 otherwise.

    Visitors see published services only. Staff (moderators) also see unpublished ones,
    so they can check an entry before approving it; the page marks it as not public.
    """
    queryset = Service.objects.for_listing().select_related("organisation__district")
    if not (request.user.is_authenticated and request.user.is_staff):
        queryset = queryset.published()
    queryset = queryset.prefetch_related("target_groups", "languages")
    try:
        return queryset.get(slug=slug)
    except Service.DoesNotExist:
        raise Http404 from None


def get_service_for_editor(request, pk: int) -> Service:
    """A service of the organisation the editor works for; 404 for anyone else's, so the
    dashboard never reveals that another organisation's entry exists."""
    try:
        return Service.objects.get(pk=pk, organisation=request.membership.organisation)
    except Service.DoesNotExist:
        raise Http404 from None
