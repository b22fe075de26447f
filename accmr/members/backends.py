"""Log in with the e-mail address, in any case ("Editor@…" is editor@…)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q


class EmailBackend(ModelBackend):
    """Accounts are e-mail addresses; the username field matches either the username or
    the e-mail, case ignored. An address shared by two accounts logs into neither."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        User = get_user_model()
        users = list(
            User._default_manager.filter(Q(username__iexact=username) | Q(email__iexact=username))[
                :2
            ]
        )
        if len(users) != 1:
            User().set_password(password)  # as long as a real check: no timing tell
            return None
        user = users[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
