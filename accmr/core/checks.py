from django.conf import settings
from django.core.checks import Error, Warning, register


@register(deploy=True)
def check_secret_key(app_configs, **kwargs):
    if settings.SECRET_KEY == settings.DEFAULT_SECRET_KEY:
        return [
            Error("SECRET_KEY is the development default.", hint="Set SECRET_KEY.", id="accmr.E001")
        ]
    return []


@register()
def check_site_url(app_configs, **kwargs):
    if settings.SITE_URL and not settings.SITE_URL.startswith(("http://", "https://")):
        return [
            Error(
                "SITE_URL must be an absolute http(s) address.",
                hint="It prefixes links in exports and e-mails.",
                id="accmr.E002",
            )
        ]
    return []


@register(deploy=True)
def check_site_url_is_public(app_configs, **kwargs):
    if (
        not settings.SITE_URL
        or "localhost" in settings.SITE_URL
        or "127.0.0.1" in settings.SITE_URL
    ):
        return [
            Warning(
                "SITE_URL is unset or points at this machine.",
                hint="Set SITE_URL: e-mails sent outside a request (cron) link to it.",
                id="accmr.W001",
            )
        ]
    return []


@register(deploy=True)
def check_shared_cache(app_configs, **kwargs):
    if not settings.REDIS_URL:
        return [
            Warning(
                "No shared cache: each worker keeps its own copy of public pages.",
                hint="Set REDIS_URL so that a publish reaches every worker at once.",
                id="accmr.W002",
            )
        ]
    return []
