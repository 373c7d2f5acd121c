"""Settings, read from environment variables (README.md lists them).

With nothing set, the site runs on the embedded default: SQLite and a Celery broker on the file system, so a
newcomer needs no server. DATABASE_URL and REDIS_URL switch to PostgreSQL and Redis.
"""

import datetime
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from iomborder.env import database_from_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("IOMBORDER_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)

# openpyxl writes spreadsheets with the standard library's XML, as before lxml came in with python-docx: with
# lxml it would turn a carriage return someone typed into a line feed (tests/security/test_exports.py).
os.environ.setdefault("OPENPYXL_LXML", "False")

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (set DEBUG=1 for development).")
    SECRET_KEY = "development-only-key-never-used-in-production"  # noqa: S105
elif len(SECRET_KEY) < 50 and not DEBUG:
    raise ImproperlyConfigured(
        "SECRET_KEY must be at least 50 characters long (for example: python3 -c "
        "'import secrets; print(secrets.token_urlsafe(50))')."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://localhost:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "core",
    "iomborder",
    "frameworks",
    "reviews",
    "consultation",
    "reports",
    "followup",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Pages are compressed (a 200-criterion workspace is 895 kB, 18 kB gzipped); Django pads the compressed
    # body against BREACH. Static files come pre-compressed from WhiteNoise.
    "django.middleware.gzip.GZipMiddleware",
    "iomborder.middleware.RequestSizeLimitMiddleware",
    "iomborder.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "iomborder.middleware.HtmxSignInMiddleware",  # htmx asking without a session: a line, not the sign-in page
    "django_otp.middleware.OTPMiddleware",  # which second factor verified this session, if any
    "iomborder.middleware.TwoFactorMiddleware",  # a session owing its second factor goes nowhere else
    "iomborder.middleware.PersonalPreferencesMiddleware",  # after the authentication: whose preferences
    "iomborder.middleware.SessionSeenMiddleware",
    "iomborder.middleware.PrivatePagesMiddleware",  # after WhiteNoise: static files keep their long caching
    "iomborder.middleware.CompleteUploadMiddleware",  # after CSRF, which reads the form first
    "axes.middleware.AxesMiddleware",  # last: it turns a refused sign-in into the lockout page
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "iomborder.urls"
WSGI_APPLICATION = "iomborder.wsgi.application"

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
                "iomborder.context_processors.site",
            ],
        },
    },
]

# Databases -----------------------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
DATABASES = {
    "default": database_from_url("DATABASE_URL", DATABASE_URL, BASE_DIR)
    if DATABASE_URL
    else {"ENGINE": "django.db.backends.sqlite3", "NAME": VAR_DIR / "db.sqlite3"}
}
if not (DATABASE_URL and env_str("REDIS_URL")):
    # The embedded default keeps its database, broker and cache files here.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A real worker process must reach the test database too, so SQLite tests use a file, not memory.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: Celery broker and cache ---------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
# Seconds a Redis call may take (connect, then each command): a hung Redis is an error within seconds, which
# the pages say plainly ("the report queue cannot be reached"), instead of a worker of the site stuck for minutes.
REDIS_TIMEOUT = env_int("REDIS_TIMEOUT", 3)
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT},
        }
    }
else:
    # The embedded default: a broker and a cache on the file system, shared by the web and worker processes.
    CELERY_BROKER_URL = "filesystem://localhost/"
    _filesystem_broker = {
        "data_folder_in": str(VAR_DIR / "broker" / "queue"),
        "data_folder_out": str(VAR_DIR / "broker" / "queue"),
        "control_folder": str(VAR_DIR / "broker" / "control"),
    }
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": VAR_DIR / "cache"}
    }

