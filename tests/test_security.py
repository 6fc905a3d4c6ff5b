"""Security defaults: CSP with a nonce, secure cookies outside the local demo, no CDN."""

import os
import re
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parent.parent


def test_pages_send_csp_with_nonce_and_no_external_assets(client, org, users):
    assert client.login(username=users["caseworker"].username, password=PASSWORD)
    r = client.get(reverse("worklist"))
    csp = r["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    body = r.content.decode()
    assert f'nonce="{nonce}"' in body
    assert not re.search(r'(src|href)="https?://', body), "pages must not load anything from another origin"
    assert r["X-Frame-Options"] == "DENY"
    assert r["X-Request-ID"]


def _settings_value(env, expr):
    code = f"import samplan.settings as s; print({expr})"
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)  # noqa: S603
    return out


def test_cookies_are_secure_unless_local_http_is_asked_for():
    base = {k: v for k, v in os.environ.items() if not k.startswith("SAMPLAN_")}
    base["PYTHONPATH"] = str(ROOT / "src")
    out = _settings_value(base | {"SAMPLAN_SECRET_KEY": "x" * 50}, "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.DEBUG")
    assert out.stdout.strip() == "True True False", out.stderr


def test_production_refuses_to_start_without_a_secret_key():
    base = {k: v for k, v in os.environ.items() if not k.startswith("SAMPLAN_")}
    base["PYTHONPATH"] = str(ROOT / "src")
    out = _settings_value(base, "s.SECRET_KEY")
    assert out.returncode != 0 and "SAMPLAN_SECRET_KEY" in out.stderr
