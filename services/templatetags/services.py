from django import template
from django.utils import timezone

from services import hours

register = template.Library()


@register.simple_tag
def service_status(service):
    """Open now, closed, by appointment… (services.hours.status_at), from prefetched rows."""
    return hours.status_at(service)


@register.simple_tag
def service_week(service):
    """Monday to Sunday of this week's hours, today marked (services.hours.week)."""
    return hours.week(service, timezone.localdate())


@register.simple_tag
def service_closures(service):
    """The dated closures and closing holidays of the next 60 days."""
    return hours.coming_closures(service, timezone.localdate())
