from modeltranslation.translator import TranslationOptions, register

from .models import Closure, Service


@register(Service)
class ServiceTranslation(TranslationOptions):
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
class ClosureTranslation(TranslationOptions):
    fields = ("reason",)
