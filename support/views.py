from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accmr.core.access import get_entry_for_viewer
from accmr.core.cache import CONTENT, TAXONOMY, cached_cards, remember
from accmr.core.clients import client_key
from accmr.core.lists import FilteredList
from accmr.core.models import Status
from accmr.core.ratelimit import MESSAGES, mailbox, over_limit, refused
from accmr.core.sections import ProfileGroup, entry_types
from accmr.core.text import as_row_id
from accmr.members.access import editor_required, get_entry_for_editor

from .access import (
    LinkExpired,
    get_conversation_for_poster,
    get_conversation_for_replier,
    let_in,
    open_replier_link,
)
from .actions import answer, confirm_reply, reply_to_post, send_new_link, set_post_state
from .exports import SUPPORT_EXPORT
from .filters import SupportFilter
from .forms import AnswerForm, ReplyForm
from .models import SupportPost

MATCHES = 6


def asking_for_support(types=(), *, limit: int = 4) -> list[tuple[str, list]]:
    """(template, entries) of every entry type whose public entries would welcome support
    (of one of `types`, or of their children, if given), soonest first: activities
    today. Shared until an entry changes."""
    wanted = ",".join(sorted(t.slug for t in types))
    hour = timezone.localtime().strftime("%Y-%m-%d-%H")
    found = []
    for kind in entry_types():
        if kind.asking_for_support is None:
            continue
        entries = remember(
            f"support:asking:{kind.key}:{wanted}:{hour}",
            lambda kind=kind: kind.asking_for_support(types, limit),
            depends=(CONTENT, TAXONOMY),
        )
        if entries:
            found.append((kind.asking_template, entries))
    return found


class SupportList(FilteredList):
    model = SupportPost
    filterset_class = SupportFilter
    template_name = "support/post_list.html"
    card_template = "support/_post_card.html"
    sorts = {
        "urgent": (gettext_lazy("most urgent first"), "most_urgent"),
        "newest": (gettext_lazy("newest first"), "newest"),
        "ending": (gettext_lazy("ending soonest"), "ending_soon"),
    }
    export = SUPPORT_EXPORT
    title = gettext_lazy("Support board")
    filters_label = gettext_lazy("Filter the board")

    def published(self):
        return SupportPost.objects.published().on_board()

    def extra_context(self, filterset) -> dict:
        kinds = filterset.chosen("kind")
        if kinds and SupportPost.Kind.REQUEST not in kinds:
            return {}
        types = [*filterset.chosen("support_type"), *filterset.chosen("support_subtype")]
        return {"asking": asking_for_support(types)}


def profile_groups(organisation, posts) -> list[ProfileGroup]:
    """A member's profile lists what it asks for and offers that is still on the board."""
    return [ProfileGroup("", posts.on_board().most_urgent())]


def home_section(request) -> dict:
    """The newest open requests on the home page (shared until an entry changes)."""

    def newest():
        requests = SupportPost.objects.published().on_board().filter(kind=SupportPost.Kind.REQUEST)
        return list(requests.for_listing().most_urgent()[:4])

    return {"requests": remember(f"home:support:{timezone.localdate()}", newest)}


def _reply(request, post: SupportPost, form: ReplyForm) -> int | str:
    """Keep the reply if the post still takes replies and this sender may send more, and
    return where the sender goes next; otherwise the form gets the reason, keeping what
    was typed, and this returns the page's status.

    An address typed into the form is mailed a link to confirm it, and only then is the
    message relayed; the address of the replier's own account is proven already."""
    if not post.takes_replies:
        form.add_error(None, _("This post is no longer on the board, so it takes no replies."))
        return 410
    if form.is_bot:  # thanked like anyone, and nothing is kept
        _check_your_mail(request)
        return post.get_absolute_url()
    email = form.cleaned_data["email"]
    keys = [f"ip:{client_key(request)}", f"to:{mailbox(email)}"]
    hits = [over_limit("reply", key) for key in keys]  # each key counted, as may_mail
    if any(hits):
        form.add_error(None, MESSAGES["reply"])
        return 429
    user = request.user
    proven = user.is_authenticated and user.is_active and email == user.email.strip().lower()
    fields = {name: form.cleaned_data[name] for name in ("name", "email", "message")}
    talk = reply_to_post(post, language=request.LANGUAGE_CODE, proven=proven, **fields)
    if not proven:
        _check_your_mail(request)
        return post.get_absolute_url()
    let_in(request, talk)
    messages.success(
        request,
        _(
            "Your message is sent. We have e-mailed you a link to this conversation; "
            "answers will reach you by e-mail."
        ),
    )
    return talk.get_absolute_url()


