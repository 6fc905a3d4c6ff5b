"""Health probe for load balancers and operators (served at /healthz).

No authentication: the answer holds no personal data, only whether the database answers
and whether background tasks are being picked up. HTTP 200 while the database answers,
503 when it does not; a stalled worker makes the status "degraded" but keeps 200, because
the web application itself still works."""

import datetime as dt

from django.db import DatabaseError, connection
from django.db.models import Max, Q
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

# A task that has been ready to run for this long means no worker is taking tasks.
WORKER_STALE_AFTER = dt.timedelta(minutes=5)


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return {"ok": False, "vendor": connection.vendor}
    return {"ok": True, "vendor": connection.vendor}


def check_worker(now: dt.datetime | None = None) -> dict:
    """Worker status from django_tasks_db's result table.

    django_tasks_db keeps no heartbeat table: a worker only leaves a trace when it claims a
    task (it appends its id to ``worker_ids`` and sets ``started_at``). So ``last_seen`` is
    the latest time any worker claimed or finished a task, and the worker counts as ok when
    no task has been waiting in READY for more than WORKER_STALE_AFTER. An idle system with
    an empty queue is therefore ok even if no worker has ever run."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    now = now or timezone.now()
    cutoff = now - WORKER_STALE_AFTER
    try:
        ready = DBTaskResult.objects.ready()
        queued = ready.count()
        # Waiting since enqueued_at, or since run_after for tasks scheduled for later.
        overdue = ready.filter(enqueued_at__lt=cutoff).filter(Q(run_after=get_date_max()) | Q(run_after__lt=cutoff)).exists()
        seen = DBTaskResult.objects.exclude(worker_ids=[]).aggregate(started=Max("started_at"), finished=Max("finished_at"))
    except DatabaseError:
        return {"ok": False, "last_seen": None, "queued": 0}
    times = [t for t in (seen["started"], seen["finished"]) if t is not None]
    last_seen = max(times) if times else None
    return {"ok": not overdue, "last_seen": last_seen.isoformat() if last_seen else None, "queued": queued}


@never_cache
@require_safe
def healthz(request):
    database = check_database()
    worker = check_worker() if database["ok"] else {"ok": False, "last_seen": None, "queued": 0}
    status = "ok" if database["ok"] and worker["ok"] else "degraded"
    return JsonResponse(
        {"status": status, "database": database, "worker": worker},
        status=200 if database["ok"] else 503,
    )
