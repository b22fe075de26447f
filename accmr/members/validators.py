from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's validator with its messages in our catalogue: Django's own Greek catalogue
    has no translation for them, and the registration form must be Greek throughout."""

    def get_error_message(self):
        return ngettext(
            "This password is too short. It must contain at least %(count)d character.",
            "This password is too short. It must contain at least %(count)d characters.",
            self.min_length,
        ) % {"count": self.min_length}

    def get_help_text(self):
        return ngettext(
            "Your password must contain at least %(count)d character.",
            "Your password must contain at least %(count)d characters.",
            self.min_length,
        ) % {"count": self.min_length}
