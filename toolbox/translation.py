from modeltranslation.translator import TranslationOptions, register

from .models import ToolboxItem


@register(ToolboxItem)
class ToolboxItemTranslation(TranslationOptions):
    fields = ("title", "summary", "description", "publisher_name")
    required_languages = ("el",)
