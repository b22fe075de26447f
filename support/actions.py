"""Writes of the support board: replies relayed both ways, the posts' lifecycle, expiry,
the purge of replies' personal data, and the e-mails to posters of matching posts."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accmr.core.actions import record
from accmr.core.mail import send_later
from accmr.core.models import AuditEntry

from .models import Conversation, Message, SupportPost

# A new post is announced to at most this many posters of matching ones.
MAX_ANNOUNCED = 50


def _tell_poster(conversation: Conversation, template: str, message: Message) -> None:
    post = conversation.post
    owner = post.organisation
    send_later(
        to=owner.team_emails(),
        template=template,
        context={
            "post": post,
            "conversation": conversation,
            "message": message,
            "path": reverse("support_manage:conversations", args=[post.pk]),
        },
        language=owner.preferred_language,
    )


def _tell_replier(conversation: Conversation, template: str, message: Message | None) -> None:
    """Mail the replier a fresh link (each one works for SUPPORT_LINK_DAYS)."""
    send_later(
        to=[conversation.email],
        template=template,
        context={
            "post": conversation.post,
            "conversation": conversation,
            "message": message,
            "path": conversation.get_replier_url(),
            "days": settings.SUPPORT_LINK_DAYS,
            "confirm_days": settings.SUPPORT_CONFIRM_DAYS,
        },
        language=conversation.language,
    )


@transaction.atomic
def reply_to_post(
    post: SupportPost, *, name: str, email: str, message: str, language: str, proven: bool
) -> Conversation:
    """Start a conversation on `post`. Unless the address is `proven` (the replier's own
    account's, confirmed at sign-up), the replier is first mailed a link to confirm it,
    and nothing reaches the poster before; that mail says nothing the replier wrote."""
    conversation = Conversation.objects.create(post=post, name=name, email=email, language=language)
    Message.objects.create(conversation=conversation, body=message)
    if proven:
        confirm_reply(conversation)
        _tell_replier(conversation, "support/email/reply_sent", None)
    else:
        _tell_replier(conversation, "support/email/reply_confirm", None)
    return conversation


@transaction.atomic
def confirm_reply(conversation: Conversation) -> bool:
    """The replier has shown the address is theirs: relay their first message to the
    poster's team (who answer from the dashboard, never seeing the address). False if it
    was confirmed already or the post no longer takes replies."""
    locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if locked.is_confirmed or not conversation.post.takes_replies:
        return False
    now = timezone.now()
    Conversation.objects.filter(pk=locked.pk).update(confirmed_at=now, last_message_at=now)
    conversation.confirmed_at = conversation.last_message_at = now
    first = conversation.messages.order_by("sent_at", "id").first()
    _tell_poster(conversation, "support/email/reply_received", first)
    return True


def send_new_link(conversation: Conversation) -> None:
    """Mail the replier a fresh link to the conversation (theirs had expired)."""
    template = "new_link" if conversation.is_confirmed else "reply_confirm"
    _tell_replier(conversation, f"support/email/{template}", None)


@transaction.atomic
def answer(conversation: Conversation, *, body: str, by=None) -> Message:
    """Add the next message, from the poster (`by`, one of its editors) or, without `by`,
    from the replier, and relay it by e-mail to the other side."""
    message = Message.objects.create(
        conversation=conversation, body=body, from_poster=by is not None, sent_by=by
    )
    Conversation.objects.filter(pk=conversation.pk).update(
        last_message_at=message.sent_at, awaiting_poster=by is None
    )
    if by is not None:
        _tell_replier(conversation, "support/email/answer_received", message)
    else:
        _tell_poster(conversation, "support/email/reply_received", message)
    return message


@transaction.atomic
def set_post_state(post: SupportPost, *, state: str, by) -> bool:
    """The poster marks the post open, in progress, fulfilled or closed (not a moderation
    decision: the post stays published, and leaves the board once it is over)."""
    locked = SupportPost.objects.select_for_update().get(pk=post.pk)
    if locked.state == state:
        return False
    before = locked.state
    locked.state = state
    locked.closed_at = None if state in SupportPost.ON_BOARD else timezone.now()
    locked.save(update_fields=["state", "closed_at", "updated_at"])
    record(locked, action=AuditEntry.Action.STATUS, by=by, changes={"state": [before, state]})
    post.state, post.closed_at = locked.state, locked.closed_at
    return True


@transaction.atomic
def expire_posts(today=None) -> int:
    """Mark expired every post still on the board past its date, and tell its poster."""
    today = today or timezone.localdate()
    due = (
        SupportPost.objects.filter(state__in=SupportPost.ON_BOARD, expires_on__lt=today)
        .select_related("organisation")
        .select_for_update(of=("self",))
    )
    now = timezone.now()
    count = 0
    for post in due:
        before = post.state
        post.state, post.closed_at = SupportPost.State.EXPIRED, now
        post.save(update_fields=["state", "closed_at", "updated_at"])
        record(post, action=AuditEntry.Action.STATUS, changes={"state": [before, post.state]})
        if post.is_published:
            send_later(
                to=post.organisation.contact_emails(),
                template="support/email/post_expired",
                context={"post": post, "path": reverse("dashboard")},
                language=post.organisation.preferred_language,
            )
        count += 1
    return count


def note_who_left_the_board(now=None) -> None:
    """Start the purge's clock of the posts that left the board without being saved
    (their organisation suspended, their date passed before expire_posts ran), and stop
    it for those back on it (SupportPost.save keeps it for every other way)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    SupportPost.objects.off_board(today).filter(closed_at__isnull=True).update(closed_at=now)
    on_board = SupportPost.objects.published().on_board(today)
    SupportPost.objects.filter(pk__in=on_board.values("pk"), closed_at__isnull=False).update(
        closed_at=None
    )


@transaction.atomic
def purge_personal_data(days: int, now=None) -> int:
    """Remove the names, addresses and messages of the conversations on posts that left
    the board, however they left, more than `days` days ago; the conversations stay,
    empty, to be counted. Replies never confirmed in time are deleted outright."""
    now = now or timezone.now()
    Conversation.objects.lapsed(now).delete()
    note_who_left_the_board(now)
    cutoff = now - timedelta(days=days)
    conversations = Conversation.objects.filter(post__closed_at__lt=cutoff, purged_at__isnull=True)
    ids = list(conversations.values_list("pk", flat=True))
    Message.objects.filter(conversation_id__in=ids).delete()
    Conversation.objects.filter(pk__in=ids).update(name="", email="", purged_at=now)
    return len(ids)


def announce_to_matches(post: SupportPost) -> int:
    """Mail the posters who asked to hear of posts like `post` (it has just been
    published): those whose open posts of the other kind it matches."""
    if not post.is_on_board:
        return 0
    wanting = (
        SupportPost.objects.matching(post)
        .filter(notify_matches=True)
        .select_related("organisation")[:MAX_ANNOUNCED]
    )
    count = 0
    for match in wanting:
        send_later(
            to=match.organisation.contact_emails(),
            template="support/email/new_match",
            context={"post": match, "match": post},
            language=match.organisation.preferred_language,
        )
        count += 1
    return count