# A review's report with at least this many recommendations and findings is laid out in parts by several
# workers at once (reports/parts.py); a shorter one by one task.
REPORT_SPLIT_MIN_ITEMS = env_int("REPORT_SPLIT_MIN_ITEMS", 300)
# ... while at least this many workers are up: each part is laid out twice (to count its pages, then with its
# page numbers), so with fewer workers one task is quicker (benchmarks/split_report.py).
REPORT_SPLIT_MIN_WORKERS = env_int("REPORT_SPLIT_MIN_WORKERS", 3)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 600)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 30
# A message not acknowledged within this time goes back to the queue; it must outlast the hard time limit,
# or a long rendering would be handed to a second worker while the first is still on it.
CELERY_VISIBILITY_TIMEOUT = CELERY_TASK_TIME_LIMIT + 300
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
        "socket_connect_timeout": REDIS_TIMEOUT,
        "socket_timeout": REDIS_TIMEOUT,
        "retry_on_timeout": False,
    }
    if REDIS_URL
    else _filesystem_broker
)
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = REDIS_TIMEOUT  # the result backend's, should one be configured
CELERY_REDIS_SOCKET_TIMEOUT = REDIS_TIMEOUT
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_TIMEOUT
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    # Jobs left in rendering by a worker that died are queued again.
    "requeue-abandoned-reports": {"task": "reviews.requeue_abandoned_reports", "schedule": 60.0},
    "daily-digests": {"task": "reviews.send_daily_digests", "schedule": 24 * 60 * 60.0},
    # Counterparts are told three days before a draft's deadline for comments (once: the draft remembers it).
    "comment-deadlines": {"task": "reviews.remind_comment_deadlines", "schedule": 60 * 60.0},
    # Focal points are told of missing progress reports and overdue actions (at most weekly per action).
    "progress-reminders": {"task": "followup.send_progress_reminders", "schedule": 24 * 60 * 60.0},
}
# Seconds after which /healthz reports the workers as down when none has sent a heartbeat.
WORKER_HEARTBEAT_INTERVAL = env_int("WORKER_HEARTBEAT_INTERVAL", 15)
# /healthz gives its details (which check failed, and why) to loopback, or to a request bearing this token.
HEALTHZ_TOKEN = env_str("HEALTHZ_TOKEN")

# Authentication -------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "iomborder.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "iomborder.backends.ModelBackendInOneQuery",
    "iomborder.oidc.Backend",  # single sign-on of IOM staff, when OIDC_ISSUER is set
    "guardian.backends.ObjectPermissionBackend",
]
# Single sign-on for IOM staff through the organisation's OpenID Connect provider (Microsoft Entra ID or any
# other): on when OIDC_ISSUER and OIDC_CLIENT_ID are set. The endpoints and keys are read from the issuer's
# discovery document. Staff are found by the provider's "sub", or linked by a verified e-mail address at their
# first sign-in, or created; their groups come from the OIDC_GROUPS_CLAIM claim through OIDC_GROUP_MAP
# ("provider group=iomborder group" pairs, comma-separated). The code flow uses PKCE; the ID token's signature,
# issuer, audience, expiry and nonce are checked.
OIDC_ISSUER = env_str("OIDC_ISSUER").rstrip("/")
OIDC_RP_CLIENT_ID = env_str("OIDC_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET")
OIDC_RP_SCOPES = env_str("OIDC_SCOPES", "openid email profile")
OIDC_GROUPS_CLAIM = env_str("OIDC_GROUPS_CLAIM", "groups")
OIDC_GROUP_MAP = env_str("OIDC_GROUP_MAP", "Advisers=Advisers,Managers=Managers,Administrators=Administrators")
# A provider that says it checked a second factor (its "amr" claim: mfa, otp, hwk...) settles ours.
OIDC_TRUST_PROVIDER_MFA = env_bool("OIDC_TRUST_PROVIDER_MFA", True)
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10)
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_callback"
OIDC_STORE_ID_TOKEN = False
# Off: IOM staff sign in only through the provider; the password form is for government counterparts (and for
# superusers, the way in when the provider is down).
STAFF_PASSWORD_SIGNIN = env_bool("STAFF_PASSWORD_SIGNIN", True)
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user object; anonymous visitors have no object permission
GUARDIAN_RAISE_403 = False
# Brute force: after SIGNIN_FAILURE_LIMIT failed sign-ins of one account, or from one address, that account or
# address is refused for SIGNIN_LOCKOUT_MINUTES, on every sign-in (site, admin, API token). Failures are logged.
AXES_FAILURE_LIMIT = env_int("SIGNIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("SIGNIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "iomborder.signin.locked_out"
AXES_CLIENT_IP_CALLABLE = "core.http.client_address"
AXES_SENSITIVE_PARAMETERS = ["password"]
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
CSRF_FAILURE_VIEW = "iomborder.errors.csrf_failure"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages ------------------------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_TZ = True

# Files ----------------------------------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Files (uploads, rendered reports, backups) go through Django's storage API only. The embedded default: folders
# of this machine (MEDIA_ROOT, var/backups). With S3_BUCKET: a private bucket of any S3-compatible store (a
# cloud's, MinIO...), which every web process and worker of every machine shares; downloads pass through the
# permission check of the site, the bucket is never public.
S3_BUCKET = env_str("S3_BUCKET")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "backups": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "backups"},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
if S3_BUCKET:
    _bucket = {
        "bucket_name": S3_BUCKET,
        "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
        "region_name": env_str("S3_REGION") or None,
        # Empty: boto3's own chain (the machine's role, AWS_* variables).
        "access_key": env_str("S3_ACCESS_KEY_ID") or None,
        "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
        "addressing_style": env_str("S3_ADDRESSING_STYLE") or None,  # "path" for MinIO
        "default_acl": None,  # private: the bucket's policy, never public-read
        "querystring_auth": True,
        "file_overwrite": False,  # a name taken gets a suffix, as on a file system
    }
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**_bucket, "location": "media"}}
    STORAGES["backups"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**_bucket, "location": "backups"}}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# A request body larger than this is refused (413) before it is read: an instrument's file (20 MB) and its form.