def _check_your_mail(request) -> None:
    days = settings.SUPPORT_CONFIRM_DAYS
    messages.success(
        request,
        ngettext(
            "Almost done: we have e-mailed you a link. Open it within %(days)d day and "
            "confirm, and your message goes to the poster; nothing is sent before.",
            "Almost done: we have e-mailed you a link. Open it within %(days)d days and "
            "confirm, and your message goes to the poster; nothing is sent before.",
            days,
        )
        % {"days": days},
    )


@never_cache  # the reply form carries the visitor's CSRF token
def post_detail(request, pk: int):
    post = get_entry_for_viewer(request, SupportPost.objects.for_detail(), pk=pk)
    initial, own = {}, False
    if request.user.is_authenticated:
        initial = {"name": request.user.get_full_name(), "email": request.user.email}
        own = post.organisation.memberships.filter(user=request.user).exists()
    form = ReplyForm(request.POST or None, initial=initial)
    status = 200
    if own and request.method == "POST":
        status = 400  # one answers one's own post's replies from the dashboard
    elif request.method == "POST" and form.is_valid():
        status = _reply(request, post, form)
        if isinstance(status, str):
            return redirect(status)
    elif request.method == "POST":
        status = 400
    matches = []
    # A rejected or archived post will not be on the board: it has nothing to match.
    if post.is_on_board and post.status in (Status.DRAFT, Status.PENDING, Status.PUBLISHED):
        found = list(SupportPost.objects.matching(post).for_listing()[:MATCHES])
        matches = cached_cards("support/_post_card.html", found)
    types = list(post.support_types.all())
    asking = asking_for_support(types) if post.kind == SupportPost.Kind.OFFER else []
    context = {
        "post": post,
        "own": own,
        "types": types,
        "form": form,
        "matches": matches,
        "asking": asking,
    }
    response = render(request, "support/post_detail.html", context, status=status)
    return refused(response, "reply") if status == 429 else response


CLOSED = gettext_lazy("The post is no longer on the board, so the conversation is closed.")


@never_cache
def conversation_link(request, token: str):
    """A link mailed to a replier: it lets this browser in, then moves on to the
    conversation's own page, whose address holds no secret (access.py)."""
    try:
        talk = open_replier_link(request, token)
    except LinkExpired as expired:
        return _link_expired(request, expired.conversation)
    return redirect(talk.get_absolute_url())


@never_cache
def conversation(request, pk: int):
    """The replier's side of a conversation: first, confirming the reply (which relays
    it); then its messages and an answer form."""
    try:
        talk = get_conversation_for_replier(request, pk)
    except LinkExpired as expired:
        return _link_expired(request, expired.conversation)
    form = AnswerForm(request.POST or None)
    open_ = talk.purged_at is None and talk.post.takes_replies
    limited = False
    if not talk.is_confirmed:
        form = None
        if request.method == "POST" and confirm_reply(talk):
            messages.success(
                request,
                _("Thank you: your message is sent. Answers will reach you by e-mail."),
            )
            return redirect(request.path)
    elif request.method == "POST" and not open_:
        form.add_error(None, CLOSED)
    elif request.method == "POST" and form.is_valid():
        if over_limit("reply", f"to:{mailbox(talk.email)}"):
            form.add_error(None, MESSAGES["reply"])
            limited = True
        else:
            answer(talk, body=form.cleaned_data["message"])
            messages.success(request, _("Your message is sent."))
            return redirect(request.path)
    response = render(
        request,
        "support/conversation.html",
        {"talk": talk, "post": talk.post, "form": form, "open": open_, "replier": True},
        status=400 if form is not None and form.errors else 200,
    )
    return refused(response, "reply") if limited else response


