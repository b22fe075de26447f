from django.conf import settings


def portal(request):
    """Flags for the warning banner shown while the portal runs with development settings."""
    return {
        "debug_banner": settings.DEBUG or settings.SECRET_KEY == settings.DEFAULT_SECRET_KEY,
    }
