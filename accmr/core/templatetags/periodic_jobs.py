from django import template

from accmr.core.periodic import overdue_jobs as overdue

register = template.Library()


@register.simple_tag
def overdue_jobs(user):
    """The overdue periodic jobs, for a superuser's admin front page (others: none)."""
    return overdue() if user.is_superuser else []
