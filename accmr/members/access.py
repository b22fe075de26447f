"""Who acts for which organisation. Dashboard views get the organisation only from here."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.views.decorators.cache import never_cache

from .models import Membership

SESSION_KEY = "organisation_id"


def current_membership(request) -> Membership | None:
    """The membership the user is working as: the one chosen in this session, else the first.

    A forged or stale choice (an organisation the user does not belong to) falls back to
    the first real membership, so it can never reach another organisation's entries.
    """
    if not request.user.is_authenticated:
        return None
    memberships = list(
        Membership.objects.filter(user=request.user)
        .select_related("organisation")
        .order_by("organisation__name_key_el")
    )
    chosen = request.session.get(SESSION_KEY)
    return next((m for m in memberships if m.organisation_id == chosen), None) or next(
        iter(memberships), None
    )


def editor_required(view):
    """Log in first; then the view gets `request.membership` (403 for a non-member).

    Dashboard pages show unpublished entries and editors' addresses: never stored by a
    shared or browser cache (Cache-Control: private, no-store, …).
    """

    @never_cache
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        request.membership = current_membership(request)
        if request.membership is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def can_manage_editors(membership: Membership) -> bool:
    return membership.role == Membership.Role.ADMIN


def get_entry_for_editor(request, model, pk: int):
    """An entry of `model` owned by the organisation the editor works for; 404 for anyone
    else's, so the dashboard never reveals that another organisation's entry exists."""
    try:
        return model._default_manager.get(pk=pk, organisation=request.membership.organisation)
    except model.DoesNotExist:
        raise Http404 from None


def get_entry_for_preview(request, model, pk: int):
    """An entry of `model` as its public page will show it, whatever its status: for the
    editors of the organisation that owns it (any of the user's organisations, not only
    the one chosen for this session) and for moderators (who may view the model in the
    admin); 404 for anyone else, so a preview never reveals that an entry exists."""
    if not request.user.is_authenticated:
        raise Http404
    opts = model._meta
    entries = model._default_manager.filter(pk=pk)
    moderator = request.user.is_staff and request.user.has_perm(
        f"{opts.app_label}.view_{opts.model_name}"
    )
    if not moderator:
        entries = entries.filter(organisation__memberships__user=request.user)
    entry = entries.first()
    if entry is None:
        raise Http404
    return entry
