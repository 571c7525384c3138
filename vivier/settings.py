"""Vivier settings: every value comes from the environment, with safe defaults."""

import os
import secrets
from pathlib import Path

import dj_database_url
import dj_email_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VIVIER_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean from the environment ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    """Read an integer from the environment."""
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated list from the environment."""
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def _secret_key() -> str:
    """Return SECRET_KEY from the environment, else a random key kept in var/ (created once)."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    # A per-install random key beats a hard-coded one: no two installs share it.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# HTTPS hardening is on unless DEBUG, or explicitly off (e.g. behind a plain-HTTP test server).
HTTPS = env_bool("VIVIER_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_ENGINE = "vivier.accounts.sessions"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "ninja",
    "vivier.core",
    "vivier.accounts",
    "vivier.people",
    "vivier.social",
    "vivier.search",
    "vivier.expertise",
    "vivier.voice",
    "vivier.mentoring",
    "vivier.opportunities",
    "vivier.programme",
    "vivier.journey",
    "vivier.integration",
    "vivier.scale",
    "vivier.vision",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "vivier.integration.middleware.ApiRateLimitMiddleware",
    "vivier.core.middleware.VivierLoginRequiredMiddleware",
    "vivier.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "vivier.urls"
WSGI_APPLICATION = "vivier.wsgi.application"
ASGI_APPLICATION = "vivier.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "vivier.social.context_processors.notifications",
            ],
        },
    }
]

# Database: SQLite under var/ (WAL) by default, anything dj-database-url reads otherwise.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=600)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "vivier.sqlite3",
            "OPTIONS": {
                # WAL lets readers and the single writer work side by side.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: French by default, English available; each user picks theirs.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Without collectstatic (dev, tests) WhiteNoise serves straight from the finders.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", True)
WHITENOISE_MANIFEST_STRICT = False
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "media/"

# Uploads: photos are checked and re-encoded, so the raw upload limit can stay modest.
VIVIER_PHOTO_MAX_BYTES = env_int("VIVIER_PHOTO_MAX_BYTES", 5 * 1024 * 1024)
VIVIER_PHOTO_MAX_PIXELS = env_int("VIVIER_PHOTO_MAX_PIXELS", 40_000_000)
VIVIER_PHOTO_SIZE = env_int("VIVIER_PHOTO_SIZE", 512)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024)

# E-mail: console by default (password resets are printed), any EMAIL_URL otherwise.
EMAIL_URL = os.environ.get("EMAIL_URL", "console:")
vars().update(dj_email_url.parse(EMAIL_URL))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Vivier <no-reply@vivier.test>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Content-Security-Policy (django-csp 4): same-origin everything, no inline scripts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# The API: tokens are looked up by hash; last use is recorded at most this often.
VIVIER_TOKEN_TOUCH_SECONDS = 60
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 200

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}

