"""Every sign-in, whichever way it was made, starts the session's clocks and is noted among the
places the account is signed in (signing out takes it off); a local account whose password a
manager reset is told, for the whole session, to change it."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from iro_service.signin.selectors import must_change_password
from iro_service.signin.services import signed_in_session_forget, signed_in_session_record
from iro_service.signin.session import COUNCIL, LOCAL_ACCOUNT, PASSWORD_CHANGE_DUE, session_start


@receiver(user_logged_in, dispatch_uid="signin-session-start")
def _session_start(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    method = COUNCIL if getattr(user, "backend", "").endswith("CouncilOidcBackend") else LOCAL_ACCOUNT
    session_start(request, method=method)
    signed_in_session_record(request=request, user=user)
    if method == LOCAL_ACCOUNT and must_change_password(user):
        request.session[PASSWORD_CHANGE_DUE] = True


@receiver(user_logged_out, dispatch_uid="signin-session-forget")
def _session_forget(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        signed_in_session_forget(session_key=request.session.session_key)
