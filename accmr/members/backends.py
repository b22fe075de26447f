"""Log in with the e-mail address, in any case ("Editor@…" is editor@…)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from . import throttle


class EmailBackend(ModelBackend):
    """Accounts are e-mail addresses; the username field matches either the username or
    the e-mail, case ignored. An address shared by two accounts logs into neither.

    An account locked out by too many failures from anywhere (accmr.members.throttle)
    is refused even the right password until its wait is over; the lockout page says so
    (django-axes' middleware shows it, as for its own lockouts)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        User = get_user_model()
        users = list(
            User._default_manager.filter(Q(username__iexact=username) | Q(email__iexact=username))[
                :2
            ]
        )
        user = users[0] if len(users) == 1 else None
        key = throttle.account_key(user, username)
        until = throttle.locked_until(key)
        if until is not None:
            _paused(request, until)
            raise PermissionDenied  # no other backend is asked either
        if user is None:
            User().set_password(password)  # as long as a real check: no timing tell
        elif user.check_password(password):
            if not self.user_can_authenticate(user):
                return None
            throttle.record_success(key)
            return user
        if (until := throttle.record_failure(key, user)) is not None:
            _paused(request, until)
        return None


def _paused(request, until) -> None:
    if request is not None:
        request.axes_locked_out = True  # django-axes' middleware answers with the lockout page
        request.login_paused_until = until
