from modeltranslation.translator import register

from accmr.core.translation import Translation

from .models import ToolboxItem


@register(ToolboxItem)
class ToolboxItemTranslation(Translation):
    fields = ("title", "summary", "description", "publisher_name")
    required_languages = ("el",)
