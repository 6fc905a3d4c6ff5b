"""Thin views of the inbox and the task lists: ask the policy, call a service, render."""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from samplan.core import audit, policy
from samplan.core.steps import FAILED, apply, form_step

from . import services
from .forms import DigestForm, DoneForm, TaskFilterForm, TaskForm
from .models import Notification, Task

LIST_LIMIT = 100  # the newest; older ones stay in the database


def _shown_citizens(user, rows, object_type: str) -> None:
    """One audit row per citizen named on the page, in one INSERT."""
    citizens = {row.citizen_id: row.citizen for row in rows if row.citizen_id}
    if citizens:
        audit.record_reads(user, citizens.values(), object_type=object_type)


def _notification(request: HttpRequest, pk: int) -> Notification:
    found = policy.notifications_for(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404(policy.NOT_FOUND)
    return found


@login_required
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, policy.INBOX_VIEW)
    rows = list(policy.notifications_for(request.user).select_related("citizen")[:LIST_LIMIT])
    _shown_citizens(request.user, rows, "inbox.Notification")
    return render(
        request,
        "inbox/inbox.html",
        {
            "notifications": rows,
            "unread": sum(1 for n in rows if n.read_at is None),
            "digest_form": DigestForm(initial={"daily_digest": services.wants_digest(request.user)}),
        },
    )


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Following a notification's link marks it read (a POST, then the redirect)."""
    notification = _notification(request, pk)
    services.mark_read(request.user, notification)
    if not url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()}):
        return redirect("inbox")
    return redirect(notification.url)


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    services.mark_read(request.user, _notification(request, pk))
    messages.success(request, "Markeret som læst.")
    return redirect("inbox")


@login_required
@require_POST
def notifications_all_read(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, policy.INBOX_VIEW)
    services.mark_all_read(request.user)
    messages.success(request, "Alle er markeret som læst.")
    return redirect("inbox")


@login_required
@require_POST
def digest_setting(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, policy.INBOX_VIEW)
    form = DigestForm(request.POST)
    if form.is_valid():
        services.set_daily_digest(request.user, form.cleaned_data["daily_digest"])
        messages.success(request, "Din indstilling er gemt.")
    return redirect("inbox")


def _filtered(request: HttpRequest, form: TaskFilterForm):
    user: Any = request.user
    tasks = policy.tasks_visible(user).select_related("owner", "citizen")
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("scope") == "team" and policy.has_team_tasks(user):
        tasks = tasks.filter(unit_id=user.unit_id)
    else:
        tasks = tasks.filter(owner_id__in=[user.pk, *services.absent_for(user).values_list("absent_id", flat=True)])
    tasks = tasks.filter(status=data.get("status") or Task.Status.OPEN)
    today = timezone.localdate()
    if data.get("due") == "overdue":
        tasks = tasks.filter(due__lt=today)
    elif data.get("due") == "week":
        tasks = tasks.filter(due__lte=today + dt.timedelta(days=7))
    return tasks


@login_required
@require_safe
def tasks(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, policy.TASK_VIEW)
    form = TaskFilterForm(request.GET or None)
    rows = list(_filtered(request, form)[:LIST_LIMIT])
    _shown_citizens(request.user, rows, "inbox.Task")
    team = (form.cleaned_data.get("scope") if form.is_valid() else "") == "team"
    user: Any = request.user
    return render(
        request,
        "inbox/tasks.html",
        {
            "tasks": rows,
            "filter_form": form,
            "team": team,
            "has_team": policy.has_team_tasks(user),
            "can_create": policy.has_capability(request.user, policy.TASK_CREATE),
            "today": timezone.localdate(),
        },
    )


@login_required
def task_create(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, policy.TASK_CREATE)
    form = TaskForm(request.POST or None, user=request.user)
    # The citizen picker names every citizen it offers: one audit row each, in one INSERT.
    offered = form.fields["citizen"].queryset.values_list("pk", "municipality_id")  # type: ignore[attr-defined]
    audit.record_reads(request.user, list(offered), object_type="inbox.Task", after={"shown": "task_form"})
    return form_step(
        request,
        form,
        lambda data: services.create_task(request.user, **data),
        success="Opgaven er oprettet.",
        then=("tasks",),
        template="inbox/task_form.html",
        context={},
    )


@login_required
@require_POST
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    task = policy.get_task(request.user, pk, policy.TASK_CHANGE)
    form = DoneForm(request.POST)
    result = apply(form, lambda data: services.complete_task(request.user, task, data["version"]))
    if result is FAILED:
        for error in [str(e) for errs in form.errors.values() for e in errs]:
            messages.error(request, error)
        return redirect("tasks")
    messages.success(request, "Opgaven er markeret som udført.")
    return redirect("tasks")
