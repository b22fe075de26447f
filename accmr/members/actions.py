"""Writes of the members app: registration, e-mail confirmation, approval."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import get_language

from accmr.core.mail import send_later

from .models import Membership, Organisation
from .tokens import email_confirmation

User = get_user_model()


@transaction.atomic
def register_organisation(*, form) -> Organisation:
    """Create a pending organisation, its first editor (inactive until the e-mail is
    confirmed) as the organisation's admin, and queue the confirmation and admin e-mails."""
    data = form.cleaned_data
    first, _space, last = data["full_name"].partition(" ")
    user = User.objects.create_user(
        username=data["user_email"],
        email=data["user_email"],
        password=data["password1"],
        first_name=first[:150],
        last_name=last[:150],
        is_active=False,
    )
    organisation = form.save(commit=False)
    organisation.approval = Organisation.Approval.PENDING
    organisation.trusted = False
    organisation.save()
    form.save_m2m()
    Membership.objects.create(user=user, organisation=organisation, role=Membership.Role.ADMIN)
    send_confirmation(user, language=get_language())
    admins = User.objects.filter(is_staff=True, is_active=True).exclude(email="")
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


@transaction.atomic
def decide_registration(organisation: Organisation, *, approve: bool, note: str = "") -> None:
    """Approve or reject a registration and tell the organisation in its language."""
    organisation.approval = (
        Organisation.Approval.APPROVED if approve else Organisation.Approval.REJECTED
    )
    organisation.approval_note = note
    organisation.save(update_fields=["approval", "approval_note", "updated_at"])
    send_later(
        to=organisation.contact_emails(),
        template="members/email/approved" if approve else "members/email/rejected",
        context={"organisation": organisation, "note": note},
        language=organisation.preferred_language,
    )
