from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accmr.core.forms import BilingualModelForm, HumanCheckForm, SpecificErrors, translated_fields
from accmr.taxonomy.forms import offer_languages, offer_support_types

from .models import SupportPost

MAX_MESSAGE = 5000


class SupportTypesWidget(forms.CheckboxSelectMultiple):
    """The support types' boxes, each type about a language marked for post-form.js, which
    shows the languages only while one of those is ticked (without it they always show)."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if getattr(getattr(value, "instance", None), "needs_language", False):
            option["attrs"]["data-needs-language"] = ""
        return option

    @property
    def media(self):
        return forms.Media(js=[forms.Script("support/post-form.js", defer=True)])


LEAD_SECTIONS = [("", ["kind"])]  # the radio group is a fieldset of its own
SECTIONS = [
    (_("What and where"), ["support_types", "languages", "district", "urgency"]),
    (_("How long"), ["expires_on", "notify_matches"]),
]


class SupportPostForm(BilingualModelForm):
    lead_sections = LEAD_SECTIONS
    sections = SECTIONS

    class Meta:
        model = SupportPost
        # In the page's order: the kind, the texts in both languages (translation.py), the rest.
        fields = [
            *(name for _legend, names in LEAD_SECTIONS for name in names),
            *translated_fields(SupportPost),
            *(name for _legend, names in SECTIONS for name in names),
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "urgency": forms.RadioSelect,
            "support_types": SupportTypesWidget,
            "languages": forms.CheckboxSelectMultiple,
            "expires_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description_el": forms.Textarea(attrs={"rows": 5}),
            "description_en": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offer_support_types(self.fields["support_types"])
        offer_languages(self.fields["languages"])
        self.fields["kind"].choices = SupportPost.Kind.choices  # no blank radio
        self.fields["urgency"].choices = SupportPost.Urgency.choices
        self.fields["district"].empty_label = _("Anywhere in Athens")
        self.fields["district"].label_from_instance = lambda district: district.label
        self.fields["title_el"].help_text = _("In Greek, English or both: one is enough.")
        self.fields["notify_matches"].label_suffix = ""
        # The default is a function of today, so Django would add a hidden copy of it, and give
        # that hidden input the help text's aria-describedby (invalid HTML). Nothing needs it.
        self.fields["expires_on"].show_hidden_initial = False

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        latest = today + timedelta(days=settings.SUPPORT_POST_MAX_DAYS)
        if day is not None and not (today <= day <= latest):
            raise ValidationError(
                _("Choose a day from today to %(latest)s."),
                params={"latest": date_format(latest, "SHORT_DATE_FORMAT")},
            )
        return day

    def clean(self):
        cleaned = super().clean()
        for name, message in (
            ("title", _("Give the post a title, in Greek or in English.")),
            ("description", _("Describe what is needed or offered, in Greek or in English.")),
        ):
            given = cleaned.get(f"{name}_el") or cleaned.get(f"{name}_en")
            if not given and not self.has_error(f"{name}_el"):
                self.add_error(f"{name}_el", message)
        about_language = [t for t in cleaned.get("support_types") or () if t.needs_language]
        if not about_language:
            cleaned["languages"] = []  # only support about a language has one
        elif not cleaned.get("languages") and not self.has_error("languages"):
            self.add_error(
                "languages",
                _("Choose at least one language for “%(type)s”.")
                % {"type": about_language[0].name},
            )
        return cleaned


def _reply_consent_label():
    return format_html(
        _(
            "I agree that the portal keeps my name, e-mail and messages to relay this "
            'conversation, and removes them after the post closes (<a href="{}">privacy '
            "notice</a>)."
        ),
        reverse_lazy("page", args=["privacy"]),
    )


class MessageField(forms.CharField):
    """A message of at most MAX_MESSAGE characters. The browser is not told the limit
    (it would cut a pasted text silently); the server says how long it is instead."""

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Your message"))
        kwargs.setdefault("max_length", MAX_MESSAGE)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 6}))
        kwargs.setdefault(
            "error_messages",
            {
                "required": _("Write your message."),
                "max_length": _(
                    "Your message is %(show_value)d characters long; please shorten it to "
                    "%(limit_value)d."
                ),
            },
        )
        super().__init__(**kwargs)


class ReplyForm(HumanCheckForm):
    """A visitor's answer to a post, relayed to the poster; the poster never sees the
    address and answers through the portal."""

    not_sent = _("Your message has not been sent yet. Please check it and send it again.")

    name = forms.CharField(label=_("Your name"), max_length=120)
    email = forms.EmailField(
        label=_("Your e-mail"),
        help_text=_("Answers are relayed to it; the poster does not see it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Enter an e-mail address like name@example.org.")},
    )
    message = MessageField(
        help_text=_(
            "Say what you can give or what you need, and when. Share a phone number or an "
            "address only if you want the poster to have it."
        )
    )
    consent = forms.BooleanField(
        label=lazy(_reply_consent_label, str)(),
        required=True,
        error_messages={
            "required": _("Tick the box agreeing to how your message is kept, to send it.")
        },
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class AnswerForm(SpecificErrors, forms.Form):
    """The next message of a conversation, from either side."""

    message = MessageField()
