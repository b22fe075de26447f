from django.conf import settings

from .sections import sections


def portal(request):
    """The warning banner's flag (development settings), the sections in the menu and
    ACCMR's address for the footer."""
    return {
        "contact_email": settings.CONTACT_EMAIL,
        "debug_banner": settings.DEBUG or settings.SECRET_KEY == settings.DEFAULT_SECRET_KEY,
        "menu_sections": [s for s in sections() if s.menu_label],
    }
