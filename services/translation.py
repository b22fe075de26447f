from modeltranslation.translator import TranslationOptions, register

from .models import Service


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
    )
    required_languages = ("el",)
