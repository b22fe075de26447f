"""Who may see a public entry. Views never fetch an entry by slug any other way."""

from django.http import Http404


def get_entry_for_viewer(request, queryset, slug: str | None = None, *, pk: int | None = None):
    """The entry at `slug` (or `pk`) in `queryset` if this visitor may see it; 404 otherwise.

    Visitors see published entries only. Staff (moderators) also see unpublished ones, so
    they can check an entry before approving it; the page marks it as not public. So does
    the one entry a preview has cleared for this request (`request.previewing`, set by the
    members app's preview for the entry's own editors), whatever its status.
    """
    previewing = getattr(request, "previewing", None)
    if isinstance(previewing, queryset.model):
        queryset = queryset.filter(pk=previewing.pk)
    elif not (request.user.is_authenticated and request.user.is_staff):
        queryset = queryset.published()
    try:
        return queryset.get(**({"slug": slug} if pk is None else {"pk": pk}))
    except queryset.model.DoesNotExist:
        raise Http404 from None
