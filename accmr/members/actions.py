"""Writes of the members app: registration, confirmation, approval, editors."""

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import get_language

from accmr.core.actions import record
from accmr.core.mail import send_later
from accmr.core.models import AuditEntry, Searchable
from accmr.core.sections import entry_types
from accmr.core.uploads import publish_files

from .models import Invitation, Membership, Organisation
from .tokens import email_confirmation

User = get_user_model()


def _new_account(*, email: str, password: str, full_name: str):
    """A new account, inactive until its address is confirmed; None (and that address is
    told) if the address already has one, so the page shown reveals no account."""
    first, _space, last = full_name.partition(" ")
    try:
        # A savepoint: a registration racing this one for the address loses cleanly.
        with transaction.atomic():
            if User.objects.filter(email__iexact=email).exists():
                raise IntegrityError
            return User.objects.create_user(
                username=email,
                email=email,
                password=password,
                first_name=first[:150],
                last_name=last[:150],
                is_active=False,
            )
    except IntegrityError:
        send_later(
            to=[email],
            template="members/email/already_registered",
            context={},
            language=get_language(),
        )
        return None


@transaction.atomic
def register_organisation(*, form) -> Organisation | None:
    """Create a pending organisation, its first editor (inactive until the e-mail is
    confirmed) as the organisation's admin, and queue the confirmation and admin e-mails.

    If the address already has an account, nothing is created and that address is told;
    None.
    """
    data = form.cleaned_data
    user = _new_account(
        email=data["user_email"], password=data["password1"], full_name=data["full_name"]
    )
    if user is None:
        return None
    organisation = form.save(commit=False)
    organisation.approval = Organisation.Approval.PENDING
    organisation.trusted = False
    organisation.save()
    form.save_m2m()
    Membership.objects.create(user=user, organisation=organisation, role=Membership.Role.ADMIN)
    send_confirmation(user, language=get_language())
    # Those who may approve it: a staff account alone is not told who registered.
    admins = (
        User.objects.with_perm(
            "members.change_organisation", backend="accmr.members.backends.EmailBackend"
        )
        .filter(is_staff=True)
        .exclude(email="")
    )
    send_later(
        to=admins.values_list("email", flat=True),
        template="members/email/new_registration",
        context={
            "organisation": organisation,
            "user": user,
            "admin_url": reverse("admin:members_organisation_change", args=[organisation.pk]),
        },
        language="el",
    )
    return organisation


@transaction.atomic
def register_supporter(*, name: str, email: str, password: str, actor_type, language: str):
    """A supporter's light account: an approved, never trusted, never listed organisation
    of one person or company (so its posts are owned and moderated like any entry), and
    its only user, inactive until the e-mail is confirmed. None if the address already
    has an account (that address is told instead)."""
    user = _new_account(email=email, password=password, full_name=name)
    if user is None:
        return None
    supporter = Organisation(
        name_el=name,
        actor_type=actor_type,
        preferred_language=language,
        approval=Organisation.Approval.APPROVED,
        is_supporter=True,
    )
    supporter.save()
    Membership.objects.create(user=user, organisation=supporter, role=Membership.Role.ADMIN)
    send_confirmation(user, language=language)
    return supporter


def send_confirmation(user, *, language: str) -> None:
    """Queue the link that confirms `user`'s e-mail address."""
    path = reverse(
        "accounts:confirm",
        args=[urlsafe_base64_encode(force_bytes(user.pk)), email_confirmation.make_token(user)],
    )
    send_later(
        to=[user.email],
        template="members/email/confirm",
        context={"user": user, "path": path},
        language=language,
    )


@transaction.atomic
def confirm_email(user) -> None:
    user.is_active = True
    user.save(update_fields=["is_active"])


MAILED_DECISIONS = {
    Organisation.Approval.APPROVED: "members/email/approved",
    Organisation.Approval.REJECTED: "members/email/rejected",
}


