from modeltranslation.translator import TranslationOptions, register

from .models import ActivityType, ActorType, Category, District, Language, SupportType, TargetGroup


class TermTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("el",)


for model in (ActivityType, ActorType, Category, Language, SupportType, TargetGroup):
    register(model)(type(f"{model.__name__}Translation", (TermTranslation,), {}))


@register(District)
class DistrictTranslation(TermTranslation):
    fields = ("name", "neighbourhoods")
