"""Registration and e-mail confirmation; the rest of /accounts/ is Django's auth views."""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from accmr.core.clients import site_url
from accmr.core.ratelimit import may_mail, refused

from .actions import (
    accept_invitation,
    confirm_email,
    invitation_from_token,
    register_organisation,
    register_supporter,
    send_confirmation,
)
from .forms import (
    InvitationSignupForm,
    RegistrationForm,
    ResendConfirmationForm,
    SupporterSignupForm,
)
from .tokens import email_confirmation

User = get_user_model()


@sensitive_post_parameters("password1", "password2")
def register(request):
    form = RegistrationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if may_mail(request, form, to=form.cleaned_data["user_email"]):
            register_organisation(form=form)
            return render(
                request,
                "registration/register_done.html",
                {"email": form.cleaned_data["user_email"]},
            )
        return refused(render(request, "registration/register.html", {"form": form}))
    return render(request, "registration/register.html", {"form": form})


@sensitive_post_parameters("password1", "password2")
def supporter_signup(request):
    """A light account for individuals and companies who want to help (support posts)."""
    form = SupporterSignupForm(request.POST or None, initial={"preferred_language": get_language()})
    page = "registration/supporter_signup.html"
    if request.method == "POST" and form.is_valid():
        if not may_mail(request, form, to=form.cleaned_data["email"]):
            return refused(render(request, page, {"form": form}))
        data = form.cleaned_data
        register_supporter(
            name=data["name"],
            email=data["email"],
            password=data["password1"],
            actor_type=form.actor_type(),
            language=data["preferred_language"],
        )
        return render(
            request,
            "registration/register_done.html",
            {"email": data["email"], "supporter": True},
        )
    return render(request, page, {"form": form})


def confirm(request, uidb64, token):
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (ValueError, OverflowError, User.DoesNotExist):
        user = None
    if user is not None and user.is_active:
        messages.info(request, _("Your e-mail address is already confirmed. You can log in."))
        return redirect("accounts:login")
    if user is None or not email_confirmation.check_token(user, token):
        messages.error(
            request,
            _("This confirmation link has expired or is not valid. Ask for a new one below."),
        )
        return redirect("accounts:resend")
    confirm_email(user)
    messages.success(request, _("Thank you: your e-mail address is confirmed. You can now log in."))
    return redirect("accounts:login")


def resend(request):
    form = ResendConfirmationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if not may_mail(request, form, to=email):
            return refused(render(request, "registration/resend.html", {"form": form}))
        user = User.objects.filter(email__iexact=email, is_active=False).first()
        if user is not None:
            send_confirmation(user, language=get_language())
        # The same answer whether or not the address is known, so it reveals nothing.
        messages.success(
            request, _("If an unconfirmed account uses this address, we have sent it a new link.")
        )
        return redirect("accounts:login")
    return render(request, "registration/resend.html", {"form": form})


def welcome(request):
    """Where a login without `next` lands: an editor's dashboard, a moderator's admin,
    anyone else's home page."""
    if request.user.is_authenticated and request.user.memberships.exists():
        return redirect("dashboard")
    if request.user.is_staff:
        return redirect("admin:index")
    return redirect("home")


def _accepted(request, invite, membership):
    if membership is None:  # a second click, or a second tab, got there first
        messages.error(request, _("This invitation has expired or has already been used."))
        return redirect("home")
    messages.success(
        request, _("You are now an editor of %(name)s.") % {"name": invite.organisation}
    )
    return redirect("dashboard")


def invitation(request, token):
    """Follow an invitation: an existing account logs in, a new one is created here."""
    invite = invitation_from_token(token)
    if invite is None:
        messages.error(request, _("This invitation has expired or has already been used."))
        return redirect("home")
    existing = User.objects.filter(email__iexact=invite.email).first()
    if existing is not None:
        if request.user != existing:
            messages.info(
                request,
                _("Log in as %(email)s to accept the invitation.") % {"email": invite.email},
            )
            return redirect_to_login(request.get_full_path())
        return _accepted(request, invite, accept_invitation(invite, user=existing))
    form = InvitationSignupForm(request.POST or None, email=invite.email)
    if request.method == "POST" and form.is_valid():
        signup = {
            "full_name": form.cleaned_data["full_name"],
            "password": form.cleaned_data["password1"],
        }
        membership = accept_invitation(invite, signup=signup)
        if membership is not None:
            login(request, membership.user, backend="accmr.members.backends.EmailBackend")
        return _accepted(request, invite, membership)
    return render(request, "registration/invitation.html", {"form": form, "invitation": invite})


class PasswordResetView(auth.PasswordResetView):
    """Django's, counting only the mails it sends (a mistyped address costs nothing), with
    the link on SITE_URL like every mail's, not on the Host the request named."""

    def form_valid(self, form):
        if not may_mail(self.request, form, to=form.cleaned_data["email"]):
            return refused(self.form_invalid(form))
        self.extra_email_context = {"site_url": site_url()}
        return super().form_valid(form)
