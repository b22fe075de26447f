from django.conf import settings

from .entries import entry_types


def portal(request):
    """The warning banner's flag (development settings) and the sections in the menu."""
    return {
        "debug_banner": settings.DEBUG or settings.SECRET_KEY == settings.DEFAULT_SECRET_KEY,
        "menu_entry_types": [t for t in entry_types() if t.list_url_name],
    }
