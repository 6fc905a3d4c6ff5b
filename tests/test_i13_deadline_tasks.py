"""Appeals and access requests put their deadlines on the caseworker's task list: one task
per open step, closed when the step is done (the next step gets its own)."""

import pytest
from django.utils import timezone

from samplan.access_requests import services as access_requests
from samplan.appeals import services as appeals
from samplan.core.models import Role
from samplan.inbox.models import Task
from tests.factories import make_citizen, walk_case

pytestmark = pytest.mark.django_db


def test_an_appeal_task_follows_its_steps(org, users):
    cw = users[Role.CASEWORKER]
    citizen = make_citizen(org, caseworker=cw)
    decision = walk_case(cw, citizen, org, until="granted")["decision"]
    today = timezone.localdate()
    appeal = appeals.register_appeal(cw, decision, received_on=today, from_whom="citizen", summary="Uenig")
    task = Task.objects.get(kind=Task.Kind.APPEAL_RECONSIDERATION)
    assert (task.owner, task.due, task.status, task.key) == (
        cw,
        appeal.reconsideration_due,
        Task.Status.OPEN,
        f"appeal:{appeal.pk}:reconsider",
    )

    appeal = appeals.reconsider(cw, appeal, appeal.row_version, upheld=False, on=today, justification="Fastholdt")
    tasks = {t.key: t.status for t in Task.objects.filter(kind=Task.Kind.APPEAL_RECONSIDERATION)}
    assert tasks == {f"appeal:{appeal.pk}:reconsider": Task.Status.DONE, f"appeal:{appeal.pk}:forward": Task.Status.OPEN}

    appeals.forward(cw, appeal, appeal.row_version, on=today)
    assert not Task.objects.filter(kind=Task.Kind.APPEAL_RECONSIDERATION, status=Task.Status.OPEN).exists()


def test_an_access_request_is_a_task_until_its_letter(org, users):
    cw = users[Role.CASEWORKER]
    citizen = make_citizen(org, caseworker=cw)
    walk_case(cw, citizen, org, until="inquiry")
    request = access_requests.register_request(cw, citizen, received_on=timezone.localdate(), from_whom="citizen")
    task = Task.objects.get(kind=Task.Kind.ACCESS_REQUEST)
    assert (task.owner, task.due, task.status) == (cw, request.deadline, Task.Status.OPEN)
    access_requests.generate(request.pk)
    request.refresh_from_db()
    access_requests.make_letter(cw, request, request.row_version)
    task.refresh_from_db()
    assert task.status == Task.Status.DONE
