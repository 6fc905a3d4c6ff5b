"""The one shape of a page action that takes a form: validate → call the service → on a
refused operation show its Danish message on the form, with everything the user typed kept.

Views call ``apply`` when they render the result themselves (an HTMX partial, a page with
several forms) and ``form_step`` for the common "form page that redirects on success".
A lost-update conflict (``core.locking.EditConflict``) also moves the form's hidden version
to the current one and answers 409, so the page shows both texts and a second save of the
merged text succeeds."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url

from . import idempotency
from .locking import EditConflict, refresh_version


class _Failed:
    """The result of a step that did not happen (invalid form or refused by the service)."""

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "FAILED"


FAILED = _Failed()


def show_refusal(form: BaseForm, error: ValidationError) -> None:
    """A refused domain operation on the form (the DKFDS forms' ``add_domain_error`` puts a
    field's message on that field), else as errors on top of the form."""
    if isinstance(error, EditConflict):
        refresh_version(form, error)
    if hasattr(form, "add_domain_error"):
        form.add_domain_error(error)
        return
    for message in error.messages:
        form.add_error(None, message)


def apply(form: BaseForm, run: Callable[[dict], Any]) -> Any:
    """Validate ``form`` and call ``run(cleaned_data)``; FAILED when the form is invalid or
    the service refused (its message is then on the form)."""
    if not form.is_valid():
        return FAILED
    try:
        return run(form.cleaned_data)
    except ValidationError as error:
        show_refusal(form, error)
        return FAILED


def status_of(form: BaseForm) -> int:
    """The status of a form shown again: 409 after an edit conflict, else 400."""
    return 409 if getattr(form, "conflict", None) is not None else 400


def form_step(
    request: HttpRequest,
    form: BaseForm,
    run: Callable[[dict], Any],
    *,
    success: str | Callable[[Any], str],
    then: tuple | Callable[[Any], tuple],
    template: str,
    context: dict,
) -> HttpResponse:
    """GET shows the form; a POST that succeeds says ``success`` and redirects to ``then``
    (redirect arguments, or a function of the service's result); otherwise the form is shown
    again with its errors (400; 409 after an edit conflict)."""
    if request.method == "POST":

        def target(result: Any) -> str:
            return resolve_url(*(then(result) if callable(then) else then))

        # A form that carries a form_token creates at most once per token (a replay redirects).
        result = idempotency.submit_once(request, lambda: apply(form, run), target)
        if isinstance(result, HttpResponse):
            return result
        if result is not FAILED:
            messages.success(request, success(result) if callable(success) else success)
            return redirect(target(result))
    return render(request, template, context | {"form": form}, status=status_of(form) if form.is_bound else 200)
