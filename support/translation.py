from modeltranslation.translator import TranslationOptions, register

from .models import SupportPost


@register(SupportPost)
class SupportPostTranslation(TranslationOptions):
    # A supporter may write in English only: either language falls back to the other.
    fields = ("title", "description", "quantity")
    fallback_languages = {"default": ("el", "en")}
