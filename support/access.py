"""Who may read a conversation. Views reach conversations only through here.

A replier's mailed link is opened once and exchanged for this browser's session, then
the page lives at an address with no secret in it: the link's token reaches the access
log once per click, never with every reload or answer, and the token itself expires."""

import time

from django.conf import settings
from django.http import Http404

from .models import Conversation

# conversation id → when this browser opened a fresh link to it.
SESSION_KEY = "support_conversations"


class LinkExpired(Exception):
    """A genuine replier's link, past its time; `conversation` is None once removed."""

    def __init__(self, conversation: Conversation | None):
        super().__init__()
        self.conversation = conversation


def _replier_rows():
    return Conversation.objects.select_related("post__organisation")


def get_conversation_for_poster(request, pk: int) -> Conversation:
    """A relayed conversation on a post of the organisation the editor works for (after
    editor_required); 404 for anyone else's, which are never revealed to exist, and for
    a reply whose sender has not confirmed the address yet."""
    found = (
        Conversation.objects.confirmed()
        .select_related("post")
        .filter(pk=pk, post__organisation=request.membership.organisation)
        .first()
    )
    if found is None:
        raise Http404
    return found


def open_replier_link(request, token: str) -> Conversation:
    """The conversation a replier's mailed link opens, now readable in this browser;
    404 for a forged link, LinkExpired for a stale one or one whose reply was never
    confirmed in time (the link's conversation, if it still exists)."""
    pk, fresh = Conversation.read_token(token)
    if pk is None:
        raise Http404
    found = _replier_rows().filter(pk=pk).first()
    if found is None or not fresh or found.has_lapsed:
        raise LinkExpired(found)
    let_in(request, found)
    return found


def let_in(request, conversation: Conversation) -> None:
    """Let this browser read `conversation` for SUPPORT_LINK_DAYS."""
    opened = request.session.get(SESSION_KEY, {})
    request.session[SESSION_KEY] = {**opened, str(conversation.pk): time.time()}


def get_conversation_for_replier(request, pk: int) -> Conversation:
    """A conversation this browser opened from a fresh link (within SUPPORT_LINK_DAYS);
    404 otherwise, whether or not it exists; LinkExpired once that time is over."""
    opened = request.session.get(SESSION_KEY, {}).get(str(pk))
    found = _replier_rows().filter(pk=pk).first() if opened is not None else None
    if found is None:
        raise Http404
    if time.time() - opened > settings.SUPPORT_LINK_DAYS * 86400 or found.has_lapsed:
        raise LinkExpired(found)
    return found