LINK_LIMITED = gettext_lazy(
    "Too many e-mails have been sent from here or to this address in the last hour. "
    "Please ask again in an hour."
)


def _link_expired(request, talk):
    """410: the link is past its time. A new one can be mailed to the conversation's
    address (our fixed text, counted like every mail), unless its data are gone."""
    renewable = talk is not None and talk.purged_at is None and not talk.has_lapsed
    form, sent = forms.Form(request.POST or None), False
    if request.method == "POST" and renewable:
        hits = [
            over_limit("mail", f"ip:{client_key(request)}"),
            over_limit("mail_to", mailbox(talk.email)),
        ]
        if any(hits):
            form.add_error(None, LINK_LIMITED)
        else:
            send_new_link(talk)
            sent = True
    context = {
        "talk": talk,
        "renewable": renewable,
        "sent": sent,
        "form": form,
        "days": settings.SUPPORT_LINK_DAYS,
        "confirm_days": settings.SUPPORT_CONFIRM_DAYS,
    }
    response = render(request, "support/link_expired.html", context, status=410)
    return refused(response, "mail") if form.errors else response


ANSWERS_LIMITED = gettext_lazy(
    "Too many answers from your account or to this person in an hour. Your answer is kept "
    "below: please send it again later."
)


def _answers_limited(request, talk) -> bool:
    """Count one answer per poster account and per replier's mailbox (both counted)."""
    keys = [f"user:{request.user.pk}", f"to:{mailbox(talk.email)}"]
    hits = [over_limit("answer", key) for key in keys]  # each key counted
    return any(hits)


@editor_required
def post_conversations(request, pk: int):
    """The poster's side: every relayed conversation on one of its posts, each with an
    answer form."""
    post = get_entry_for_editor(request, SupportPost, pk)
    talks = list(post.conversations.confirmed().with_messages())
    answer_forms = {talk.pk: AnswerForm(prefix=f"c{talk.pk}") for talk in talks}
    limited = False
    if request.method == "POST":
        talk = get_conversation_for_poster(
            request, as_row_id(request.POST.get("conversation")) or 0
        )
        form = answer_forms[talk.pk] = AnswerForm(request.POST, prefix=f"c{talk.pk}")
        if talk.purged_at is None and form.is_valid():
            if _answers_limited(request, talk):
                form.add_error(None, ANSWERS_LIMITED)
                limited = True
            else:
                answer(talk, body=form.cleaned_data["message"], by=request.user)
                messages.success(request, _("Your answer is sent."))
                return redirect(request.path)
    rows = [(talk, answer_forms[talk.pk]) for talk in talks]
    context = {"post": post, "rows": rows}
    response = render(request, "support/post_conversations.html", context)
    return refused(response, "answer") if limited else response


STATE_MESSAGES = {
    SupportPost.State.OPEN: gettext_lazy("The post is open again."),
    SupportPost.State.IN_PROGRESS: gettext_lazy("The post is marked in progress."),
    SupportPost.State.FULFILLED: gettext_lazy(
        "Marked fulfilled: thank you. It has left the board."
    ),
    SupportPost.State.CLOSED: gettext_lazy("The post is closed and has left the board."),
}


@require_POST
@editor_required
def post_state(request, pk: int):
    post = get_entry_for_editor(request, SupportPost, pk)
    state = request.POST.get("state")
    if not post.has_lifecycle:
        messages.error(request, _("Only a published post can be marked open, fulfilled or closed."))
    elif state not in SupportPost.CHOSEN:
        messages.error(request, _("Choose open, in progress, fulfilled or closed."))
    elif state in SupportPost.ON_BOARD and post.expires_on < timezone.localdate():
        messages.error(request, _("The post's date has passed: duplicate it to post it again."))
    elif set_post_state(post, state=state, by=request.user):
        messages.success(request, STATE_MESSAGES[state])
    return redirect("dashboard")
