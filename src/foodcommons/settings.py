"""Django settings, read from the environment so that one build runs everywhere."""

import hashlib
import json
import os
import urllib.parse
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("FOODCOMMONS_DATA_DIR", Path.home() / ".local" / "share" / "foodcommons"))

DEBUG = os.environ.get("FOODCOMMONS_DEBUG", "") == "1"
# The "django-insecure-" prefix makes `check --deploy` refuse this development key (security.W009).
SECRET_KEY = os.environ.get("FOODCOMMONS_SECRET_KEY") or "django-insecure-development-key-set-FOODCOMMONS_SECRET_KEY"
ALLOWED_HOSTS = [h for h in os.environ.get("FOODCOMMONS_ALLOWED_HOSTS", "*").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("FOODCOMMONS_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "foodcommons.core",
    "foodcommons.accounts",
    "foodcommons.territories",
    "foodcommons.taxonomy",
    "foodcommons.imports",
    "foodcommons.places",
    "foodcommons.collaboration",
    "foodcommons.subscriptions",
    "foodcommons.events",
    "foodcommons.supply",
    "foodcommons.relations",
    "foodcommons.knowledge",
    "foodcommons.opendata",
    "foodcommons.api",
    "foodcommons.web",
    "foodcommons.platform",  # the composition root: `setup` and `serve`
]

MIDDLEWARE = [
    "foodcommons.core.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "foodcommons.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside ConditionalGetMiddleware: the ETag is taken on the plain body, then made weak when compressed.
    "foodcommons.core.middleware.CompressJsonMiddleware",
    "foodcommons.core.middleware.BodySizeLimitMiddleware",
    "foodcommons.core.middleware.NulCharacterMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "foodcommons.opendata.middleware.LastModifiedMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "foodcommons.web.middleware.ProblemPageMiddleware",
]

ROOT_URLCONF = "foodcommons.urls"
WSGI_APPLICATION = "foodcommons.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'foodcommons.sqlite3'}",
        conn_max_age=int(os.environ.get("FOODCOMMONS_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at BEGIN, so writers queue
        # instead of failing on a lock upgrade; a writer waits up to FOODCOMMONS_SQLITE_BUSY_SECONDS, then gets 503.
        # mmap: pages are read from the file's mapping instead of copied through each connection's small page cache
        # (a list answer's lookups by primary key cost a fifth less CPU); 256 MiB of address space, not of memory.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA mmap_size=268435456;",
        "transaction_mode": "IMMEDIATE",
        "timeout": float(os.environ.get("FOODCOMMONS_SQLITE_BUSY_SECONDS", "20")),
    }
    # Kept like PostgreSQL's (FOODCOMMONS_DB_CONN_MAX_AGE): a connection per request cost a list answer up to a
    # quarter of its CPU (opening, the PRAGMAs, closing) and started every request with an empty page cache.
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("nl", _("Dutch")), ("en", _("English"))]
# Compiled catalogs go to a folder named after the translations' content, so that two versions (an
# upgrade, or two checkouts sharing a data folder) never read each other's compiled strings.
_TRANSLATIONS = hashlib.sha256(b"".join(p.read_bytes() for p in sorted((PACKAGE_DIR / "locale").glob("*/LC_MESSAGES/django.po"))))
LOCALE_PATHS = [
    PACKAGE_DIR / "locale",
    Path(os.environ.get("FOODCOMMONS_LOCALE_DIR") or DATA_DIR / "locale" / _TRANSLATIONS.hexdigest()[:16]),
]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("FOODCOMMONS_STATIC_ROOT", DATA_DIR / "static"))
# The public map: base-map tiles (empty: no tiles, only our own boundaries) and the map library from PyPI.
FOODCOMMONS_TILE_URL = os.environ.get("FOODCOMMONS_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
FOODCOMMONS_TILE_ATTRIBUTION = os.environ.get(
    "FOODCOMMONS_TILE_ATTRIBUTION", '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)
FOODCOMMONS_MAP_RAW_LIMIT = int(os.environ.get("FOODCOMMONS_MAP_RAW_LIMIT", "300"))
STATICFILES_DIRS = [("leaflet", __import__("xstatic.pkg.leaflet", fromlist=["BASE_DIR"]).BASE_DIR)]
# Drawing fields on the map: leaflet-geoman, an npm package (`npm ci` at build time: scripts/serve runs it when npm is
# there); without it the land page keeps its keyboard way (typed corners) and the file upload.
FOODCOMMONS_NODE_MODULES = Path(os.environ.get("FOODCOMMONS_NODE_MODULES", PACKAGE_DIR.parent.parent / "node_modules"))
if (FOODCOMMONS_NODE_MODULES / "@geoman-io" / "leaflet-geoman-free" / "dist").is_dir():
    STATICFILES_DIRS.append(("geoman", str(FOODCOMMONS_NODE_MODULES / "@geoman-io" / "leaflet-geoman-free" / "dist")))
# Files the app keeps (the uploads of web imports and their progress): the local disk by default; every process that
# takes uploads or runs imports must see the same storage (one host, or an S3-compatible bucket through django-storages).
MEDIA_ROOT = Path(os.environ.get("FOODCOMMONS_MEDIA_ROOT", DATA_DIR / "files"))
STORAGES = {
    "default": {"BACKEND": os.environ.get("FOODCOMMONS_FILE_STORAGE", "django.core.files.storage.FileSystemStorage"),
                "OPTIONS": json.loads(os.environ.get("FOODCOMMONS_FILE_STORAGE_OPTIONS") or "{}")},
    "staticfiles": {
        "BACKEND": "foodcommons.core.storage.StaticStorage"
    },
}

# The request body above which the API answers 413 instead of reading it.
FOODCOMMONS_MAX_BODY_BYTES = int(os.environ.get("FOODCOMMONS_MAX_BODY_BYTES", 1_000_000))
DATA_UPLOAD_MAX_MEMORY_SIZE = FOODCOMMONS_MAX_BODY_BYTES
# Imports (CLI, web upload, URL, API body): the largest file read, and what an XLSX or ODS may unpack to.
FOODCOMMONS_IMPORT_MAX_BYTES = int(os.environ.get("FOODCOMMONS_IMPORT_MAX_BYTES", 50 * 1024 * 1024))
FOODCOMMONS_IMPORT_MAX_UNPACKED_BYTES = int(os.environ.get("FOODCOMMONS_IMPORT_MAX_UNPACKED_BYTES", 200 * 1024 * 1024))
# The largest file of the document library (knowledge); ZIP-based documents may unpack to the limit above.
FOODCOMMONS_DOCUMENT_MAX_BYTES = int(os.environ.get("FOODCOMMONS_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024))
# The licence of data contributed directly to this instance (SPDX identifier).
FOODCOMMONS_DEFAULT_LICENCE = os.environ.get("FOODCOMMONS_DEFAULT_LICENCE", "ODbL-1.0")
FOODCOMMONS_SITE_NAME = os.environ.get("FOODCOMMONS_SITE_NAME", "foodcommons")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("FOODCOMMONS_LOG_LEVEL", "WARNING")},
}

# Collaboration: e-mail, background jobs, passwords, security headers, upkeep.
# By default e-mails are files in the data folder, each also announced on the console with its links (core.mail).
EMAIL_BACKEND = os.environ.get("FOODCOMMONS_EMAIL_BACKEND", "foodcommons.core.mail.FilesAndConsoleBackend")
EMAIL_FILE_PATH = os.environ.get("FOODCOMMONS_EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
EMAIL_HOST = os.environ.get("FOODCOMMONS_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("FOODCOMMONS_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("FOODCOMMONS_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("FOODCOMMONS_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("FOODCOMMONS_EMAIL_USE_TLS", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("FOODCOMMONS_FROM_EMAIL", "foodcommons <noreply@localhost>")
# The public address of the site, for links in e-mails sent by background jobs; unset, `serve` uses the address it serves.
FOODCOMMONS_BASE_URL = os.environ.get("FOODCOMMONS_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
TASKS = {"default": {"BACKEND": os.environ.get("FOODCOMMONS_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
LOGIN_URL = "/accounts/login"
LOGIN_REDIRECT_URL = "/accounts/profile"
LOGOUT_REDIRECT_URL = "/"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Reverse proxies whose X-Forwarded-For (the client's address) and X-Forwarded-Proto are believed (core.middleware);
# from any other peer those headers are dropped.
FOODCOMMONS_TRUSTED_PROXIES = [p for p in os.environ.get("FOODCOMMONS_TRUSTED_PROXIES", "").split(",") if p.strip()]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if os.environ.get("FOODCOMMONS_HTTPS", "") == "1":
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = int(os.environ.get("FOODCOMMONS_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("FOODCOMMONS_HSTS_INCLUDE_SUBDOMAINS", "1") == "1"
    SECURE_HSTS_PRELOAD = os.environ.get("FOODCOMMONS_HSTS_PRELOAD", "") == "1"
# Content-Security-Policy of every answer (core.middleware): scripts and styles from our own static files only, no inline
# code; images also from the base-map tile server.
_TILE_ORIGIN = "://".join(urllib.parse.urlsplit(FOODCOMMONS_TILE_URL.replace("{s}", "*"))[:2]) if FOODCOMMONS_TILE_URL else ""
FOODCOMMONS_CSP = {
    "default-src": ["'self'"], "script-src": ["'self'"], "style-src": ["'self'"], "img-src": ["'self'", "data:", *filter(None, [_TILE_ORIGIN])],
    "connect-src": ["'self'"], "font-src": ["'self'"], "frame-src": ["'self'"], "object-src": ["'none'"], "base-uri": ["'none'"],
    "form-action": ["'self'"],
}
FOODCOMMONS_STALE_AFTER_DAYS = int(os.environ.get("FOODCOMMONS_STALE_AFTER_DAYS", "365"))
FOODCOMMONS_REMINDERS_PER_RUN = int(os.environ.get("FOODCOMMONS_REMINDERS_PER_RUN", "200"))
# Rate limits and other shared counters live in the database, so that every app process sees the same
# counts without another service; set FOODCOMMONS_CACHE_BACKEND to use another Django cache backend.
CACHES = {
    "default": {
        "BACKEND": os.environ.get("FOODCOMMONS_CACHE_BACKEND", "django.core.cache.backends.db.DatabaseCache"),
        "LOCATION": os.environ.get("FOODCOMMONS_CACHE_LOCATION", "foodcommons_cache"),
    }
}
# Outbound requests (core.outbound: imports by URL, scheduled re-imports, mirrors) reach public addresses only, unless
# their network is listed, or an operator allows every private address.
FOODCOMMONS_FETCH_ALLOW_PRIVATE = os.environ.get("FOODCOMMONS_FETCH_ALLOW_PRIVATE", "") == "1"
FOODCOMMONS_FETCH_ALLOWED_NETWORKS = [n for n in os.environ.get("FOODCOMMONS_FETCH_ALLOWED_NETWORKS", "").split(",") if n.strip()]
FOODCOMMONS_FETCH_MAX_BYTES = int(os.environ.get("FOODCOMMONS_FETCH_MAX_BYTES", 512 * 1024 * 1024))
FOODCOMMONS_FETCH_CONNECT_TIMEOUT = float(os.environ.get("FOODCOMMONS_FETCH_CONNECT_TIMEOUT", "10"))
FOODCOMMONS_FETCH_READ_TIMEOUT = float(os.environ.get("FOODCOMMONS_FETCH_READ_TIMEOUT", "60"))
FOODCOMMONS_FETCH_TOTAL_TIMEOUT = float(os.environ.get("FOODCOMMONS_FETCH_TOTAL_TIMEOUT", "900"))
# A Nominatim-compatible search service for exact addresses in the add-a-place form; empty: only the embedded geocoder, nothing reaches out.
FOODCOMMONS_GEOCODER_URL = os.environ.get("FOODCOMMONS_GEOCODER_URL", "").rstrip("/")
# login: failed logins per account and address; login-address: per address, whatever the account. No limit locks an
# account for every address, so that a stranger cannot lock someone out.
FOODCOMMONS_RATE_LIMITS = {"login": (5, 900), "login-address": (30, 900), "signup": (5, 3600), "suggest": (20, 3600), "report": (20, 3600),
                           "event-registration": (20, 3600), "knowledge-help": (10, 3600),
                           "subscribe": (20, 3600)}
