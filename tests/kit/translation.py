from modeltranslation.translator import TranslationOptions, register

from .models import Programme


@register(Programme)
class ProgrammeTranslation(TranslationOptions):
    fields = ("title", "summary")
    required_languages = ("el",)
