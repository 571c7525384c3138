"""Test settings: the real settings over plain HTTP, with a fast password hasher."""

import importlib.util
import os
import tempfile

os.environ.setdefault("VIVIER_HTTPS", "0")
os.environ.setdefault("VIVIER_VAR_DIR", tempfile.mkdtemp(prefix="vivier-test-"))

from vivier.settings import *  # noqa: F403

# Argon2 is deliberately slow; tests create thousands of users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# One process per test run: a local-memory cache keeps rate limits simple and isolated.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "cards": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "cards"},
}
# The whole suite shares one client address and a few tokens: limits are off unless a test
# sets them (vivier/integration/tests test them).
VIVIER_SIGNIN_FAILURES = 1_000_000
VIVIER_API_RATE = 1_000_000

# A real OpenID provider (django-oidc-provider, a dev dependency) for the single sign-on tests;
# its URLs are only mounted by vivier.integration.tests.idp_urls.
if importlib.util.find_spec("oidc_provider") is not None:
    INSTALLED_APPS = [*INSTALLED_APPS, "oidc_provider"]  # noqa: F405
    OIDC_LOGIN_URL = "/idp/login/"
    OIDC_IDTOKEN_INCLUDE_CLAIMS = True
    OIDC_USERINFO = "vivier.integration.tests.idp.userinfo"
    OIDC_IDTOKEN_SUB_GENERATOR = "vivier.integration.tests.idp.subject"

# A second alias mirroring the test database, so the read-replica router can be exercised;
# routing to it stays off unless a test turns VIVIER_READ_REPLICA on.
if "replica" not in DATABASES:  # noqa: F405
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
VIVIER_READ_REPLICA = False
# Tasks run where they are enqueued; one integration test uses the database backend.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
