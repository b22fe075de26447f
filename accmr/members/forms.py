from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accmr.core.forms import BilingualModelForm, SpecificErrors
from accmr.core.text import normalise
from accmr.core.uploads import ImageUploadField
from accmr.taxonomy.models import ActorType, Category

from . import throttle
from .models import INDIVIDUAL, PRIVATE_SECTOR, Membership, Organisation, member_actor_types


def _consent_label():
    return format_html(
        _(
            'I have read the <a href="{}">privacy notice</a> and agree that the portal keeps '
            "these details to run my organisation's account."
        ),
        reverse_lazy("page", args=["privacy"]),
    )


def _supporter_consent_label():
    return format_html(
        _(
            'I have read the <a href="{}">privacy notice</a> and agree that the portal keeps '
            "these details to run my account and relay messages about my posts."
        ),
        reverse_lazy("page", args=["privacy"]),
    )


def check_password_pair(form, cleaned: dict, *, email: str, name: str = "") -> None:
    """Add errors to `form` if the two passwords differ or the password is weak."""
    first, second = cleaned.get("password1"), cleaned.get("password2")
    if first and second and first != second:
        form.add_error("password2", _("The two passwords do not match."))
    elif first:
        # No username: accounts are e-mail addresses, and the rule then speaks of those.
        user = get_user_model()(email=email, first_name=name)
        try:
            password_validation.validate_password(first, user)
        except ValidationError as error:
            form.add_error("password1", error)


