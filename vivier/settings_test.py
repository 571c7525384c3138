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
