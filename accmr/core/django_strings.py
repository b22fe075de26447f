"""Django's own strings that show on the portal's pages but that Django's Greek catalogue
does not translate yet (new in Django 6): listed here so `make messages` keeps them in
locale/el, whose translations take precedence over Django's. Never imported."""

from django.utils.translation import gettext_noop, ngettext_lazy

STRINGS = [
    gettext_noop("- Select an option -"),  # empty choice of every optional select
    gettext_noop("Start typing to filter…"),  # admin navigation sidebar
    gettext_noop("Show counts"),  # admin list filters
    gettext_noop("Hide counts"),
    gettext_noop("Run"),  # admin actions
    gettext_noop("Filter by %(field_name)s"),  # admin date hierarchy
    # The admin's headers and landmarks for screen readers.
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("Pagination %(name)s"),
    gettext_noop("Pagination %(name)s entries"),
    # The password rules, with the portal's word for a password («κωδικός πρόσβασης»).
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("This password is too common."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("This password is entirely numeric."),
    gettext_noop("Your password can’t be entirely numeric."),
    # The password change and reset forms (Django's), in the same words.
    gettext_noop("Old password"),
    gettext_noop("New password"),
    gettext_noop("New password confirmation"),
    gettext_noop("Password confirmation"),
    gettext_noop("Enter the same password as before, for verification."),
    gettext_noop("Your old password was entered incorrectly. Please enter it again."),
    ngettext_lazy(
        "This password is too short. It must contain at least %(min_length)d character.",
        "This password is too short. It must contain at least %(min_length)d characters.",
        "min_length",
    ),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
]

# How long ago something was submitted (django.utils.timesince), on the moderators' overview.
TIMESINCE = [
    ngettext_lazy("%(num)d year", "%(num)d years", "num"),
    ngettext_lazy("%(num)d month", "%(num)d months", "num"),
    ngettext_lazy("%(num)d week", "%(num)d weeks", "num"),
    ngettext_lazy("%(num)d day", "%(num)d days", "num"),
    ngettext_lazy("%(num)d hour", "%(num)d hours", "num"),
    ngettext_lazy("%(num)d minute", "%(num)d minutes", "num"),
]
