"""What managers did about other people's sign-in: lockouts lifted and second factors reset."""

from django.conf import settings
from django.db import models


class SignInAction(models.TextChoices):
    LOCKOUT_LIFTED = "lockout_lifted", "Lockout lifted"
    SECOND_FACTOR_RESET = "second_factor_reset", "Authenticator app reset"


class SignInSecurityEvent(models.Model):
    """One thing a manager did to someone else's sign-in: a lockout lifted (of a username or of
    an address) or a member of staff's authenticator app and recovery codes removed, so that
    they set up a new one. Kept for ever, as the access log is: who lifted what, and when."""

    action = models.CharField(max_length=30, choices=SignInAction.choices)
    # The username or the address concerned: a locked username need not be an account.
    subject = models.CharField(max_length=150)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-done_at"]
        default_permissions = ("view",)
        permissions = [("manage_sign_in", "Can lift sign-in lockouts and reset authenticator apps")]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.subject}"
