"""Tests: the database comes from DATABASE_URL (SQLite file by default, PostgreSQL when set)."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("CCHC_DATA_DIR", tempfile.mkdtemp(prefix="cchc-test-"))

from .base import *  # noqa: E402,F403
from .base import DATABASES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; never in production
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="cchc-media-"))
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The login lockout is off for the suite's thousands of `client.login` calls (django's test client
# authenticates without a request, which axes refuses); tests/test_login_lockout.py turns it on.
AXES_ENABLED = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": None}  # in-memory test database

# Serve static files straight from the apps (no collectstatic) for the live server of browser tests.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # One test database per run, so that two runs on one server (a developer's and CI's, or
    # parallel sessions) never drop each other's database.
    DATABASES["default"]["TEST"] = {"NAME": f"test_cchc_{os.getpid()}"}

# Jobs run at once, in the request that starts them (huey's immediate mode, an in-memory queue):
# the pages' tests see the finished job, as a person on a fast server would. A retry is not
# delayed. tests/test_jobs_worker.py runs the real worker process on the SQLite queue file.
HUEY = {**HUEY, "immediate": True}  # noqa: F405
CCHC_JOB_RETRY_DELAY = 0
