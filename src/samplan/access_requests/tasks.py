"""The export runs in the background worker (database task queue)."""

from django.tasks import task

from . import services


@task()
def generate_export(request_id: int) -> str:
    made = services.generate(request_id)
    return "skipped" if made is None else "done"
