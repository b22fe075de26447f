"""Who may read a conversation. Views reach conversations only through here."""

from django.http import Http404

from .models import Conversation


def get_conversation_for_poster(request, pk: int) -> Conversation:
    """A conversation on a post of the organisation the editor works for (after
    editor_required); 404 for anyone else's, which are never revealed to exist."""
    found = (
        Conversation.objects.select_related("post")
        .filter(pk=pk, post__organisation=request.membership.organisation)
        .first()
    )
    if found is None:
        raise Http404
    return found


def get_conversation_for_replier(token: str) -> Conversation:
    """The conversation a replier's signed link opens; 404 for a forged or stale link."""
    found = Conversation.from_token(token)
    if found is None:
        raise Http404
    return found
