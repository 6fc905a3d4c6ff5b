"""Settings for the test suite: the demo key and plain HTTP, fast password hashing."""

import os

os.environ.setdefault("SAMPLAN_DEMO", "1")
os.environ.setdefault("SAMPLAN_INSECURE_HTTP", "1")

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
STATIC_ROOT = None  # files come from the finders; no collectstatic in tests
