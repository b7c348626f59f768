"""Settings shared by every environment; test.py and production.py build on these."""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
import fontpkg_sarabun
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str
from .storage import s3_storage

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Everything the app writes (SQLite file, uploaded evidence) lives here, outside
# any public URL. Point KMT_VAR_DIR elsewhere to keep data out of the checkout.
VAR_DIR = Path(env_str("KMT_VAR_DIR", str(BASE_DIR / "var")))

# True only in production.py: load_demo refuses to run there unless told it may.
KMT_PRODUCTION = False

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "indicators",
    "evidence",
    "kmtracker",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kmtracker.middleware.ThaiFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "kmtracker.middleware.RefusalLogMiddleware",
    "kmtracker.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp): scripts, styles, fonts and images only from
# the app itself, nothing inline. Behaviour that templates need is in
# static/js/kmtracker.js behind data- attributes; htmx is told not to inject its
# <style> or evaluate attributes (base.html). Bootstrap draws its icons (menu,
# close, select arrow) as data: SVG images. A template that truly needs an inline
# script gets a nonce: add csp.constants.NONCE to script-src and write
# <script nonce="{{ request.csp_nonce }}">.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

ROOT_URLCONF = "kmtracker.urls"
WSGI_APPLICATION = "kmtracker.wsgi.application"

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
                "indicators.context_processors.notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'kmtracker.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the lock when their transaction starts and others wait for it,
    # so two saves at once queue up instead of failing with "database is locked"
    # (select_for_update does nothing on SQLite).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A form posted without a valid token (a page left open too long, cookies off):
# a Thai page in the site's layout instead of Django's English one.
CSRF_FAILURE_VIEW = "kmtracker.views.csrf_failure"

# Login throttling (django-axes): after KMT_LOGIN_FAILURE_LIMIT failed logins for
# one username from one address, that pair is refused for KMT_LOGIN_COOLOFF_MINUTES
# (counted from the failure that locked it). Other addresses can still sign in
# as that user, so a stranger cannot lock a colleague out. Administrators unlock
# early in the Django admin ("Access attempts": delete the row) or with
# `manage.py axes_reset_username USERNAME`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("KMT_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("KMT_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Tries during the lockout do not push its end further away: the page can say when.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "kmtracker.security.client_ip"
AXES_LOCKOUT_CALLABLE = "kmtracker.security.lockout_response"
# No start-up banner on every manage.py command; failures are logged (kmtracker.security).
AXES_VERBOSE = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Thai first, English second.
LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("ไทย")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
KMT_WEBFONTS_DIR = BASE_DIR / "build" / "webfonts"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Sarabun TTF (OFL) comes from a pinned PyPI package and is served by the app.
    ("fonts/sarabun", fontpkg_sarabun.ROOT / "files"),
    # The web pages get the same fonts as WOFF2, made from those TTF files by
    # `manage.py build_webfonts` (scripts/bootstrap.sh runs it; kmtracker/webfonts.py).
    ("fonts/sarabun", KMT_WEBFONTS_DIR),
]

