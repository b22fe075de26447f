from modeltranslation.translator import register

from accmr.core.translation import Translation

from .models import Activity, Session


@register(Activity)
class ActivityTranslation(Translation):
    fields = ("title", "summary", "description", "address")
    required_languages = ("el",)


@register(Session)
class SessionTranslation(Translation):
    fields = ("address",)
