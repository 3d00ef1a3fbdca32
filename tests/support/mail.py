"""Email backends for tests: the mail server is the outside world, so it may be stood in for."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend
from django.db import connection


class FlakyEmailBackend(EmailBackend):
    """The local-memory backend, except that after the first ``succeeding`` sends, the next
    ``failures`` sends (across instances) fail as a mail server that dropped the connection
    would."""

    failures = 0
    succeeding = 0

    def send_messages(self, messages):
        if FlakyEmailBackend.succeeding > 0:
            FlakyEmailBackend.succeeding -= 1
        elif FlakyEmailBackend.failures > 0:
            FlakyEmailBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


class TransactionWatchingEmailBackend(EmailBackend):
    """The local-memory backend, noting for each send whether the sender was inside a database
    transaction then (``in_transaction``): an email must go only after its claim is committed."""

    in_transaction: list[bool] = []

    def send_messages(self, messages):
        TransactionWatchingEmailBackend.in_transaction.append(connection.in_atomic_block)
        return super().send_messages(messages)
