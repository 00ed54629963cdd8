"""ThiĐua settings: one module, every value read from the environment (see .env.example)."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.client_ip import parse_networks
from config.env import StrictEnv

BASE_DIR = Path(__file__).resolve().parent.parent
env = StrictEnv()

DEBUG = env.boolean("DEBUG", False)
# (robust-config) Secrets. Empty counts as unset. With DEBUG on, an unset key falls back to the
# development value (SECRET_KEY's default; AUDIT_CHAIN_KEY and BALLOT_SEAL_KEY to SECRET_KEY, so an
# existing development database still verifies and opens). With DEBUG off every key must be set, not
# a placeholder, at least 32 random-looking characters (config/env.py): otherwise ImproperlyConfigured
# names the variable and the process exits non-zero. THIDUA_ALLOW_DEV_SECRET lets the development
# fallbacks through with DEBUG off for local experiments only (`check --deploy` then fails).
DEV_SECRET_KEY = "django-insecure-thidua-development-only-never-use-in-production"
THIDUA_ALLOW_DEV_SECRET = env.boolean("THIDUA_ALLOW_DEV_SECRET", False)
_DEVELOPMENT_KEYS = DEBUG or THIDUA_ALLOW_DEV_SECRET
SECRET_KEY = env.secret("SECRET_KEY", development_default=DEV_SECRET_KEY if _DEVELOPMENT_KEYS else None)
# Audit events are chained with an HMAC, so a database reader cannot forge a consistent chain.
AUDIT_CHAIN_KEY = env.secret("AUDIT_CHAIN_KEY", development_default=SECRET_KEY if _DEVELOPMENT_KEYS else None)
# The council's sealed ballots (workflow/services/ballot_seal.py); earlier keys open what they sealed (rotation).
BALLOT_SEAL_KEY = env.secret("BALLOT_SEAL_KEY", development_default=SECRET_KEY if _DEVELOPMENT_KEYS else None)
BALLOT_SEAL_KEY_FALLBACKS = env.secrets("BALLOT_SEAL_KEY_FALLBACKS")
# Signed audit checkpoints (workflow/audit/checkpoints.py, docs/operations.md "Audit checkpoints"): the
# private key's PEM file (only where checkpoints are written) and the public keys that verify them,
# the retired ones included (comma-separated PEM paths).
AUDIT_CHECKPOINT_SIGNING_KEY = env.text("AUDIT_CHECKPOINT_SIGNING_KEY", "").strip()
AUDIT_CHECKPOINT_PUBLIC_KEYS = env.items("AUDIT_CHECKPOINT_PUBLIC_KEYS", [])
AUDIT_LOG_ORIGIN = env.text("AUDIT_LOG_ORIGIN", "thidua").strip() or "thidua"

ALLOWED_HOSTS = env.items("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
# (robust-config) DEBUG pages show settings and stack traces: only ever on this machine.
LOCAL_HOSTS = {"localhost", ".localhost", "127.0.0.1", "[::1]", "::1", "testserver"}
if DEBUG and (_public_hosts := sorted(set(ALLOWED_HOSTS) - LOCAL_HOSTS)):
    raise ImproperlyConfigured(
        f"ALLOWED_HOSTS={','.join(ALLOWED_HOSTS)!r} names public hosts ({', '.join(_public_hosts)}) while "
        "DEBUG is on: set DEBUG=false, or ALLOWED_HOSTS to localhost/127.0.0.1/[::1] only."
    )
CSRF_TRUSTED_ORIGINS = env.items("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # First, so that its `changepassword` (audited) replaces django.contrib.auth's: Django looks management
    # commands up in this order. It has no templates, static files or catalogues that could shadow others.
    "nominations",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "guardian",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    # (ui-design) one design system: Bootstrap 5 forms, sortable tables, htmx (docs/decisions.md)
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tables2",
    "django_htmx",
    "viewflow",
    "viewflow.workflow",
    "workflow",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",  # (ui-design) request.htmx for in-place updates
    "workflow.base.context.CurrentActorMiddleware",
    "axes.middleware.AxesMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "django.template.context_processors.i18n",
                "workflow.web.context_processors.navigation",
                "workflow.web.context_processors.language_switch",
            ],
        },
    },
]

DATABASES = {"default": env.database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.integer("CONN_MAX_AGE", 0, minimum=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers wait for each other instead of failing at once with "database is locked", and in WAL mode
    # readers never hold them up (nor they the readers), where in the default rollback journal a commit
    # waits for every open read (docs/decisions.md).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the visibility filter's estimated cost passes jit_above_cost at a few thousand
    # nominations and compiling then takes ~1 s of a 100 ms query (docs/performance.md).
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "nominations.Person"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # login throttling: must come first
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env.integer("SESSION_COOKIE_AGE", 8 * 3600, minimum=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Login throttling (django-axes): lock a username + address pair after repeated failures.
AXES_ENABLED = env.boolean("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env.integer("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env.integer("AXES_COOLOFF_MINUTES", 15, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# (robust-config) The client's address behind the proxy (config/client_ip.py): the proxy's header is
# believed only from TRUSTED_PROXY_IPS, so a lockout is per user name + real client address.
TRUSTED_PROXY_IPS = env.items("TRUSTED_PROXY_IPS", [])
TRUSTED_PROXY_NETWORKS = parse_networks("TRUSTED_PROXY_IPS", TRUSTED_PROXY_IPS)
TRUSTED_PROXY_HEADER = "HTTP_" + env.text("TRUSTED_PROXY_HEADER", "X-Forwarded-For").strip().upper().replace(
    "-", "_"
)
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_ip"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_viewflow"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.text("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "config.staticfiles.AppDirectoriesFinderWithoutViewflow",
]
# Dossier files: no URL serves MEDIA_ROOT; they are only downloaded through the permission-checked view.
MEDIA_ROOT = Path(env.text("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
for _public in (STATIC_ROOT, *STATICFILES_DIRS):
    if MEDIA_ROOT.resolve().is_relative_to(_public.resolve()) or _public.resolve().is_relative_to(
        MEDIA_ROOT.resolve()
    ):
        raise ImproperlyConfigured(
            f"MEDIA_ROOT ({MEDIA_ROOT}) and the static files ({_public}) must not contain one another: "
            "whitenoise would serve the dossier files to anyone."
        )
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

_email = env.email("EMAIL_URL", "consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env.integer("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env.text("DEFAULT_FROM_EMAIL", "thidua@thongke.ninhthuan.gov.vn")

# Dossier uploads (DOMAIN.md "Dossier"): size-limited PDF / office documents.
DOSSIER_MAX_BYTES = env.integer("DOSSIER_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row
GUARDIAN_RAISE_403 = False

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "workflow.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ThiĐua API",
    "DESCRIPTION": "Quy trình thi đua, khen thưởng — API cho tích hợp (xem docs/API.md).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "UnitKindEnum": "nominations.models.org.OrgUnit.Kind",
        "CampaignKindEnum": "nominations.models.campaigns.Campaign.Kind",
        "DossierFileKindEnum": "nominations.models.nomination.DossierFile.Kind",
        "AuditEventKindEnum": "workflow.models.AuditEvent.Kind",
        "NominationStateEnum": "nominations.models.nomination.State",
        "CouncilSessionStateEnum": "nominations.models.council.CouncilSession.State",
        "ReportStateEnum": "nominations.models.decisions.Report.ReportState",
        "TargetKindEnum": "nominations.models.targets.Target.Kind",
        "ReviewKindEnum": "nominations.models.targets.Review.Kind",
        "RatingEnum": "nominations.models.nomination.Rating",
        "SubmissionFileKindEnum": "nominations.models.submissions.SubmissionFile.Kind",
        "UnitSubmissionStateEnum": "nominations.models.submissions.Submission.State",
    },
}

# (ui-design) forms render as Bootstrap 5 (crispy-bootstrap5); tables as Bootstrap tables (django-tables2).
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"

# Content Security Policy (django-csp): our own origin only — no inline script, no CDN.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Production hardening, on whenever DEBUG is off.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.boolean("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.integer("SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.text("LOG_LEVEL", "INFO")},
}
SITE_URL = env.text("SITE_URL", "http://127.0.0.1:8000")

# --- input limits (robust-web): bodies, JSON nesting, error pages (docs/operations.md "Limits and errors")
# A multipart body may carry one dossier file and the form around it; any other body is bounded by
# DATA_UPLOAD_MAX_MEMORY_SIZE. workflow.web.limits answers 413 from the declared length, before anything
# reads the body (DRF streams JSON and uploads stream to disk: Django's own limit sees neither).
REQUEST_BODY_MAX_BYTES = DOSSIER_MAX_BYTES + 1024 * 1024
JSON_MAX_DEPTH = env.integer("JSON_MAX_DEPTH", 32, minimum=4)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.locale.LocaleMiddleware") + 1,
    "workflow.web.limits.RequestBodyLimitMiddleware",
)
REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"] = [
    "workflow.api.parsers.LimitedJSONParser",  # JSON with a nesting limit (RecursionError otherwise)
    "rest_framework.parsers.FormParser",
    "rest_framework.parsers.MultiPartParser",
]
CSRF_FAILURE_VIEW = "workflow.views.errors.csrf_failure"
# --- end of input limits (robust-web)
# (certsign) Certificates and digital signatures (docs/documents.md, docs/operations.md "Signing keys").
# The folder of PKCS#12 keys, one `<username>.p12` with its passphrase in `<username>.pass` per signer, and
# the organisation's `organisation.p12` / `organisation.pass`. Signing is on when the organisation's key is
# there; then a decision whose signer has no key is refused (409). Empty: decisions are issued unsigned.
THIDUA_SIGNING_KEYS_DIR = env.text("THIDUA_SIGNING_KEYS_DIR", str(BASE_DIR / "var" / "signing")) or None
# (certsign) The key of the organisation (its seal) in that folder.
THIDUA_SIGNING_ORGANISATION = env.text("THIDUA_SIGNING_ORGANISATION", "organisation")
# (certsign) Optional PKCS#11 module (USB token / HSM); keys on the token are found by label = username.
THIDUA_PKCS11_MODULE = env.text("THIDUA_PKCS11_MODULE", "") or None
THIDUA_PKCS11_TOKEN = env.text("THIDUA_PKCS11_TOKEN", "")
THIDUA_PKCS11_PIN_FILE = env.text("THIDUA_PKCS11_PIN_FILE", "")
# (certsign) The largest PDF accepted by the signature verification (bytes).
THIDUA_VERIFY_MAX_BYTES = env.integer("THIDUA_VERIFY_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
