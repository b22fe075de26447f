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
]