# In development WhiteNoise serves straight from the finders, with no collectstatic.
# Served at the site's root, where browsers look for them: /favicon.ico.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Uploaded evidence is private: stored under VAR_DIR with no public URL and
# served only through permission-checked views (evidence.views).
MEDIA_ROOT = Path(env_str("KMT_MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# With a bucket, evidence files and made reports live on S3-compatible object storage
# instead (kmtracker/settings/storage.py), so that several app instances and report
# workers on several machines share them.
if KMT_S3_BUCKET := env_str("KMT_S3_BUCKET", ""):
    STORAGES["default"] = s3_storage(
        bucket=KMT_S3_BUCKET,
        endpoint_url=env_str("KMT_S3_ENDPOINT_URL", "") or None,
        region=env_str("KMT_S3_REGION", "") or None,
    )
# Upload limit for one evidence file, in megabytes.
KMT_MAX_UPLOAD_MB = env_int("KMT_MAX_UPLOAD_MB", 25)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Larger uploads arrive in a temp file here rather than in the system's /tmp, so that
# `check_documents --orphans --delete` can sweep what a killed worker leaves behind.
# Created at start-up (kmtracker.apps) if missing.
FILE_UPLOAD_TEMP_DIR = str(VAR_DIR / "upload-tmp")

# Reverse proxies in front of the app that append the client's address to
# X-Forwarded-For (production: 1). Login throttling and the security logs use it.
KMT_TRUSTED_PROXY_COUNT = env_int("KMT_TRUSTED_PROXY_COUNT", 0)

# check_links fetches only public addresses unless this is on (intranet evidence).
KMT_LINKCHECK_ALLOW_PRIVATE = env_bool("KMT_LINKCHECK_ALLOW_PRIVATE", default=False)

KMT_UNIVERSITY_NAME = env_str("KMT_UNIVERSITY_NAME", "มหาวิทยาลัยสุโขทัยธรรมาธิราช")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Background report jobs (indicators/reports/jobs.py, recovery.py): the worker beats
# at least once per unit rendered; a running job not heard from for STALE seconds is
# taken as lost (the worker died) and run again, up to RETRIES more times; a job
# stops with a Thai reason after TIME_LIMIT seconds.
KMT_REPORT_JOB_RETRIES = env_int("KMT_REPORT_JOB_RETRIES", 2)
KMT_REPORT_JOB_STALE_SECONDS = env_int("KMT_REPORT_JOB_STALE_SECONDS", 300)
KMT_REPORT_JOB_TIME_LIMIT = env_int("KMT_REPORT_JOB_TIME_LIMIT", 1800)
# Every PDF the app makes as plain PDF (""), PDF/A-3b for archiving ("pdf/a-3b") or
# tagged PDF/UA-1 for screen readers ("pdf/ua-1"); README, "Archive-grade PDFs".
KMT_PDF_VARIANT = env_str("KMT_PDF_VARIANT", "")
if KMT_PDF_VARIANT not in ("", "pdf/a-3b", "pdf/ua-1"):
    raise ImproperlyConfigured(
        f"KMT_PDF_VARIANT must be empty, pdf/a-3b or pdf/ua-1, not {KMT_PDF_VARIANT!r}"
    )

EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "kmtracker@localhost")
# Links in e-mails are absolute: the address the users reach the app at.
KMT_BASE_URL = env_str("KMT_BASE_URL", "http://127.0.0.1:8000")
# send_reminders (cron, daily) mails an assessment's owners this many days before its
# submission deadline, and on the day (comma-separated, e.g. "7,1").
KMT_REMINDER_DAYS = [
    int(day) for day in env_list("KMT_REMINDER_DAYS", ["7", "1"]) if day.strip().isdigit()
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    # WeasyPrint logs every layout step of every report at INFO.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}

# Each indicator's section of the annual SAR is laid out again by the worker as soon as
# its data changes (indicators/reports/sections.py), so the SAR is joined in a second.
KMT_SAR_PARTS_IN_BACKGROUND = env_bool("KMT_SAR_PARTS_IN_BACKGROUND", default=True)
# Sections missing when a SAR is joined are laid out side by side in this many processes.
KMT_SAR_RENDER_PROCESSES = env_int("KMT_SAR_RENDER_PROCESSES", min(2, os.cpu_count() or 1))

# Rendered pages kept under the data version (indicators/fragments.py, data_version.py):
# each process's own memory, never a shared cache (the keys and the CSRF mark are the
# process's), also with several machines. Up to about 150 KB an entry (an indicator
# page). The timeout bounds how long a change made outside the app (psql by hand) can
# go unseen. A kept page takes two entries: its part and its view's access check.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "kmt-fragments",
        "TIMEOUT": 600,
        "OPTIONS": {"MAX_ENTRIES": env_int("KMT_FRAGMENT_CACHE_ENTRIES", 800)},
    },
}

# The background worker (manage.py run_worker) runs at this lower CPU priority (nice),
# so that pages answer as fast while reports render on the same machine.
KMT_WORKER_NICE = env_int("KMT_WORKER_NICE", 19)