# The address people use, for links in e-mails.
VIVIER_SITE_URL = os.environ.get("VIVIER_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Question routing (docs/expertise.md): experts notified per question, and questions an expert
# is sent at most per week, so that nobody is flooded.
VIVIER_ROUTING_EXPERTS = env_int("VIVIER_ROUTING_EXPERTS", 3)
VIVIER_ROUTING_WEEKLY_CAP = env_int("VIVIER_ROUTING_WEEKLY_CAP", 3)
# Employee voice: days between two reminders of one survey to one person.
VIVIER_VOICE_REMINDER_DAYS = env_int("VIVIER_VOICE_REMINDER_DAYS", 3)

# Mentoring: points (0-15) a mentor from another department earns when the mentee prefers one.
VIVIER_MENTORING_OTHER_DEPARTMENT = env_int("VIVIER_MENTORING_OTHER_DEPARTMENT", 10)

# Opportunities (docs/opportunities.md): when on, an application the owner accepts waits for
# the applicant's manager to approve it before the person is staffed.
VIVIER_OPPORTUNITY_MANAGER_APPROVAL = env_bool("VIVIER_OPPORTUNITY_MANAGER_APPROVAL", False)

# Expert programme: days before expiry when the renewal campaign opens; the yearly working
# hours a dedicated share is taken from (1607 h is the French legal year).
VIVIER_PROGRAMME_RENEWAL_DAYS = env_int("VIVIER_PROGRAMME_RENEWAL_DAYS", 90)
VIVIER_PROGRAMME_YEAR_HOURS = env_int("VIVIER_PROGRAMME_YEAR_HOURS", 1607)

# Integration (docs/integration.md). Shared cache for rate limits across gunicorn workers:
# Redis when REDIS_URL is set, else a database table (created by the integration migrations).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "vivier_cache",
        }
    ),
    # Rendered post cards (vivier/social/cards.py). Keys are computed from what a card shows, so
    # an entry is never stale and each process may keep its own; Redis shares them when set.
    "cards": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cards",
            "TIMEOUT": 24 * 3600,
        }
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "vivier-cards",
            "TIMEOUT": 24 * 3600,
            "OPTIONS": {"MAX_ENTRIES": env_int("VIVIER_CARD_CACHE_ENTRIES", 5000)},
        }
    ),
}
# Sign-in: failed attempts allowed per account and per IP address in the window (seconds).
VIVIER_SIGNIN_FAILURES = env_int("VIVIER_SIGNIN_FAILURES", 5)
VIVIER_SIGNIN_WINDOW = env_int("VIVIER_SIGNIN_WINDOW", 15 * 60)
# API and SCIM: requests allowed per user, token or IP address in the window (seconds).
VIVIER_API_RATE = env_int("VIVIER_API_RATE", 200)
VIVIER_API_RATE_WINDOW = env_int("VIVIER_API_RATE_WINDOW", 60)
# OpenID Connect single sign-on: on when OIDC_ISSUER (or OIDC_DISCOVERY_URL) and a client id are set.
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").rstrip("/")
OIDC_DISCOVERY_URL = os.environ.get("OIDC_DISCOVERY_URL", "") or (
    f"{OIDC_ISSUER}/.well-known/openid-configuration" if OIDC_ISSUER else ""
)
OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
OIDC_SCOPES = os.environ.get("OIDC_SCOPES", "openid email profile")
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "SSO")
# Create an account on first sign-in when no account has the verified e-mail (else refuse).
OIDC_CREATE_USERS = env_bool("OIDC_CREATE_USERS", True)
# Seconds of clock difference tolerated when checking ID token times.
OIDC_LEEWAY = env_int("OIDC_LEEWAY", 60)
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10)
# Audit log and privacy (docs/privacy.md).
INSTALLED_APPS += ["vivier.audit", "vivier.privacy"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "vivier.audit.middleware.AuditContextMiddleware",
)
# No secret (token, password, cookie) reaches a log handler.
LOGGING["filters"] = {"scrub_secrets": {"()": "vivier.audit.logging.SecretScrubFilter"}}
LOGGING["handlers"]["console"]["filters"] = ["scrub_secrets"]
# Retention, in days (docs/privacy.md); the `vivier_retention` command applies them.
VIVIER_RETENTION_ACTIVITY_DAYS = env_int("VIVIER_RETENTION_ACTIVITY_DAYS", 730)
VIVIER_RETENTION_READ_NOTIFICATIONS_DAYS = env_int("VIVIER_RETENTION_READ_NOTIFICATIONS_DAYS", 90)
VIVIER_RETENTION_UNREAD_NOTIFICATIONS_DAYS = env_int(
    "VIVIER_RETENTION_UNREAD_NOTIFICATIONS_DAYS", 365
)
VIVIER_RETENTION_INACTIVE_ACCOUNT_DAYS = env_int("VIVIER_RETENTION_INACTIVE_ACCOUNT_DAYS", 3 * 365)
VIVIER_RETENTION_AUDIT_DAYS = env_int("VIVIER_RETENTION_AUDIT_DAYS", 6 * 365)
# Scale (docs/deploy.md, decision 16): connection reuse, a read replica, background tasks.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
# The hot hand-written statements are prepared once per connection (vivier/core/prepared.py,
# decision 28). Behind a pooler in transaction mode (PgBouncer before 1.21) set it to 0.
VIVIER_DB_PREPARED = env_bool("VIVIER_DB_PREPARED", True)
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=600)
    # Tests run against one database: the replica alias then reads the primary's test copy.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
for _database in DATABASES.values():
    # Persistent connections (conn_max_age above) are checked before reuse after a restart
    # of PostgreSQL or a network cut, instead of failing the first request.
    _database.setdefault("CONN_HEALTH_CHECKS", True)
    if _database["ENGINE"] == "django.db.backends.postgresql":
        # No JIT: the planner overestimates full-text and permission queries a thousandfold,
        # past jit_above_cost, and compiling then takes longer than running. OLTP pages never
        # gain from it. Behind PgBouncer, which drops this option, use ALTER DATABASE … SET jit.
        _options = _database.setdefault("OPTIONS", {})
        _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
        if VIVIER_DB_PREPARED:
            # Only prepared_cursor's statements are prepared (the ORM binds on the client),
            # each checked to run well with its one generic plan: planning them costs more
            # than running them. Django's default (None) would turn preparing off.
            _options.setdefault("prepare_threshold", 0)
            _options["options"] += " -c plan_cache_mode=force_generic_plan"
# Reads go to the replica when one is configured (VIVIER_READ_REPLICA=0 turns that off).
VIVIER_READ_REPLICA = env_bool("VIVIER_READ_REPLICA", bool(DATABASE_REPLICA_URL))
# After a write, the same browser reads from the primary this long: more than replication lag.
VIVIER_REPLICA_PIN_SECONDS = env_int("VIVIER_REPLICA_PIN_SECONDS", 10)
DATABASE_ROUTERS = ["vivier.scale.router.ReplicaRouter"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
    "vivier.scale.router.ReplicaPinMiddleware",
)
# Background tasks (django-tasks): "immediate" runs them inside the request, as before;
# "database" queues them in the database for `manage.py db_worker` (make worker).
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
VIVIER_TASKS_BACKEND = os.environ.get("VIVIER_TASKS_BACKEND", "immediate")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[VIVIER_TASKS_BACKEND],
        "QUEUES": ["default"],
    }
}
