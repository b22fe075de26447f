"""The editors' dashboard: entries by state, the organisation's profile and editors."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from accmr.core.actions import save_edit
from accmr.core.files import quota, room_for, used_by
from accmr.core.models import ChangeSet, Status
from accmr.core.ratelimit import MESSAGES, may_mail, over_limit, refused
from accmr.core.sections import entry_types_for
from accmr.core.text import as_row_id

from .access import SESSION_KEY, can_manage_editors, editor_required
from .actions import invite_editor, remove_editor, revoke_invitation
from .forms import InviteForm, OrganisationProfileForm, SupporterProfileForm
from .models import Invitation, Membership

PROFILE_OUTCOMES = {
    "proposed": gettext_lazy(
        "Your changes are waiting for review. The published profile stays as it is until then."
    ),
    "unchanged": gettext_lazy("Nothing was changed."),
    "saved": gettext_lazy("The profile is saved."),
}


# The dashboard's headings: groups of entries of any kind, so plural (and in Greek neuter).
GROUP_HEADINGS = {
    Status.DRAFT: pgettext_lazy("dashboard group", "Drafts"),
    Status.PENDING: pgettext_lazy("dashboard group", "Waiting for review"),
    Status.PUBLISHED: pgettext_lazy("dashboard group", "Published"),
    Status.REJECTED: pgettext_lazy("dashboard group", "Rejected"),
    Status.ARCHIVED: pgettext_lazy("dashboard group", "Archived"),
}


def _by_status(entries, waiting: set) -> list:
    """(status, heading, entries) for every status, in the order of Status."""
    groups = [(value, GROUP_HEADINGS[value], []) for value in Status.values]
    by_status = {value: group for value, _label, group in groups}
    for entry in entries:
        entry.change_waiting = entry.pk in waiting
        by_status[entry.status].append(entry)
    return groups


@editor_required
def dashboard(request):
    """The organisation's entries of every registered type, grouped by state (two queries
    per type: the entries and which of them have a change waiting)."""
    organisation = request.membership.organisation
    sections = []
    for entry_type in entry_types_for(organisation):
        entries = entry_type.owned_by(organisation).for_dashboard().order_by("name_key_el")
        waiting = set(
            ChangeSet.objects.filter(
                content_type=ContentType.objects.get_for_model(entry_type.model),
                object_id__in=entries.values("pk"),
                state=ChangeSet.State.PENDING,
            ).values_list("object_id", flat=True)
        )
        sections.append((entry_type, _by_status(entries, waiting)))
    return render(
        request,
        "members/dashboard.html",
        {
            "organisation": organisation,
            "membership": request.membership,
            "sections": sections,
            "memberships": Membership.objects.filter(user=request.user).select_related(
                "organisation"
            ),
            "storage": {"used": used_by(organisation), "quota": quota(organisation)},
        },
    )


@require_POST
@editor_required
def switch_organisation(request):
    chosen = as_row_id(request.POST.get("organisation"))
    membership = (
        Membership.objects.filter(user=request.user, organisation_id=chosen).first()
        if chosen is not None
        else None
    )
    if membership is None:
        messages.error(request, _("You are not an editor of that organisation."))
    else:
        request.session[SESSION_KEY] = membership.organisation_id
        messages.success(
            request, _("You are now working for %(name)s.") % {"name": membership.organisation}
        )
    return redirect("dashboard")


@editor_required
def organisation_edit(request):
    """Edit the profile; once it has been public, the edit waits for review (see
    Organisation.edits_need_review)."""
    organisation = request.membership.organisation
    form_class = SupporterProfileForm if organisation.is_supporter else OrganisationProfileForm
    form = form_class(request.POST or None, request.FILES or None, instance=organisation)
    if (
        request.method == "POST"
        and form.is_valid()
        and form.check_version({})
        and room_for(form, organisation)
    ):
        outcome = save_edit(form, by=request.user, review=organisation.edits_need_review)
        messages.success(request, PROFILE_OUTCOMES[outcome])
        return redirect("dashboard")
    return render(
        request, "members/organisation_form.html", {"form": form, "organisation": organisation}
    )


def may_invite(organisation) -> bool:
    """Only an approved member organisation invites: a supporter's light account or an
    organisation not yet approved would have the portal mail its self-chosen name to
    any address."""
    return organisation.is_approved and not organisation.is_supporter


def why_not_invite(organisation) -> str:
    if organisation.is_supporter:
        return _("A supporter's account cannot invite editors.")
    return _("Your organisation can invite editors once the City has approved its registration.")


@editor_required
def editors(request):
    """The organisation's editors; its admins invite and remove them."""
    organisation = request.membership.organisation
    manage = can_manage_editors(request.membership)
    form = InviteForm(request.POST or None, organisation=organisation)
    limited = forbidden = False
    if request.method == "POST":
        if not manage:
            raise PermissionDenied
        if not may_invite(organisation):
            form.add_error(None, why_not_invite(organisation))
            forbidden = True
        elif form.is_valid():
            email = form.cleaned_data["email"]
            # Per account too, not only per client address: an account may roam.
            by_account = over_limit("invite", f"user:{request.user.pk}")
            if may_mail(request, form, to=email, scope="invite") and not by_account:
                invite_editor(organisation=organisation, by=request.user, **form.cleaned_data)
                messages.success(request, _("Invitation sent to %(email)s.") % {"email": email})
                return redirect("editors")
            if not form.non_field_errors():
                form.add_error(None, MESSAGES["invite"])
            limited = True
    response = render(
        request,
        "members/editors.html",
        {
            "organisation": organisation,
            "memberships": organisation.memberships.select_related("user").order_by("user__email"),
            "invitations": organisation.invitations.open(),
            "form": form,
            "manage": manage,
            "may_invite": may_invite(organisation),
            "why_not": why_not_invite(organisation),
        },
        status=403 if forbidden else 200,
    )
    return refused(response, "invite") if limited else response


@require_POST
@editor_required
def editor_remove(request, pk):
    if not can_manage_editors(request.membership):
        raise PermissionDenied
    membership = get_object_or_404(Membership, pk=pk, organisation=request.membership.organisation)
    if remove_editor(membership):
        messages.success(
            request, _("%(email)s is no longer an editor.") % {"email": membership.user.email}
        )
    else:
        messages.error(
            request, _("An organisation needs at least one admin; add another admin first.")
        )
    return redirect("editors")


@require_POST
@editor_required
def invitation_revoke(request, pk):
    if not can_manage_editors(request.membership):
        raise PermissionDenied
    invitation = get_object_or_404(Invitation, pk=pk, organisation=request.membership.organisation)
    if revoke_invitation(invitation):
        messages.success(
            request,
            _("The invitation of %(email)s is cancelled; its link no longer works.")
            % {"email": invitation.email},
        )
    return redirect("editors")
