"""Test settings: fast hashing, in-memory email, the same database choice as production."""

import os

os.environ.setdefault("NAVET_SECRET_KEY", "navet-tests-only")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["*"]
# Serve static files from the apps' folders, as in development: no collectstatic step in tests.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Platform admins in the tests have no second factor; tests/core/test_security.py turns the
# requirement on where it is tested.
NAVET_REQUIRE_MFA_FOR_ADMINS = False
if REDIS_URL:  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = "navet-test"  # noqa: F405
# Tasks go through the real database backend, whatever NAVET_TASKS_BACKEND says; the
# ``run_tasks`` fixture (tests/conftest.py) carries out what a test queued.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Mail sent through the background backend (where a test turns it on) lands in mail.outbox.
NAVET_EMAIL_DELIVERY_BACKEND = EMAIL_BACKEND
