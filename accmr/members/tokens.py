from django.contrib.auth.tokens import PasswordResetTokenGenerator


class EmailConfirmationTokenGenerator(PasswordResetTokenGenerator):
    """Links that confirm an e-mail address: they stop working once the account is active
    or the address changes, and expire after PASSWORD_RESET_TIMEOUT."""

    key_salt = "accmr.members.tokens.EmailConfirmationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.is_active}{user.email}{timestamp}"


email_confirmation = EmailConfirmationTokenGenerator()
