"""Settings, read from the environment (DANGVU_*), with safe defaults for the embedded, single-machine case."""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url

REPO_DIR = Path(__file__).resolve().parents[2]
PACKAGE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(f"DANGVU_{name}", default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(f"DANGVU_{name}")
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(f"DANGVU_{name}")
    return [p.strip() for p in raw.split(",") if p.strip()] if raw else default


VAR_DIR = Path(env_str("VAR_DIR", str(REPO_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """The env wins; otherwise a key generated once and kept in var/ (never a constant in the code)."""
    if key := os.environ.get("DANGVU_SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        from django.core.management.utils import get_random_secret_key

        path.write_text(get_random_secret_key())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'dangvu.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer writes; IMMEDIATE avoids "database is locked" on upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,  # a writer waits this long for another (a large import) before "database is locked"
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif int(env_str("DB_POOL_MAX", "0")) > 0:
    # Django's own pool (psycopg_pool), for threaded servers: connections are kept open and lent per request.
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps them instead
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(env_str("DB_POOL_MIN", "2")),
        "max_size": int(env_str("DB_POOL_MAX", "0")),
        "timeout": int(env_str("DB_POOL_TIMEOUT", "10")),
    }
if env_bool("PGBOUNCER", False):
    # Behind PgBouncer in transaction pooling mode a server-side cursor (`.iterator()`, used by every export)
    # would be opened on one server connection and read on another: Django reads them client-side instead.
    # PgBouncer then does the pooling (leave DANGVU_DB_POOL_MAX unset).
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
if env_str("REPLICA_URL", ""):
    # A streaming read replica (core/replica.py): dashboards, lists, the API's reads and exports read there;
    # a writer is pinned to the primary until the replica has replayed the write.
    DATABASES["replica"] = dj_database_url.parse(env_str("REPLICA_URL", ""), conn_max_age=60)
    DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = 2
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True  # a replica restarted: no stale connection is reused
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("PGBOUNCER", False)
DATABASE_ROUTERS = ["dangvu.core.replica.Router"]
DANGVU_REPLICA_PIN_SECONDS = int(env_str("REPLICA_PIN_SECONDS", "300"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",  # its widget templates, which ours override (FORM_RENDERER below)
    "django.contrib.humanize",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "ninja",  # its docs page's own static files; without it Swagger is fetched from a CDN
    "django_tasks",  # the tasks API of Django 6 (django.tasks), backported to 5.2
    "django_tasks_db",  # its queue as a table of our own database: no broker to run (dangvu.jobs)
    "dangvu.core",
    "dangvu.jobs",  # long work off the request: exports with progress, run by `dangvu worker`
    "dangvu.accounts",
    "dangvu.organizations",
    "dangvu.members",
    "dangvu.meetings",
    "dangvu.dossiers",
    "dangvu.evaluations",
    "dangvu.admission",  # growing the Party: sympathisers, the admission pipeline, probation and recognition
    "dangvu.documents",  # the registers: numbers for every document type, incoming documents
    "dangvu.congresses",  # congresses and their elections: terms and seats from the results
    "dangvu.dues",  # Party dues: what each member owes and paid, reliefs, the books, the reports that lock a period
    "dangvu.stats",  # statistics of any subtree on any date, frozen cut-offs, committee members at the grassroots
    "dangvu.inspection",  # inspection, supervision and discipline (QĐ 296): confidential to inspector roles
    "dangvu.home",  # on top of the capabilities: composes their selectors
    "dangvu.demo",  # on top too: `seed_demo` orchestrates each capability's demo data
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # HTML and JSON gzipped for slow links (static files come precompressed from WhiteNoise). BREACH: Django masks
    # the CSRF token differently in every response, so no secret repeats verbatim for an attacker to guess.
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dangvu.core.middleware.NoStoreMiddleware",  # after WhiteNoise: static files keep their cache headers
    "dangvu.core.middleware.RejectNulMiddleware",
    # decisions recorded ahead take effect on their date, before the first page of that day is read
    "dangvu.organizations.ahead.ApplyDueMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "dangvu.core.replica.ReplicaMiddleware",  # after the user is known; a no-op without DANGVU_REPLICA_URL
    "django_otp.middleware.OTPMiddleware",
    "dangvu.accounts.middleware.AccountLanguageMiddleware",  # the account's language, never the browser's
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "dangvu.core.middleware.AuditContextMiddleware",
    "dangvu.core.middleware.RefusalPageMiddleware",
    "dangvu.accounts.middleware.TwoFactorRequiredMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as its documentation asks
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out username+address before any check
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "dangvu.urls"
WSGI_APPLICATION = "dangvu.wsgi.application"

# Form widgets render through the template engine, so templates/django/forms/ can adjust them (no maxlength).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "dangvu.context_processors.frame",
            ],
        },
    }
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "dangvu.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Sessions end after this much inactivity: every request pushes the expiry forward.
SESSION_COOKIE_AGE = int(env_str("SESSION_IDLE_MINUTES", "60")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Served over HTTPS (behind a TLS proxy): secure cookies and HSTS. DANGVU_HTTPS=1 turns both on.
HTTPS = env_bool("HTTPS", env_bool("SECURE_COOKIES", False))
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False  # the committee's other sites on the domain may not be on HTTPS yet
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: everything from this server, no inline script or style, no framing, no plugins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Failed logins (django-axes with dangvu.accounts.throttle): counted per username and address together (the
# strictest limit), per username from any address, and per address for any username, each with its own limit
# within the cool-off period. The per-username limit is higher, so that an attacker elsewhere cannot easily lock
# a real user out; the per-address limit stops one machine spraying guesses over many accounts.
AXES_FAILURE_LIMIT = int(env_str("LOGIN_FAILURE_LIMIT", "5"))
DANGVU_LOGIN_USER_FAILURE_LIMIT = int(env_str("LOGIN_USER_FAILURE_LIMIT", "20"))
DANGVU_LOGIN_ADDRESS_FAILURE_LIMIT = int(env_str("LOGIN_ADDRESS_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env_str("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
AXES_HANDLER = "dangvu.accounts.throttle.ThrottleHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# The client's address (for the throttle and the audit log): X-Forwarded-For is believed only from these reverse
# proxies (addresses or networks, comma-separated), e.g. DANGVU_TRUSTED_PROXIES=127.0.0.1 behind nginx on the
# same machine. Empty: the connection's own address, whatever the headers say.
DANGVU_TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
AXES_CLIENT_IP_CALLABLE = "dangvu.core.net.client_ip"

# Two-factor authentication (TOTP) is required of these roles, and of superusers.
OTP_REQUIRED_ROLES = ["officer", "admin", "inspector"]  # the inspector reads confidential records (#20)
OTP_TOTP_ISSUER = "Đảng vụ"

# Vietnamese first. Message ids are the Vietnamese text; locale/en holds the English catalogue.
LANGUAGE_CODE = "vi"
# Only complete translations are offered. The English catalogue (locale/en) covers the frame but not every page,
# message and document label yet, so it is offered only when DANGVU_OFFER_ENGLISH=1 (for translators).
LANGUAGES = [("vi", "Tiếng Việt")] + ([("en", "English")] if env_bool("OFFER_ENGLISH", False) else [])
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
FORMAT_MODULE_PATH = ["dangvu.formats"]
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]

# Static files: `make install` collects them into STATIC_ROOT with content-hashed names and gzip and brotli
# copies (WhiteNoise), served with a year-long immutable cache; a slow rural link downloads them once. Without a
# collected manifest (a development checkout, the tests) they are served from the source folders as they are.
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
_bootstrap = REPO_DIR / "node_modules" / "bootstrap" / "dist"
if _bootstrap.exists():
    STATICFILES_DIRS.append(("vendor/bootstrap", _bootstrap))
_trimmed = REPO_DIR / "build"  # Bootstrap's CSS trimmed to what the templates use (scripts/trim-css.sh)
if (_trimmed / "bootstrap.min.css").exists():
    STATICFILES_DIRS.append(("vendor/trim", _trimmed))
DANGVU_BOOTSTRAP_CSS = (
    "vendor/trim/bootstrap.min.css" if (_trimmed / "bootstrap.min.css").exists() else "vendor/bootstrap/css/bootstrap.min.css"
)
# Serve the collected files when `collectstatic` has run (`make run`, production); the test suite reads the source
# folders, so a stale collection never hides a change (DANGVU_STATIC_COLLECTED=0/1 decides explicitly).
_COLLECTED = env_bool(
    "STATIC_COLLECTED", (STATIC_ROOT / "staticfiles.json").exists() and "pytest" not in Path(sys.argv[0]).name
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names only when the collection is what is served: a manifest left in STATIC_ROOT by an earlier
    # `make static` would otherwise name files (`x.3abe734b.js`) that the source folders do not have.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage" if _COLLECTED
                    else "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_MANIFEST_STRICT = False  # a file missing from the manifest is served under its own name, not a 500
if env_str("S3_BUCKET", ""):
    # Uploads (dossiers, meeting documents) in S3-compatible object storage (`pip install dangvu[s3]`): private
    # objects, never overwritten; downloads still go through the app's scoped, audited, hash-checked views.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("S3_BUCKET", ""),
            "endpoint_url": env_str("S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("S3_REGION", "") or None,
            "access_key": env_str("S3_ACCESS_KEY", "") or None,
            "secret_key": env_str("S3_SECRET_KEY", "") or None,
            "location": env_str("S3_PREFIX", ""),
            "default_acl": "private",
            "file_overwrite": False,
        },
    }
WHITENOISE_USE_FINDERS = not _COLLECTED  # a checkout without `collectstatic` (development, tests) still works
WHITENOISE_KEEP_ONLY_HASHED_FILES = False
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Uploads are never served from MEDIA_URL: every download goes through a view that checks scope and logs it.
DANGVU_MAX_UPLOAD_MB = int(env_str("MAX_UPLOAD_MB", "20"))
# Declared when the installation runs on the Party's wide-area network: only then are the files of documents
# classified «Mật» or above stored (QĐ 217-QĐ/TW 2020, QĐ 693-QĐ/VPTW 2021); otherwise they are registered only.
DANGVU_PARTY_NETWORK = env_str("PARTY_NETWORK", "") in ("1", "true", "yes")
# ZIP-based uploads (.docx, .xlsx: documents, templates, imports) are refused before parsing when their declared
# contents exceed these (a "zip bomb"): total uncompressed size, entries, and the compression ratio of any entry
# over 1 MB uncompressed (real Office files stay under ~30:1; a bomb is several hundred to one).
DANGVU_ZIP_MAX_UNCOMPRESSED_MB = int(env_str("ZIP_MAX_UNCOMPRESSED_MB", "300"))
DANGVU_ZIP_MAX_ENTRIES = int(env_str("ZIP_MAX_ENTRIES", "2000"))
DANGVU_ZIP_MAX_RATIO = int(env_str("ZIP_MAX_RATIO", "150"))
# Text extraction from uploaded PDF/DOCX (for search) runs in a child process with these budgets; a file over
# budget is kept, marked "text not extracted".
DANGVU_EXTRACT_SECONDS = int(env_str("EXTRACT_SECONDS", "20"))
DANGVU_EXTRACT_MEMORY_MB = int(env_str("EXTRACT_MEMORY_MB", "512"))
DANGVU_EXTRACT_MAX_PAGES = int(env_str("EXTRACT_MAX_PAGES", "500"))
DANGVU_EXTRACT_MAX_CHARS = int(env_str("EXTRACT_MAX_CHARS", "500000"))
# Text inside scans (core.ocr): OCRmyPDF with Tesseract's Vietnamese data, run by the worker on every scanned upload.
DANGVU_OCR = env_str("OCR", "1") in ("1", "true", "yes")
DANGVU_OCR_SECONDS = int(env_str("OCR_SECONDS", "600"))  # one file's budget (a 20-page scan takes about a minute)
DANGVU_OCR_MAX_PAGES = int(env_str("OCR_MAX_PAGES", "60"))
DANGVU_OCR_MEMORY_MB = int(env_str("OCR_MEMORY_MB", "1536"))  # ocrmypdf and tesseract together
# Imports: at most this many data rows per file; preview files older than a day are removed by
# `dangvu cleanup_uploads` (and at every confirmed or abandoned import).
# Background jobs (dangvu.jobs): the queue is a table of the database above, run by `dangvu worker` (`make run`
# starts one beside the web server). A running job whose heartbeat is silent this long had its worker killed:
# its task goes back on the queue and is run again from the start.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
DANGVU_JOB_STALE_SECONDS = int(env_str("JOB_STALE_SECONDS", "120"))
# Backups are signed (HMAC) with this key, else with the secret key: a restore checks the signature, so a backup
# edited together with its manifest is refused. Keep it with the secret key, away from the backups.
DANGVU_BACKUP_KEY = env_str("BACKUP_KEY", "")
DANGVU_JOB_KEEP_DAYS = int(env_str("JOB_KEEP_DAYS", "7"))
DANGVU_JOB_STATEMENT_SECONDS = int(env_str("JOB_STATEMENT_SECONDS", "900"))  # PostgreSQL: a job's longest query  # finished jobs and their files, then purged
DANGVU_IMPORT_MAX_ROWS = int(env_str("IMPORT_MAX_ROWS", "200000"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# E-mail (meeting notices): off unless DANGVU_EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = int(env_str("EMAIL_PORT", "587"))
EMAIL_HOST_USER = env_str("EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_TLS", True)
DEFAULT_FROM_EMAIL = env_str("EMAIL_FROM", "dangvu@localhost")
DANGVU_EMAIL_ENABLED = bool(EMAIL_HOST)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
