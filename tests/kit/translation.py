from modeltranslation.translator import register

from accmr.core.translation import Translation

from .models import Programme


@register(Programme)
class ProgrammeTranslation(Translation):
    fields = ("title", "summary")
    required_languages = ("el",)
