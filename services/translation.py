from modeltranslation.translator import register

from accmr.core.translation import Translation

from .models import Closure, Service


@register(Service)
class ServiceTranslation(Translation):
    fields = (
        "name",
        "description",
        "address",
        "fees_description",
        "application_process",
        "eligibility_description",
        "required_documents",
        "funding",
        "hours_notes",
    )
    required_languages = ("el",)


@register(Closure)
class ClosureTranslation(Translation):
    fields = ("reason",)
