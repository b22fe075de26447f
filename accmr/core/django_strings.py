"""Django's own strings that show on the portal's pages but that Django's Greek catalogue
does not translate yet (new in Django 6): listed here so `make messages` keeps them in
locale/el, whose translations take precedence over Django's. Never imported."""

from django.utils.translation import gettext_noop

STRINGS = [
    gettext_noop("- Select an option -"),  # empty choice of every optional select
    gettext_noop("Start typing to filter…"),  # admin navigation sidebar
    gettext_noop("Show counts"),  # admin list filters
    gettext_noop("Hide counts"),
    gettext_noop("Run"),  # admin actions
    gettext_noop("Filter by %(field_name)s"),  # admin date hierarchy
    # The password rules, with the portal's word for a password («κωδικός πρόσβασης»).
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("This password is too common."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("This password is entirely numeric."),
    gettext_noop("Your password can’t be entirely numeric."),
]
