from django import template
from django.utils.translation import get_language

from accmr.core.vocative import vocative as greek_vocative

register = template.Library()


@register.filter
def vocative(name: str) -> str:
    """A first name as a greeting addresses it: in the vocative in Greek («Γεια σας
    Γιώργο,», see accmr.core.vocative), unchanged in English."""
    return greek_vocative(name or "") if get_language() == "el" else name
