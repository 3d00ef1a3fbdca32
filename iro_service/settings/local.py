"""Settings for a developer's machine and the demo (``make run``)."""

from iro_service.settings.base import *  # noqa: F403
from iro_service.settings.env import env_bool

DEBUG = env_bool("DEBUG", True)
ADMIN_REQUIRES_OTP = env_bool("ADMIN_REQUIRES_OTP", False)
# The demo's logins are public (README: "Demo sign-ins"): no authenticator app for them.
SECOND_FACTOR_REQUIRED = env_bool("SECOND_FACTOR_REQUIRED", False)
