"""Text-message senders. ``settings.CONSULTATION_SMS_SENDER`` names the one in use: a function
taking the number and the text. A council's provider gets a function of its own here."""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


def log_sender(number: str, text: str) -> None:
    """Writes the message to the log instead of sending it (the default, and for tests). The
    number is shortened: the log is not a place for personal details."""
    logger.info("Text message to a number ending %s: %s", number[-3:], text)


def sms_send(*, number: str, text: str) -> None:
    import_string(settings.CONSULTATION_SMS_SENDER)(number, text)
