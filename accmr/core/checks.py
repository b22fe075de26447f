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


@register()
def check_sections(app_configs, **kwargs):
    """A section's registration is complete: its templates and list URL exist, and what
    goes together is declared together; an entry type's model is owned through a reverse
    accessor named as its app (how the dashboard and profiles reach it without an
    import), and its form edits that model."""
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template
    from django.urls import NoReverseMatch, reverse

    from .sections import EntryType, sections

    errors = []
    for section in sections():
        is_entry = isinstance(section, EntryType)
        where = section.model._meta.label if is_entry else section.key

        def error(message, hint, code, where=where):
            errors.append(Error(f"{where}: {message}", hint=hint, obj=where, id=code))

        templates = [section.home_template]
        if is_entry:
            model = section.model
            owner = next((f for f in model._meta.fields if f.name == "organisation"), None)
            if owner is None or owner.remote_field.related_name != section.key:
                error(
                    f"its organisation's reverse accessor is not its app label ({section.key!r}).",
                    f'Declare organisation = ForeignKey(..., related_name="{section.key}").',
                    "accmr.E010",
                )
            if getattr(getattr(section.form_class, "_meta", None), "model", None) is not model:
                error(
                    "its form_class does not edit it.",
                    "Give a ModelForm of the model.",
                    "accmr.E011",
                )
            templates += [section.card_template, section.form_template, section.asking_template]
            if bool(section.asking_for_support) != bool(section.asking_template):
                error(
                    "asking_for_support and asking_template go together.",
                    "Declare both or neither.",
                    "accmr.E014",
                )
        for template in filter(None, templates):
            try:
                get_template(template)
            except TemplateDoesNotExist:
                error(
                    f"template {template!r} does not exist.",
                    "Add it or fix the name.",
                    "accmr.E012",
                )
        if section.list_url_name:
            try:
                reverse(section.list_url_name)
            except NoReverseMatch:
                error(
                    f"list URL {section.list_url_name!r} does not resolve.",
                    "Declare the section's urls or fix list_url_name.",
                    "accmr.E013",
                )
        if bool(section.home_template) != bool(section.home_context):
            error(
                "home_template and home_context go together.",
                "Declare both or neither.",
                "accmr.E015",
            )
        if section.menu_label and not section.list_url_name:
            error(
                "a menu_label needs a list_url_name to link to.",
                "Declare the list URL or drop the label.",
                "accmr.E016",
            )
    return errors
