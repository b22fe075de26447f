from modeltranslation.translator import TranslationOptions, register

from .models import Activity, Session


@register(Activity)
class ActivityTranslation(TranslationOptions):
    fields = ("title", "summary", "description", "address")
    required_languages = ("el",)


@register(Session)
class SessionTranslation(TranslationOptions):
    fields = ("address",)
