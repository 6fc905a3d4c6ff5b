"""Infrastructure: the /healthz probe, vendored front-end assets and pinned dependencies."""

import datetime as dt
import json
import re
import tomllib
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db import OperationalError, connection
from django.urls import Resolver404, resolve
from django.utils import timezone

from samplan.core import health
from samplan.core.health import healthz

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "src" / "samplan" / "static" / "vendor"


# --- /healthz ---------------------------------------------------------------------------


def get_health(rf):
    response = healthz(rf.get("/healthz"))
    return response, json.loads(response.content)


def add_task(*, status="READY", enqueued_ago=dt.timedelta(0), started_ago=None, worker_ids=()):
    from django_tasks_db.models import DBTaskResult, get_date_max

    now = timezone.now()
    task = DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="samplan.tasks.example",
        backend_name="default",
        run_after=get_date_max(),
        worker_ids=list(worker_ids),
        started_at=now - started_ago if started_ago is not None else None,
    )
    # enqueued_at is auto_now_add; backdate it with an update.
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=now - enqueued_ago)
    return task


@pytest.mark.django_db
def test_healthz_ok(rf):
    response, body = get_health(rf)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert body == {
        "status": "ok",
        "database": {"ok": True, "vendor": connection.vendor},
        "worker": {"ok": True, "last_seen": None, "queued": 0},
    }


@pytest.mark.django_db
def test_healthz_counts_queue_and_reports_last_worker(rf):
    add_task(enqueued_ago=dt.timedelta(seconds=30))
    add_task(status="SUCCESSFUL", enqueued_ago=dt.timedelta(minutes=10), started_ago=dt.timedelta(minutes=2), worker_ids=["w1"])
    response, body = get_health(rf)
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["worker"]["ok"] is True
    assert body["worker"]["queued"] == 1
    last_seen = dt.datetime.fromisoformat(body["worker"]["last_seen"])
    assert dt.timedelta(minutes=1) < timezone.now() - last_seen < dt.timedelta(minutes=3)


@pytest.mark.django_db
def test_healthz_degraded_when_tasks_wait_too_long(rf):
    add_task(enqueued_ago=health.WORKER_STALE_AFTER + dt.timedelta(minutes=1))
    response, body = get_health(rf)
    assert response.status_code == 200  # the web application itself still works
    assert body["status"] == "degraded"
    assert body["worker"] == {"ok": False, "last_seen": None, "queued": 1}


@pytest.mark.django_db
def test_healthz_ignores_tasks_scheduled_for_later(rf):
    from django_tasks_db.models import DBTaskResult

    task = add_task(enqueued_ago=dt.timedelta(hours=1))
    DBTaskResult.objects.filter(pk=task.pk).update(run_after=timezone.now() + dt.timedelta(hours=1))
    _, body = get_health(rf)
    assert body["status"] == "ok"
    assert body["worker"]["queued"] == 0


def test_healthz_503_when_database_is_down(rf, monkeypatch):
    class DownConnection:
        vendor = "postgresql"

        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connection", DownConnection())
    response, body = get_health(rf)
    assert response.status_code == 503
    assert body["status"] == "degraded"
    assert body["database"] == {"ok": False, "vendor": "postgresql"}
    assert body["worker"]["ok"] is False


def test_healthz_rejects_writes(rf):
    assert healthz(rf.post("/healthz")).status_code == 405


@pytest.mark.django_db
def test_healthz_url_needs_no_login(client):
    try:
        resolve("/healthz")
    except Resolver404:
        pytest.skip("/healthz is not wired in samplan.core.urls yet")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"]["ok"] is True


# --- Vendored assets (make assets) ------------------------------------------------------


def test_vendored_assets_are_found_by_staticfiles():
    if not VENDOR.is_dir():
        pytest.fail("src/samplan/static/vendor is missing: run `make assets`")
    for name in [
        "vendor/dkfds/css/dkfds.min.css",
        "vendor/dkfds/js/dkfds.min.js",
        "vendor/htmx.min.js",
        "vendor/axe-core/axe.min.js",
    ]:
        assert finders.find(name), f"{name} not found by the staticfiles finders"


def test_dkfds_css_references_resolve():
    """dkfds.min.css points at ../fonts and ../img; every referenced file must be vendored."""
    css = VENDOR / "dkfds" / "css" / "dkfds.min.css"
    if not css.exists():
        pytest.fail("dkfds.min.css is missing: run `make assets`")
    refs = {m.strip("'\"").split("?")[0].split("#")[0] for m in re.findall(r"url\(([^)]+)\)", css.read_text(encoding="utf-8"))}
    local = {r for r in refs if not r.startswith(("data:", "http:", "https:", "//"))}
    assert local, "expected font and image references in dkfds.min.css"
    missing = sorted(r for r in local if not (css.parent / r).resolve().is_file())
    assert not missing, f"dkfds.min.css references files that are not vendored: {missing[:5]}"
    assert not any(r.startswith(("http:", "https:", "//")) for r in refs), "no CDN references"


def test_vendored_versions_match_package_json():
    package = json.loads((ROOT / "package.json").read_text())
    lock = json.loads((ROOT / "package-lock.json").read_text())
    for name, version in package["dependencies"].items():
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
    htmx = (VENDOR / "htmx.min.js").read_text(encoding="utf-8")
    assert package["dependencies"]["htmx.org"] in htmx
    axe = (VENDOR / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
    assert package["dependencies"]["axe-core"] in axe[:500]


# --- Python dependencies ----------------------------------------------------------------


def normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def test_requirements_lock_pins_every_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + [d for group in project["optional-dependencies"].values() for d in group]
    pinned = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"requirements.lock line is not pinned: {line!r}"
            pinned[normalise(name.split("[")[0])] = version
    for requirement in wanted:
        name = normalise(re.split(r"[\[<>=!~ ;]", requirement, maxsplit=1)[0])
        assert name in pinned, f"{name} is in pyproject.toml but not pinned in requirements.lock"
