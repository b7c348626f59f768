"""Settings for a real deployment: gunicorn behind a reverse proxy.

Every secret comes from the environment and a missing one stops the start-up.
KMT_S3_BUCKET (read in base.py, as every instance and worker needs it) keeps evidence
and reports on S3-compatible object storage, shared by several app instances.
"""

from .base import *  # noqa: F403
from .base import DATABASES, STORAGES
from .env import env_bool, env_int, env_list, env_str

DEBUG = False
KMT_PRODUCTION = True
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# HTTPS only. The proxy terminates TLS and says so in X-Forwarded-Proto; behind a
# proxy that speaks plain HTTP to the users (an intranet), set DJANGO_SECURE_SSL_REDIRECT,
# DJANGO_HSTS_SECONDS and DJANGO_SECURE_COOKIES off (README, Configuration).
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# The load balancer's health probe may speak plain HTTP to the app itself.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Browsers remember for a year to come back only over HTTPS.
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=False)
if not SECURE_HSTS_PRELOAD:
    # security.W021 asks for "preload", a request to be built into browsers that only
    # whoever runs the whole domain (the university) can make; it stays a choice.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
# A new database connection per request costs 1.1–1.6× on PostgreSQL at university
# scale: keep each worker's connection for a minute, checked before it is reused.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Static files under content-hashed names (css/kmtracker.3f1a….css), so WhiteNoise
# serves them with "Cache-Control: max-age=31536000, immutable": a browser asks once a
# year, and a new release has new names. Needs `manage.py collectstatic` before the
# server starts (README, Configuration); development and the tests keep plain names.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# gunicorn behind one reverse proxy (nginx) that appends the client to X-Forwarded-For.
KMT_TRUSTED_PROXY_COUNT = env_int("KMT_TRUSTED_PROXY_COUNT", 1)
