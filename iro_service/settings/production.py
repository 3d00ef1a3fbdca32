"""Production: no defaults for secrets, HTTPS only, no embedded database."""

import os

from iro_service.settings.env import EnvironmentSettingError, env_bool, env_int, env_str

if not os.environ.get("DATABASE_URL"):
    # The embedded server is for demos and development machines only.
    raise EnvironmentSettingError("DATABASE_URL must be set in production.")

from iro_service.settings.base import *  # noqa: F403

SECRET_KEY = env_str("SECRET_KEY")
if len(SECRET_KEY) < 50:
    raise EnvironmentSettingError("SECRET_KEY must be at least 50 characters long in production.")
# The pepper: without it a copy of the database is enough to try guesses against the hashes.
# base.py has already put its hasher first (it reads the same variable).
if not PASSWORD_PEPPER:  # noqa: F405
    raise EnvironmentSettingError(
        "PASSWORD_PEPPER must be set in production (see the README's environment table). Generate "
        'one with python -c "import secrets; print(secrets.token_urlsafe(32))".'
    )
if len(PASSWORD_PEPPER) < 32:  # noqa: F405
    raise EnvironmentSettingError("PASSWORD_PEPPER must be at least 32 characters long in production.")
DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
