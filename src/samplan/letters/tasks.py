"""Background delivery of letters (the database task queue keeps them if the server stops
between approval and sending). Each attempt is recorded; a failure is retried up to
``SAMPLAN_LETTER_ATTEMPTS`` times (default 3), then the letter is marked failed and shows
on the caseworker's worklist."""

import datetime as dt
import logging

from django.conf import settings
from django.tasks import default_task_backend, task
from django.utils import timezone

from . import delivery, services
from .models import Letter

log = logging.getLogger(__name__)


def retry_delay() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "SAMPLAN_LETTER_RETRY_SECONDS", 300)))


@task()
def deliver_letter(letter_id: int) -> str:
    letter = Letter.objects.select_related("citizen", "municipality").filter(pk=letter_id).first()
    if letter is None or letter.status != Letter.Status.QUEUED:
        return "skipped"
    backend = delivery.get_backend()
    try:
        receipt = backend.send(letter)
    except Exception as e:  # noqa: BLE001 — any failure of a backend is a failed attempt, recorded
        log.warning("letter %s: delivery attempt failed (%s)", letter_id, type(e).__name__)
        letter = services.record_delivery(letter_id, backend=backend.name, receipt=None, error=str(e) or type(e).__name__)
        if letter.status == Letter.Status.QUEUED:
            # Try again later where the queue can wait; at once where it cannot (tests).
            runner = deliver_letter
            if default_task_backend.supports_defer:
                runner = deliver_letter.using(run_after=timezone.now() + retry_delay())
            runner.enqueue(letter_id)
        return letter.status
    services.record_delivery(letter_id, backend=backend.name, receipt=receipt.as_dict())
    return Letter.Status.SENT