MAX_REQUEST_BODY = env_int("MAX_REQUEST_BODY_MB", 21) * 1024 * 1024

# E-mail ---------------------------------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "iomborder <no-reply@localhost>")

# Security -------------------------------------------------------------------------------------------------
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
# A session ends after this long without a request (an idle timeout: every request renews it).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_HOURS", 8) * 60 * 60
SESSION_SAVE_EVERY_REQUEST = True
# Two factors (TOTP from an authenticator app, with recovery codes): required for the members of these groups, and
# "Counterparts" for every government counterpart; the others may turn it on. Off by default while developing.
MFA_REQUIRED_GROUPS = env_list("MFA_REQUIRED_GROUPS", [] if DEBUG else ["Managers", "Administrators", "Counterparts"])
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "iomborder")
# WebAuthn: the relying party id (the site's host name, without port); empty: the host each request reached.
WEBAUTHN_RP_ID = env_str("WEBAUTHN_RP_ID")

# How often a session's "last seen" (the preferences' list of sessions) is written: at most once this often.
SESSION_SEEN_SECONDS = 60
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers and container probes ask for /healthz over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# REST API -------------------------------------------------------------------------------------------------
# An API token expires this many days after it was made (its owner may revoke it sooner).
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 30)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # The token first: a refused request then answers 401 with WWW-Authenticate, as a client expects.
        "iomborder.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PARSER_CLASSES": [
        "iomborder.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "iomborder.api.exception_handler",
    # The token endpoint (a password guess each) is throttled per address, on top of the sign-in lockout.
    "DEFAULT_THROTTLE_RATES": {"signin": env_str("API_SIGNIN_RATE", "10/minute")},
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "iomborder API",
    "DESCRIPTION": "Policy reviews of border and migration management: reviews, assessments, recommendations.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its documentation: for signed-in people, except in development.
    "SERVE_PERMISSIONS": [
        "rest_framework.permissions.AllowAny" if DEBUG else "rest_framework.permissions.IsAuthenticated"
    ],
    # Swagger UI from the drf-spectacular-sidecar package: the API documentation works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "iomborder.openapi.document_errors"],
    "ENUM_NAME_OVERRIDES": {
        "LanguageEnum": "iomborder.settings.LANGUAGES",
        "WorkflowStateEnum": "reviews.models.ReviewCycle.State",
        "ReportStateEnum": "reports.models.ReportJob.State",
        "CommentStatusEnum": "consultation.models.Comment.Status",
        "InstrumentStatusEnum": "frameworks.models.NationalInstrument.Status",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools narrate every rendering step at INFO.
    "loggers": {name: {"level": "WARNING"} for name in ("weasyprint", "fontTools")},
}
