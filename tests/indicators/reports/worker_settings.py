"""Settings for a real task worker in a subprocess (test_worker_recovery.py): the
app's own settings on the instance's DATABASE_URL and KMT_MEDIA_ROOT, plus the
test-only slowness that lets a test kill the worker in the middle of a job."""

import os

from kmtracker.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["testserver"]
AXES_ENABLED = False
KMT_REPORT_JOB_TEST_DELAY = float(os.environ.get("KMT_REPORT_JOB_TEST_DELAY", "0"))
