"""Settings for the test suite: the demo key and plain HTTP, fast password hashing."""

import os
import tempfile

os.environ.setdefault("SAMPLAN_DEMO", "1")
os.environ.setdefault("SAMPLAN_INSECURE_HTTP", "1")

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
STATIC_ROOT = None  # files come from the finders; no collectstatic in tests
# Uploaded documents in a fresh folder per run (parallel runs in one checkout never share one).
STORAGES["documents"]["OPTIONS"]["location"] = tempfile.mkdtemp(prefix="samplan-documents-")  # noqa: F405
# Other apps' tests log citizens in with a password only; tests/test_portal.py turns the
# portal's two-factor requirement back on.
SAMPLAN_PORTAL_REQUIRE_2FA = False
# Likewise staff log in with a password only here; tests/test_staff_2fa.py (and one browser
# test) turn the staff code step on.
SAMPLAN_STAFF_REQUIRE_2FA = False
# django-axes is off for the suite: Client.login() calls authenticate() without a request,
# which AxesStandaloneBackend refuses, and repeated wrong passwords in other tests would
# lock users out. tests/test_login_throttle.py turns it on (override_settings(AXES_ENABLED=True)).
AXES_ENABLED = False
# High enough that no test but tests/test_ratelimit.py (which lowers it) meets the public forms' limit.
SAMPLAN_PUBLIC_POSTS_PER_HOUR = 10_000

# A file-backed SQLite test database: the live server then has its own connection instead
# of sharing the test thread's in-memory one (concurrent use of one connection is unsafe).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # noqa: F405
    # SAMPLAN_TEST_SQLITE lets parallel runs in one checkout use separate files.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.environ.get("SAMPLAN_TEST_SQLITE") or str(VAR_DIR / "test_samplan.sqlite3"),  # noqa: F405
    }
