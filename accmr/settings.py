"""ACCMR portal settings, read from the environment (see .env.example)."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_SECRET_KEY = "dev-only-insecure-secret-key-change-me"


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
# The absolute origin of links in exports and e-mails; unset, the address being served
# (accmr.core.clients.site_url), so `make run` on any PORT links back to itself.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it comes before it.
    "modeltranslation",
    # SimpleAdminConfig: accmr.urls discovers admin modules itself, skipping
    # leaflet.admin, which imports django.contrib.gis and so needs GDAL.
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "leaflet",
    "axes",
    # django_tasks_db: the task queue's table (app label django_tasks_database) and its
    # `db_worker`, under a translated name.
    "accmr.core.queue_app.TaskQueueConfig",
    "accmr.core",
    "accmr.taxonomy",
    "accmr.members",
    "services",
    "activities",
    "toolbox",
    "support",
    "stats",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages are compressed here, not by the proxy: Django pads each one against BREACH.
    # After WhiteNoise (its files come compressed already), before all that touches a body.
    "django.middleware.gzip.GZipMiddleware",
    # Cache-Control: private on one visitor's responses; before the middleware that set
    # cookies and Vary, so it sees them.
    "accmr.core.middleware.PrivatePagesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "accmr.core.clients.ServedOriginMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a lockout raised by the backend into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "accmr.urls"
WSGI_APPLICATION = "accmr.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accmr.core.context_processors.portal",
                "accmr.members.context_processors.account",
            ],
        },
    },
]

# PostgreSQL in production and CI (DATABASE_URL=postgres://…); an SQLite file otherwise.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=envint("CONN_MAX_AGE", 60)
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # Throttles failed logins before the real backend is asked.
    "axes.backends.AxesStandaloneBackend",
    "accmr.members.backends.EmailBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:welcome"  # the dashboard, the admin or home, by role
LOGOUT_REDIRECT_URL = "home"
# Confirmation and password-reset links stay valid this long.
PASSWORD_RESET_TIMEOUT = envint("ACCOUNT_LINK_TIMEOUT_SECONDS", 3 * 24 * 3600)

# Failed logins: after AXES_FAILURE_LIMIT tries for one address from one IP, a cool-off.
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("LOGIN_COOLOFF_MINUTES", 15))
# A lockout is of one account from one address: an attacker elsewhere cannot lock the
# real user out, and behind a proxy the address is the client's (accmr.core.clients).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# An IPv6 client counts by its /64 (accmr.core.clients.client_key).
AXES_CLIENT_IP_CALLABLE = "accmr.core.clients.client_key"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Guessing spread over many addresses: after this many failures for one account within an
# hour, from anywhere, the account itself waits LOGIN_ACCOUNT_LOCKOUT_MINUTES, twice as
# long at each lockout that follows within a day (at most a day), and its owner is told
# (accmr.members.throttle). A reset of the password lifts the wait.
LOGIN_ACCOUNT_FAILURE_LIMIT = envint("LOGIN_ACCOUNT_FAILURE_LIMIT", 20)
LOGIN_ACCOUNT_LOCKOUT_MINUTES = envint("LOGIN_ACCOUNT_LOCKOUT_MINUTES", 60)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accmr.members.validators.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "el"
LANGUAGES = [("el", _("Greek")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Athens"
USE_I18N = True
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "el"
MODELTRANSLATION_LANGUAGES = ("el", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("el",)

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
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
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploads nobody has approved yet (a pending organisation's logo, a logo in a proposed
# change): outside MEDIA_ROOT, never served by the proxy, shown to staff by the portal.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
STORAGES["private"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT)},
}
# No uploaded file is read past this size (the forms refuse it with a clear message).
MAX_UPLOAD_BYTES = envint("MAX_UPLOAD_MB", 20) * 1024 * 1024
# A toolbox document is read in a child process that may use at most this much memory and
# CPU time (toolbox/reading.py); a file that needs more is refused, whatever it claims.
DOCUMENT_READ_MEMORY = envint("DOCUMENT_READ_MEMORY_MB", 256) * 1024 * 1024
DOCUMENT_READ_SECONDS = envint("DOCUMENT_READ_SECONDS", 4)
# What one organisation's files may take in all (its entries', its logo, and those of its
# changes waiting for review); less until the city has approved it (accmr/core/files.py).
STORAGE_QUOTA_BYTES = envint("STORAGE_QUOTA_MB", 200) * 1024 * 1024
STORAGE_QUOTA_PENDING_BYTES = envint("STORAGE_QUOTA_PENDING_MB", 40) * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "accmr.core.uploads.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Redis (Django's own backend) when REDIS_URL is set: every worker then shares one cache, so
# a publish invalidates the public pages for all of them. Local memory otherwise, which is
# right for one process (`make run`, tests); with several workers and no Redis each keeps
# its own copy until PUBLIC_CACHE_SECONDS pass (system check accmr.W002 says so). A Redis
# that is down costs no page (accmr.core.redis_cache); one that hangs holds a worker for at
# most REDIS_TIMEOUT_MS, once every few seconds.
REDIS_URL = os.environ.get("REDIS_URL", "")
REDIS_TIMEOUT_SECONDS = envint("REDIS_TIMEOUT_MS", 500) / 1000


def redis_cache(url: str, prefix: str) -> dict:
    """The cache settings for the Redis at `url` (the tests point them elsewhere too)."""
    return {
        "BACKEND": "accmr.core.redis_cache.SharedRedisCache",
        "LOCATION": url,
        "KEY_PREFIX": prefix,
        "TIMEOUT": 3600,
        "OPTIONS": {
            "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
            "socket_timeout": REDIS_TIMEOUT_SECONDS,
        },
    }


CACHES = {
    "default": redis_cache(REDIS_URL, os.environ.get("CACHE_KEY_PREFIX", "accmr"))
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "accmr",
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "accmr"),
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}
# Anonymous visitors' copies of public pages live at most this long (a publish, archive or
# term edit replaces them at once; the limit bounds anything the generations miss).
PUBLIC_CACHE_SECONDS = envint("PUBLIC_CACHE_SECONDS", 600)

# Cookie storage: reading messages never costs a session query on public pages.
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"

# Console mail unless EMAIL_HOST names an SMTP server; EMAIL_BACKEND names another backend
# (the tests' worker process writes files to EMAIL_FILE_PATH). Django refuses the old
# EMAIL_* settings beside MAILERS, so the variables only feed MAILERS' options.
_smtp_host = os.environ.get("EMAIL_HOST", "")
_SMTP = "django.core.mail.backends.smtp.EmailBackend"
_mail_backend = os.environ.get("EMAIL_BACKEND") or (
    _SMTP if _smtp_host else "django.core.mail.backends.console.EmailBackend"
)
if _mail_backend == _SMTP:
    _mail_options = {
        "host": _smtp_host or "localhost",
        "port": envint("EMAIL_PORT", 587),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": envbool("EMAIL_USE_TLS", True),
        # Seconds one SMTP step (connecting, each command) may wait; mail is sent by a task,
        # so a hung server holds a worker this long per try, never a page.
        "timeout": envint("EMAIL_TIMEOUT", 10),
    }
elif _mail_backend == "django.core.mail.backends.filebased.EmailBackend":
    _mail_options = {"file_path": os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "sent-mail"))}
else:
    _mail_options = {}
MAILERS = {"default": {"BACKEND": _mail_backend, "OPTIONS": _mail_options}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ACCMR portal <no-reply@localhost>")
# Tries of one mail (accmr.core.tasks.deliver_mail) before it is marked failed for staff to
# send again from the admin; the waits between tries grow from a minute to two hours.
MAIL_ATTEMPTS = envint("MAIL_ATTEMPTS", 5)

# Background work (django.tasks): a queue in the database (django-tasks-db), whose rows
# commit or roll back with the data that caused them, run by `manage.py db_worker`; on
# PostgreSQL any number of workers share it. Every queue the portal uses is named here.
TASK_QUEUES = ["default", "mail", "exports", "documents", "periodic"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}}
# A task RUNNING for longer than this is taken to have lost its worker (killed, or its
# machine gone) and is run again by `retry_mail`; longer than any task takes.
TASK_STUCK_MINUTES = envint("TASK_STUCK_MINUTES", 60)

# Map tiles: OpenStreetMap by default; tests and offline installs point MAP_TILES_URL at a
# local path so no page ever reaches an outside host.
MAP_TILES_URL = os.environ.get("MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILES_ATTRIBUTION = os.environ.get("MAP_TILES_ATTRIBUTION", "&copy; OpenStreetMap contributors")
LEAFLET_CONFIG = {
    "TILES": [("OpenStreetMap", MAP_TILES_URL, {"attribution": MAP_TILES_ATTRIBUTION})],
    "DEFAULT_CENTER": (37.9838, 23.7275),
    "DEFAULT_ZOOM": 13,
    "MIN_ZOOM": 10,
    "MAX_ZOOM": 18,
    "RESET_VIEW": False,
    "ATTRIBUTION_PREFIX": "Leaflet",
    "NO_GLOBALS": True,
}


def _origin(url: str) -> list[str]:
    """The scheme and host of an absolute URL, for the CSP; nothing for a local path."""
    if "://" not in url:
        return []
    scheme, rest = url.split("://", 1)
    return [f"{scheme}://{rest.split('/', 1)[0].replace('{s}', '*')}"]


SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:", *_origin(MAP_TILES_URL)],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Production hardening, switched by the environment (see README "Deploying").
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Behind the reverse proxy (README "Deploying") the client's address is in X-Forwarded-For,
# as appended by TRUSTED_PROXY_COUNT proxies; directly exposed, only REMOTE_ADDR counts.
BEHIND_PROXY = envbool("BEHIND_PROXY", False)
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 1) if BEHIND_PROXY else 0
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

# Requests that cost the city something, per visitor address (and per e-mail address
# for forms that write to one): scope → (how many, per seconds). Login tries are
# throttled by django-axes (AXES_* above).
RATE_LIMITS = {
    # Mails sent (not tries) by registration, resend and password reset, per client
    # address (an office shares one) and, for every mail, per recipient.
    "mail": (envint("RATE_LIMIT_MAIL_PER_HOUR", 20), 3600),
    "mail_to": (envint("RATE_LIMIT_MAIL_PER_ADDRESS_PER_HOUR", 5), 3600),
    "invite": (envint("RATE_LIMIT_INVITES_PER_HOUR", 20), 3600),
    "export": (envint("RATE_LIMIT_EXPORTS_PER_MINUTE", 10), 60),
    # Problem reports sent (not tries), per address: an office shares one.
    "report": (envint("RATE_LIMIT_REPORTS_PER_HOUR", 20), 3600),
    # Replies to support posts sent, per address and per e-mail of the sender.
    "reply": (envint("RATE_LIMIT_REPLIES_PER_HOUR", 10), 3600),
    # Forms saved with a new file, per organisation.
    "upload": (envint("RATE_LIMIT_UPLOADS_PER_HOUR", 30), 3600),
    # A poster's answers to replies sent, per poster account and per replier's address.
    "answer": (envint("RATE_LIMIT_ANSWERS_PER_HOUR", 30), 3600),
    # Pages computed (not served from the cache) for chosen statistics filters or dates,
    # and for a typed search, per address: each costs up to seconds of a worker. The pages
    # without them are never limited.
    "stats": (envint("RATE_LIMIT_STATS_PER_MINUTE", 10), 60),
    "search": (envint("RATE_LIMIT_SEARCHES_PER_MINUTE", 30), 60),
}
# The support board: how long a post stays by default and at most, and how many days
# after a post leaves the board its replies' names, addresses and messages are removed.
SUPPORT_POST_DAYS = envint("SUPPORT_POST_DAYS", 30)
SUPPORT_POST_MAX_DAYS = envint("SUPPORT_POST_MAX_DAYS", 180)
SUPPORT_PURGE_DAYS = envint("SUPPORT_PURGE_DAYS", 90)
# A reply is relayed only once its sender confirms the address from the mailed link, within
# this many days (then it is deleted); a link to a conversation opens it for this many days.
SUPPORT_CONFIRM_DAYS = envint("SUPPORT_CONFIRM_DAYS", 3)
SUPPORT_LINK_DAYS = envint("SUPPORT_LINK_DAYS", 30)
# A public form sent back sooner than this after it was shown is refused as a bot's.
HUMAN_CHECK_SECONDS = envint("HUMAN_CHECK_SECONDS", 3)
# …or later than this, or a second time (the form comes back with what was typed).
HUMAN_CHECK_MAX_MINUTES = envint("HUMAN_CHECK_MAX_MINUTES", 30)
# ACCMR's own address, in every page's footer.
CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "accmr-portal@athens.example")
# Exports (CSV, XLSX) of at most EXPORT_MAX_ROWS rows. One of more than EXPORT_TASK_ROWS
# is built by a task on the "exports" queue (an XLSX of 20,000 services takes 15–24 s),
# the visitor waiting on a page that offers the file when ready; a smaller one is built
# in the request. Either is shared until an entry or a term changes.
EXPORT_TASK_ROWS = envint("EXPORT_TASK_ROWS", 2_000)
EXPORT_MAX_ROWS = envint("EXPORT_MAX_ROWS", 25_000)

# Entries per page on every public list.
LIST_PAGE_SIZE = envint("LIST_PAGE_SIZE", 20)
# A service unverified for longer than this is flagged "may be out of date".
SERVICE_STALE_AFTER_DAYS = envint("SERVICE_STALE_AFTER_DAYS", 365)
# Organisations are e-mailed about services unverified this long, at most once per interval.
SERVICE_REMIND_AFTER_DAYS = envint("SERVICE_REMIND_AFTER_DAYS", 182)
REMINDER_INTERVAL_DAYS = envint("REMINDER_INTERVAL_DAYS", 30)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