@transaction.atomic
def set_approval(organisation: Organisation, approval: str, *, by, note: str = "") -> bool:
    """Decide an organisation's approval, the one way every admin page does it: approval
    and rejection are mailed to it in its language; a suspension takes its entries off
    the public pages (the save expires them). False if it already stood so.

    The row is locked, so two moderators deciding at once make one decision and one mail.
    """
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if locked.approval == approval and locked.approval_note == note:
        return False
    before = locked.approval
    locked.approval, locked.approval_note = approval, note
    locked.save(update_fields=["approval", "approval_note", "updated_at"])
    record(
        locked,
        action=AuditEntry.Action.STATUS,
        by=by,
        changes={"approval": [before, approval]},
        note=note,
    )
    if approval == Organisation.Approval.APPROVED:
        publish_files(locked)  # its logo, private until now
    if template := MAILED_DECISIONS.get(approval):
        send_later(
            to=locked.contact_emails(),
            template=template,
            context={"organisation": locked, "note": note},
            language=locked.preferred_language,
        )
    return True


INVITATION_SALT = "accmr.members.invitation"
INVITATION_MAX_AGE = 7 * 24 * 3600


@transaction.atomic
def invite_editor(*, organisation: Organisation, email: str, role: str, by) -> Invitation:
    """Queue an e-mailed invitation link (valid for a week, usable once)."""
    invitation = Invitation.objects.create(
        organisation=organisation, email=email.lower(), role=role, invited_by=by
    )
    token = signing.dumps(invitation.pk, salt=INVITATION_SALT)
    send_later(
        to=[invitation.email],
        template="members/email/invitation",
        context={
            "invitation": invitation,
            "inviter": by,
            "path": reverse("accounts:invitation", args=[token]),
        },
        language=get_language(),
    )
    return invitation


def invitation_from_token(token: str) -> Invitation | None:
    """The open invitation behind a link, or None if it is forged, expired or used."""
    try:
        pk = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
    except signing.BadSignature:
        return None
    return Invitation.objects.open().filter(pk=pk).select_related("organisation").first()


@transaction.atomic
def accept_invitation(invitation: Invitation, *, user=None, signup: dict | None = None):
    """Make `user` (or a new account from `signup`: full_name, password) an editor of the
    inviting organisation; returns the membership, or None if the invitation was used or
    revoked meanwhile (it is locked, so two acceptances make one)."""
    locked = Invitation.objects.open().select_for_update().filter(pk=invitation.pk).first()
    if locked is None:
        return None
    if user is None:
        if User.objects.filter(email__iexact=locked.email).exists():
            return None
        first, _space, last = signup["full_name"].partition(" ")
        user = User.objects.create_user(
            username=locked.email,
            email=locked.email,
            password=signup["password"],
            first_name=first[:150],
            last_name=last[:150],
        )
    membership, _ = Membership.objects.get_or_create(
        user=user, organisation=locked.organisation, defaults={"role": locked.role}
    )
    locked.accepted_at = timezone.now()
    locked.save(update_fields=["accepted_at", "updated_at"])
    return membership


@transaction.atomic
def revoke_invitation(invitation: Invitation) -> bool:
    """Cancel an invitation not yet accepted; its link stops working."""
    return bool(
        Invitation.objects.open().filter(pk=invitation.pk).update(revoked_at=timezone.now())
    )


@transaction.atomic
def remove_editor(membership: Membership) -> bool:
    """Remove an editor from an organisation; the last admin cannot be removed.

    The organisation's row is locked first, so two admins removing each other at the
    same moment are serialised: the second sees one admin left and is refused.
    """
    Organisation.objects.select_for_update().get(pk=membership.organisation_id)
    admins = Membership.objects.filter(
        organisation_id=membership.organisation_id, role=Membership.Role.ADMIN
    )
    if not Membership.objects.filter(pk=membership.pk).exists():
        return True  # already removed by someone else
    if membership.role == Membership.Role.ADMIN and admins.count() <= 1:
        return False
    membership.delete()
    return True


def after_edit(organisation: Organisation, changed: set[str]) -> None:
    """Entries search by their organisation's name: a rename refreshes their search
    text (a query per type). Called by accmr.core once an edit is saved."""
    if changed & {"name_el", "name_en"}:
        reindex_entries(organisation)


@transaction.atomic
def reindex_entries(organisation: Organisation) -> None:
    """Recompute the search text of the organisation's entries of every registered type:
    it holds the organisation's name, so a renamed organisation is found by its new one."""
    for entry_type in entry_types():
        if not issubclass(entry_type.model, Searchable):
            continue
        entries = list(entry_type.owned_by(organisation))
        for entry in entries:
            entry.organisation = organisation
            entry.refresh_keys()
        entry_type.model._default_manager.bulk_update(entries, ["search_text"], batch_size=500)
