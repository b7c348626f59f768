"""Fast, isolated settings for the test suite (pytest-django)."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import STORAGES

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests never write into the checkout's var/ folder.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="kmt-test-media-"))
FILE_UPLOAD_TEMP_DIR = tempfile.mkdtemp(prefix="kmt-test-upload-tmp-")
# WhiteNoise warns (an error under filterwarnings=error) when STATIC_ROOT is missing;
# tests serve static files through the finders, never from collected files.
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="kmt-test-static-"))
STORAGES = {
    **STORAGES,
    # Local disk even when KMT_S3_BUCKET is set around the suite: the S3 tests start
    # their own server (tests/storages.py).
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The link checker's tests serve pages on 127.0.0.1; the refusal of private
# addresses has its own test with this turned off.
KMT_LINKCHECK_ALLOW_PRIVATE = True
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Django's Client.login() authenticates without a request, which django-axes refuses;
# the throttling tests (tests/kmtracker/test_login_throttle.py) turn it on.
AXES_ENABLED = False
# The immediate task backend would lay a section out inside every save of every test;
# the tests of sections.py turn it on.
KMT_SAR_PARTS_IN_BACKGROUND = False
# One process, so that the tests can count the sections laid out (one test turns it up).
KMT_SAR_RENDER_PROCESSES = 1
