from modeltranslation.translator import register

from accmr.core.translation import Translation

from .models import SupportPost


@register(SupportPost)
class SupportPostTranslation(Translation):
    # A supporter may write in English only: either language falls back to the other.
    fields = ("title", "description", "quantity")
    fallback_languages = {"default": ("el", "en")}
