"""Test settings: the real settings over plain HTTP, with a fast password hasher."""

import os
import tempfile

os.environ.setdefault("VIVIER_HTTPS", "0")
os.environ.setdefault("VIVIER_VAR_DIR", tempfile.mkdtemp(prefix="vivier-test-"))

from vivier.settings import *  # noqa: F403

# Argon2 is deliberately slow; tests create thousands of users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405

# A second alias mirroring the test database, so the read-replica router can be exercised;
# routing to it stays off unless a test turns VIVIER_READ_REPLICA on.
if "replica" not in DATABASES:  # noqa: F405
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
VIVIER_READ_REPLICA = False
# Tasks run where they are enqueued; one integration test uses the database backend.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
