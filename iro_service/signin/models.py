"""What managers did about other people's sign-in (lockouts lifted, second factors and passwords
reset), and whether a local account must change a password someone else set."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class SignInAction(models.TextChoices):
    LOCKOUT_LIFTED = "lockout_lifted", "Lockout lifted"
    SECOND_FACTOR_RESET = "second_factor_reset", "Authenticator app reset"
    PASSWORD_RESET = "password_reset", "Password reset"
    PASSWORD_SET_IN_ADMIN = "password_set_in_admin", "Password set in the admin"
    # Not a manager's action: the account's own, recorded here so that managers see it.
    USED_CODE_ENTERED_AGAIN = "used_code_entered_again", "Used app code entered again"


class SignInSecurityEvent(models.Model):
    """One thing a manager did to someone else's sign-in: a lockout lifted (of a username or of
    an address), a member of staff's authenticator app, recovery codes and passkeys removed, so
    that they set up a new one, or their password reset. Also a code from an account's app
    entered again after it had been used (ASVS 2.8.5): ``done_by`` is then the account itself,
    whose password was given. Kept for ever, as the access log is: who did what, and when."""

    action = models.CharField(max_length=30, choices=SignInAction.choices)
    # The username or the address concerned: a locked username need not be an account.
    subject = models.CharField(max_length=150)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-done_at"]
        default_permissions = ("view",)
        permissions = [
            ("manage_sign_in", "Can lift sign-in lockouts and reset authenticator apps and passwords")
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.subject}"


class LocalPassword(models.Model):
    """What sign-in knows about a local account's password beyond its hash. Kept here, not on
    the staff record: the account may have no staff record (the system administrator), and
    sign-in sits below the people app. A row is made the first time someone else gives the
    account a password (a manager's reset, or the system administrator in the admin); no row
    means nothing is due."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="local_password"
    )
    # Set when someone else gives the account a password (who therefore knows it); cleared when
    # the account holder changes it themselves.
    must_change_password = models.BooleanField(default=False)
    # When that password was given: it stops working SIGN_IN_RESET_PASSWORD_HOURS later
    # (iro_service/signin/backends.py). Cleared with the flag.
    password_issued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # A password to change always has the time it was given, and only such a password:
            # without it, it would never expire.
            models.CheckConstraint(
                condition=Q(must_change_password=True, password_issued_at__isnull=False)
                | Q(must_change_password=False, password_issued_at__isnull=True),
                name="local_password_issued_when_it_must_change",
            )
        ]

    def __str__(self) -> str:
        return f"Password of {self.user}"


class SignedInSession(models.Model):
    """One place an account is signed in (ASVS 3.3.4): so that its holder sees where, and can
    end a session they do not recognise. As little as will tell them apart: when it began, the
    address it came from and the kind of browser, never the whole browser string. The session
    itself is Django's (its key is the one the session cookie holds); this row goes when the
    session is ended or signed out, and is not listed once the session has expired."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40, unique=True)
    signed_in_at = models.DateTimeField()
    address = models.GenericIPAddressField(null=True, blank=True)
    browser = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["-signed_in_at", "-pk"]
        default_permissions = ()
        indexes = [models.Index(fields=["user", "signed_in_at"], name="signin_session_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} since {self.signed_in_at:%Y-%m-%d %H:%M}"