class OrganisationProfileForm(BilingualModelForm):
    """The organisation's public profile, as its editors may change it (and registration
    fills in first)."""

    class Meta:
        model = Organisation
        fields = [
            "name",
            "description",
            "website",
            "email",
            "phone",
            "address",
            "district",
            "activity_fields",
            "logo",
            "preferred_language",
        ]
        widgets = {
            "activity_fields": forms.CheckboxSelectMultiple,
        }
        field_classes = {"logo": ImageUploadField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity_fields"].queryset = Category.objects.active().top_level()

    def clean_name_el(self):
        name = self.cleaned_data["name_el"]
        others = Organisation.objects.exclude(pk=self.instance.pk)
        if others.filter(name_key_el=normalise(name)).exists():
            raise ValidationError(_("An organisation with this name is already registered."))
        return name


class SupporterProfileForm(SpecificErrors, forms.ModelForm):
    """What a supporter's account keeps: the name its posts carry and its e-mails' language."""

    class Meta:
        model = Organisation
        fields = ["name_el", "preferred_language"]
        labels = {"name_el": _("Your name, or your company's name")}

    def check_version(self, formsets) -> bool:
        return True  # one person edits it; nobody reviews it


class RegistrationForm(OrganisationProfileForm):
    """One form for a new organisation and its first editor (who becomes its admin)."""

    full_name = forms.CharField(label=_("Your name"), max_length=150)
    user_email = forms.EmailField(
        label=_("Your e-mail"), help_text=_("You log in with it; we send a link to confirm it.")
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=lazy(password_validation.password_validators_help_text_html, str)(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    consent = forms.BooleanField(label=lazy(_consent_label, str)(), required=True)

    class Meta(OrganisationProfileForm.Meta):
        # The profile's fields, with the actor type after the names.
        fields = [
            *OrganisationProfileForm.Meta.fields[:2],
            "actor_type",
            *OrganisationProfileForm.Meta.fields[2:],
        ]
        labels = {
            "name_el": _("Name in Greek"),
            "name_en": _("Name in English (optional)"),
            "description_el": _("Description in Greek"),
            "description_en": _("Description in English (optional)"),
            "email": _("Organisation e-mail"),
            "address_el": _("Address"),
            "address_en": _("Address in English (optional)"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Members publish their contact details, so a private person registers as a
        # supporter instead (the field's help text links there).
        actor_type = self.fields["actor_type"]
        actor_type.queryset = member_actor_types()
        actor_type.help_text = format_html(
            _(
                "Private individuals are not registered as members: a person who wants to help "
                '<a href="{}">creates a supporter account</a>, whose name and contact details '
                "are never shown."
            ),
            reverse_lazy("accounts:supporter_signup"),
        )
        self.fields["description_el"].required = True
        self.fields["email"].required = True

    ACCOUNT_FIELDS = ("full_name", "user_email", "password1", "password2")

    def organisation_fields(self):
        return [self[name] for name in self._meta.fields]

    def account_fields(self):
        return [self[name] for name in self.ACCOUNT_FIELDS]

    def clean_user_email(self):
        # Whether the address has an account is not said here (it would reveal who
        # has one): register_organisation() mails that address instead.
        return self.cleaned_data["user_email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        check_password_pair(
            self, cleaned, email=cleaned.get("user_email", ""), name=cleaned.get("full_name", "")
        )
        return cleaned

    def full_clean(self):
        super().full_clean()
        if self._errors:
            self._ask_again_for_what_is_not_kept()

    def _ask_again_for_what_is_not_kept(self) -> None:
        """A form sent back with errors keeps what was typed, but never the password (not
        echoed into the page) nor a chosen file (browsers cannot refill a file input): say
        so in those fields' help texts, which their inputs are described by."""
        typed = any(self.data.get(self.add_prefix(name)) for name in ("password1", "password2"))
        if typed:
            self._say_first("password1", _("For your security, type the password again."))
        logo = self.files.get(self.add_prefix("logo"))
        if logo and "logo" not in self._errors:  # an error of its own already asks for another
            self._say_first(
                "logo",
                _("The file you chose, “%(name)s”, has not been kept: choose it again.")
                % {"name": logo.name},
            )

    def _say_first(self, name: str, note: str) -> None:
        # On the bound field, which cleaning has already made (and keeps) with the help text.
        self[name].help_text = format_html(
            '<p class="again">{}</p>{}', note, self.fields[name].help_text
        )


class ResendConfirmationForm(SpecificErrors, forms.Form):
    email = forms.EmailField(label=_("Your e-mail"))


class InviteForm(SpecificErrors, forms.Form):
    email = forms.EmailField(label=_("E-mail of the person to invite"))
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.EDITOR
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if self.organisation.memberships.filter(user__email__iexact=email).exists():
            raise ValidationError(_("This person is already an editor of your organisation."))
        return email


class InvitationSignupForm(SpecificErrors, forms.Form):
    """A new account for someone who follows an invitation (the link proves the address)."""

    full_name = forms.CharField(label=_("Your name"), max_length=150)
    password1 = RegistrationForm.base_fields["password1"]
    password2 = RegistrationForm.base_fields["password2"]

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        check_password_pair(self, cleaned, email=self.email, name=cleaned.get("full_name", ""))
        return cleaned


class LoginForm(SpecificErrors, AuthenticationForm):
    """Log in with the e-mail address (any case), with one clear message if it fails."""

    username = UsernameField(
        label=_("E-mail"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "This e-mail address and password do not match an account. Check both, or "
            "reset your password."
        ),
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


# Django's own account forms, with messages that name their field.
class PasswordChangeForm(SpecificErrors, auth_forms.PasswordChangeForm):
    pass


class PasswordResetForm(SpecificErrors, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(SpecificErrors, auth_forms.SetPasswordForm):
    def save(self, commit=True):
        """A new password from a reset link also lifts a lockout of the account: the
        reset proved its owner reads its mail."""
        user = super().save(commit=commit)
        if commit:
            throttle.lift(user)
        return user


class SupporterSignupForm(SpecificErrors, forms.Form):
    """A light account for a person or a company who wants to help: no organisation to
    describe and no approval to wait for, only who posts and how to log in."""

    KINDS = [
        (INDIVIDUAL, _("A private individual")),
        (PRIVATE_SECTOR, _("A company or business")),
    ]

    supporter_kind = forms.ChoiceField(
        label=_("You are"), choices=KINDS, widget=forms.RadioSelect, initial=INDIVIDUAL
    )
    name = forms.CharField(
        label=_("Your name, or your company's name"),
        max_length=200,
        help_text=_(
            "A private individual's name is never shown on the portal; a company's name is "
            "shown on its posts."
        ),
    )
    email = forms.EmailField(
        label=_("Your e-mail"),
        help_text=_("You log in with it and replies reach you there; it is never shown to anyone."),
    )
    password1 = RegistrationForm.base_fields["password1"]
    password2 = RegistrationForm.base_fields["password2"]
    preferred_language = forms.ChoiceField(
        label=_("Language of the e-mails you receive"), choices=settings.LANGUAGES
    )
    consent = forms.BooleanField(
        label=lazy(_supporter_consent_label, str)(),
        required=True,
        error_messages={
            "required": _("Tick the box agreeing to the privacy notice to create the account.")
        },
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        check_password_pair(
            self, cleaned, email=cleaned.get("email", ""), name=cleaned.get("name", "")
        )
        return cleaned

    def actor_type(self) -> ActorType:
        return ActorType.objects.get(slug=self.cleaned_data["supporter_kind"])
