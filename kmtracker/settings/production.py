"""Settings for a real deployment: gunicorn behind a reverse proxy.

Every secret comes from the environment and a missing one stops the start-up.
Set KMT_S3_BUCKET to keep evidence files on S3-compatible object storage
(django-storages) so that several stateless app instances can share them.
"""

from .base import *  # noqa: F403
from .base import STORAGES
from .env import env_bool, env_int, env_list, env_str

DEBUG = False
KMT_PRODUCTION = True
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0)
# gunicorn behind one reverse proxy (nginx) that appends the client to X-Forwarded-For.
KMT_TRUSTED_PROXY_COUNT = env_int("KMT_TRUSTED_PROXY_COUNT", 1)

if bucket := env_str("KMT_S3_BUCKET", ""):
    STORAGES = {
        **STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": env_str("KMT_S3_ENDPOINT_URL", "") or None,
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
    }
