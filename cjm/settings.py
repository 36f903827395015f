"""Settings for the journey-mapping workshop tool.

One file, driven by the environment. With nothing set it runs for a newcomer: debug on, SQLite,
the in-memory channel layer. Production sets DEBUG=0 and the variables listed in the README.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


def env_bool(name: str, default: bool) -> bool:
    # A word we do not know is refused: a typo like SECURE_COOKIES=ture must not quietly mean off.
    value = os.environ.get(name, "")
    word = value.strip().lower()
    if not word:
        return default
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of {'/'.join(TRUE_WORDS)} or {'/'.join(FALSE_WORDS)} (any case), or "
        f"empty for the default, not {value!r}."
    )


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


RATE = re.compile(r"\d+/(s|sec|second|m|min|minute|h|hour|d|day)")


def env_rate(name: str, default: str) -> str:
    # DRF would fail on the first request with a bad rate; refuse it at start, saying why.
    value = os.environ.get(name, "").strip() or default
    if not RATE.fullmatch(value):
        raise ImproperlyConfigured(
            f"{name} must be a count per period such as 300/min (per s, min, hour or day), "
            f"not {value!r}."
        )
    return value


DEBUG = env_bool("DEBUG", True)
# With DEBUG=1, Django's technical 404 and 500 pages instead of the site's (cjm/error_pages.py).
DEBUG_TECHNICAL_PAGES = env_bool("DEBUG_TECHNICAL_PAGES", False)

DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY if DEBUG else "")


def is_weak_secret(key: str) -> bool:
    # The same bar as `check --deploy` (security.W009), which only warns; we refuse to start.
    return (
        len(key) < 50
        or len(set(key)) < 5
        or key == DEV_SECRET_KEY
        or key.startswith("django-insecure-")
    )


if not DEBUG and is_weak_secret(SECRET_KEY):
    raise ImproperlyConfigured(
        f"SECRET_KEY is {'weak' if SECRET_KEY else 'not set'}. With DEBUG=0, set the SECRET_KEY "
        "environment variable to a random string of at least 50 characters (for instance: "
        'python -c "import secrets; print(secrets.token_urlsafe(64))").'
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "django_tasks_db",
    "axes",
    "workshops",
    "evidence",
    "documents",
    "demo",
    "notifications",
    "privacy",
    "search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cjm.security.SecurityHeadersMiddleware",
    "cjm.security.ApiErrorsAsJsonMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "cjm.health.DatabaseUnavailableMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # The site's 404 and 500 pages with DEBUG=1 too (DEBUG_TECHNICAL_PAGES=1: Django's own).
    "cjm.error_pages.SitePagesInDebugMiddleware",
    # Last, so that it sees the lockout flag the login views set (django-axes).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cjm.urls"
ASGI_APPLICATION = "cjm.asgi.application"

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
                "django.template.context_processors.csp",
                "workshops.web.accounts.signup_open",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=600, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that is down fails a request within seconds instead of hanging it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The one-process setup still has two writers, the server and its worker thread (a big
    # import writes for seconds). WAL lets pages and boards read meanwhile; a writer waits for
    # the other's commit (up to the timeout) instead of failing at once, and takes the write
    # lock when its transaction begins, so two transactions never deadlock on upgrading it.
    sqlite_options = DATABASES["default"].setdefault("OPTIONS", {})
    sqlite_options.setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
    sqlite_options.setdefault("timeout", 20)
    sqlite_options.setdefault("transaction_mode", "IMMEDIATE")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # The pub/sub layer does not drop group messages once a channel holds 100, as the classic
    # layer does; socket_timeout None keeps redis-py 8 from closing idle connections every 5 s.
    # Per process and event loop the layer holds one subscriber connection and publishes one
    # message at a time (under a lock), so a few connections suffice; the bound keeps a bug
    # from exhausting Redis's clients. A short connect timeout makes a down Redis fail fast.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "socket_timeout": None,
                        "socket_connect_timeout": 5,
                        "max_connections": env_int("REDIS_MAX_CONNECTIONS", 10),
                    }
                ]
            },
        }
    }
else:
    # A busy board sends each socket 60 events/s; the default queue of 100 per socket dropped
    # them silently whenever the event loop fell a couple of seconds behind.
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels.layers.InMemoryChannelLayer", "CONFIG": {"capacity": 1000}}
    }

# The live board's limits (docs/realtime.md, "Limits"). Daphne refuses frames over 1 MiB, sent
# or received: no message goes out larger than REALTIME_MESSAGE_BYTES (a bigger board is
# fetched over HTTP). Events that come close together share a frame, which waits at most
# REALTIME_FLUSH_MS. A socket holding more than REALTIME_SEND_BUFFER_BYTES its client has not read
# gets nothing more until it drains, then catches up. Operations: REALTIME_OPS_PER_SECOND per
# socket, REALTIME_OPS_BURST at once; at most REALTIME_SOCKETS_PER_USER sockets per user and map.
REALTIME_MESSAGE_BYTES = env_int("REALTIME_MESSAGE_BYTES", 512 * 1024)
REALTIME_FLUSH_MS = env_int("REALTIME_FLUSH_MS", 20)
REALTIME_SEND_BUFFER_BYTES = env_int("REALTIME_SEND_BUFFER_BYTES", 1024 * 1024)
REALTIME_OPS_PER_SECOND = env_int("REALTIME_OPS_PER_SECOND", 10)
REALTIME_OPS_BURST = env_int("REALTIME_OPS_BURST", 30)
REALTIME_SOCKETS_PER_USER = env_int("REALTIME_SOCKETS_PER_USER", 8)
# How large a map may grow (workshops/services/checks.py): far above a workshop's few hundred
# cards, low enough that every board still opens in a second or two.
MAP_MAX_CARDS = env_int("MAP_MAX_CARDS", 10_000)
MAP_MAX_CARD_TEXT = env_int("MAP_MAX_CARD_TEXT", 3_000_000)

# Background work (evidence imports): Django's tasks, kept in the database and run by a worker,
# never inside a request or the live board's event loop. With the in-memory channel layer (one
# process, no Redis) a worker in another process could not reach the open boards, so that
# server runs the worker in a thread of its own when TASKS_IN_PROCESS is on (`make run` sets
# it; cjm/worker.py); with Redis, run `manage.py db_worker` beside Daphne (docs/deploy.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
TASKS_IN_PROCESS = env_bool("TASKS_IN_PROCESS", False)
# PDF exports (documents/pdf/exports.py): at most this many render at once, however many
# workers; a map up to these sizes still renders in the request at export.pdf.
PDF_EXPORTS_AT_ONCE = env_int("PDF_EXPORTS_AT_ONCE", 2)
PDF_SYNC_MAX_CARDS = env_int("PDF_SYNC_MAX_CARDS", 500)
PDF_SYNC_MAX_PIECES = env_int("PDF_SYNC_MAX_PIECES", 5000)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not a rule: the hook by which every password change revokes the user's API tokens.
    {"NAME": "workshops.services.accounts.RevokeTokensOnPasswordChange"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workshop-list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Production: WhiteNoise's hashed, compressed files, with ES-module imports rewritten
        # to hashed names too (cjm/storage.py says why).
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "cjm.storage.StaticFilesStorage"
    },
}

REST_FRAMEWORK = {
    # Token first, so that an anonymous request gets 401 with "WWW-Authenticate: Token".
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "workshops.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "workshops.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_PARSER_CLASSES": [
        "workshops.api.parsers.LimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Each limit is per person and per address (workshops/api/throttles.py); the rates are below.
    "DEFAULT_THROTTLE_RATES": {
        "user_write": env_rate("RATE_WRITES", "300/min"),
        "ip_write": env_rate("RATE_WRITES_PER_IP", "600/min"),
        "user_import": env_rate("RATE_IMPORTS", "60/hour"),
        "ip_import": env_rate("RATE_IMPORTS_PER_IP", "120/hour"),
        "user_export": env_rate("RATE_EXPORTS", "30/min"),
        "ip_export": env_rate("RATE_EXPORTS_PER_IP", "60/min"),
        "ip_join": env_rate("RATE_JOINS_PER_IP", "60/hour"),
        "ip_share": env_rate("RATE_SHARES_PER_IP", "120/min"),  # share links opened
        "ip_login": env_rate("RATE_LOGINS_PER_IP", "60/min"),
        "user_search": env_rate("RATE_SEARCHES", "120/min"),
        "ip_search": env_rate("RATE_SEARCHES_PER_IP", "240/min"),
    },
    # Daphne puts the client's address in REMOTE_ADDR (--proxy-headers); a client's own
    # X-Forwarded-For must not choose the address it is throttled by.
    "NUM_PROXIES": 0,
}

EVIDENCE_KINDS = ("metric", "survey", "quote", "recording", "image")  # evidence.models.Kind

SPECTACULAR_SETTINGS = {
    "TITLE": "Journey-mapping workshop API",
    "DESCRIPTION": "Workshops, journey maps, stages, lanes and cards. Every write goes through the "
    "same services as the live board, so it appears on open boards at once.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Ids in paths (<id:...>, workshops/converters.py) are whole numbers of at most 64 bits.
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 0, "maximum": 2**63 - 1}},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "workshops.api.schema.add_common_responses",
    ],
    # Lanes, evidence and CSV imports each have a "kind" with its own choices.
    "ENUM_NAME_OVERRIDES": {
        "LaneKindEnum": "workshops.models.LaneKind",
        "EvidenceKindEnum": "evidence.models.Kind",
        "ImportKindEnum": "evidence.api.imports.IMPORT_KINDS",
        "MapStateEnum": "workshops.models.MapState",
        "OpportunityStatusEnum": "workshops.models.OpportunityStatus",
        "ShareLinkStateEnum": "documents.sharing.links.LINK_STATES",
        # Each kind's own inputs and outputs name their kind alone (evidence/api/pieces.py).
        **{f"{kind.title()}KindEnum": [kind] for kind in EVIDENCE_KINDS},
    },
}

# Content Security Policy in every mode, so that tests and development meet the production
# policy: our own scripts, styles and images only, no inline code (an inline <script> or <style>
# needs the request's nonce), WebSockets to this same origin ('self' covers ws: and wss:).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# HTTPS. Production runs behind a reverse proxy that terminates TLS and says so in
# X-Forwarded-Proto (see docs/deploy.md); each setting can be turned off for a plain-HTTP trial.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer's probe speaks plain HTTP
if env_bool("BEHIND_PROXY", not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# AGPL section 13: whoever uses this server over the network may get its source. Every page's
# footer leads to /source/ (the licence, the version), which links to SOURCE_URL when it is set:
# where the source of the version this server runs can be downloaded.
SOURCE_URL = os.environ.get("SOURCE_URL", "").strip()
if SOURCE_URL and not SOURCE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(f"SOURCE_URL must be an http(s) address, not {SOURCE_URL!r}.")

# A share link's token never reaches the log (documents/sharing/logs.py): Django's own records
# ("Not Found: /share/...") go up to the one filtered handler rather than to its default ones.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"share_tokens": {"()": "documents.sharing.logs.HideShareTokens"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["share_tokens"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "django": {"handlers": [], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    },
}

# --- Limits: logins, tokens, rates, sign-up (docs/deploy.md, "Limits") ---------------------

# The cache holds the rate limits' counters, so it is shared by every process: Redis when there
# is one (a process of its own would let each Daphne process allow the full rate).
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cjm",
            "OPTIONS": {"socket_connect_timeout": 5, "socket_timeout": 5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sign-up is open for a trial (DEBUG) and closed in production unless the operator opens it:
# accounts are then made in the admin, or people join a workshop by an invite link.
OPEN_SIGNUP = env_bool("OPEN_SIGNUP", DEBUG)

# django-axes: after LOGIN_FAILURE_LIMIT wrong passwords for one username from one address, that
# pair is locked out for LOGIN_LOCKOUT_MINUTES, on the login page, the admin's and the token
# endpoint alike. By the pair, so that nobody can lock someone else out from elsewhere; the
# per-address login rate (ip_login above) slows one address that tries many usernames.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "workshops.web.accounts.locked_out"

# API tokens (django-rest-knox): stored hashed, each expiring TOKEN_TTL_DAYS after it was made;
# their owner lists and revokes them, and a password change revokes them all.
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env_int("TOKEN_TTL_DAYS", 30)),
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_LIMIT_PER_USER": env_int("TOKENS_PER_USER", 20),
}

# JSON bodies of the REST API (workshops/api/parsers.py): bigger or deeper ones get a 400.
API_JSON_MAX_BYTES = 1024 * 1024
API_JSON_MAX_DEPTH = 32

# Sent with every response: the pages use none of these browser features but full screen
# (present mode) and writing to the clipboard (copying an invite link).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), fullscreen=(self), clipboard-write=(self)"
)

# --- Notifications: webhooks and the weekly digest (docs/webhooks.md, docs/deploy.md) --------

# Links in webhook messages and e-mails, which are read away from the site. By default the first
# CSRF_TRUSTED_ORIGINS (production sets it to the site's origin), else `make run`'s address.
SITE_URL = os.environ.get("SITE_URL", "").strip() or next(
    iter(CSRF_TRUSTED_ORIGINS), "http://127.0.0.1:8000"
)
if not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(f"SITE_URL must be an http(s) address, not {SITE_URL!r}.")
# Webhooks go to public addresses only: loopback, private and link-local ones are refused unless
# this is on (an install on a LAN whose receivers are on it too).
WEBHOOK_ALLOW_PRIVATE = env_bool("WEBHOOK_ALLOW_PRIVATE", False)
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 5)

# E-mail, through Django's mailers (Django 6.1 deprecates the EMAIL_* settings: the EMAIL_*
# variables are read into MAILERS). In development, printed to the console; otherwise sent to the
# SMTP server EMAIL_HOST names, or without one to the host's own relay (Postfix...) on port 25.
email_host = os.environ.get("EMAIL_HOST", "").strip()
email_use_ssl = env_bool("EMAIL_USE_SSL", False)  # TLS from the start, as on port 465
email_use_tls = env_bool("EMAIL_USE_TLS", bool(email_host) and not email_use_ssl)  # STARTTLS
if email_use_tls and email_use_ssl:
    raise ImproperlyConfigured(
        "EMAIL_USE_TLS (STARTTLS, port 587) and EMAIL_USE_SSL (port 465) exclude each other: "
        "set one of them."
    )
if email_host or not DEBUG:
    default_port = 465 if email_use_ssl else 587 if email_host else 25
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": email_host or "localhost",
                "port": env_int("EMAIL_PORT", default_port),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": email_use_tls,
                "use_ssl": email_use_ssl,
                "timeout": env_int("EMAIL_TIMEOUT", 10),  # a stuck server must not hang the run
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Journey maps <maps@localhost>")

# --- Personal data: retention (docs/privacy.md; `manage.py prune_personal_data`, daily) -------


def env_days(name: str, default: int) -> int:
    days = env_int(name, default)
    if days < 0:
        raise ImproperlyConfigured(f"{name} is a number of days (0 or more), not {days}.")
    return days


# Evidence collected longer ago than this is deleted by the daily prune; 0, the default, keeps
# evidence for as long as its map (opt in: old evidence is often what a map is compared with).
EVIDENCE_RETENTION_DAYS = env_days("EVIDENCE_RETENTION_DAYS", 0)
# The audit log and the login records (django-axes'): kept this long for security, then pruned.
AUDIT_RETENTION_DAYS = env_days("AUDIT_RETENTION_DAYS", 180)
