from django.utils.functional import SimpleLazyObject


def account(request):
    """`has_dashboard`: whether the user works for an organisation, so the header offers the
    dashboard (to anyone else, a moderator among them, it answers 403).

    Asked only when a page reads it; a dashboard page already knows its membership
    (`editor_required`) and asks nothing."""

    def has_dashboard() -> bool:
        if not request.user.is_authenticated:
            return False
        if getattr(request, "membership", None) is not None:
            return True
        return request.user.memberships.exists()

    return {"has_dashboard": SimpleLazyObject(has_dashboard)}
