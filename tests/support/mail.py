"""Email backends for tests: the mail server is the outside world, so it may be stood in for."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class FlakyEmailBackend(EmailBackend):
    """The local-memory backend, except that the first ``failures`` sends (across instances)
    fail as a mail server that dropped the connection would."""

    failures = 0

    def send_messages(self, messages):
        if FlakyEmailBackend.failures > 0:
            FlakyEmailBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)
