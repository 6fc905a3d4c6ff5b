"""Danish error pages: 400, 403, 404, 429 and 500, also in place for HTMX requests.

``samplan/urls.py`` points Django's handler400/403/404/500 (and settings.CSRF_FAILURE_VIEW)
here; the login throttle and the public forms' rate limit answer their 429 through
``error_response`` as well. One template per status (``400.html`` … ``500.html``) holds the
words; the view chooses the frame and the way back:

* The reason is the exception's own message when our code raised it: ``policy.require``
  and the views raise ``PermissionDenied``/``Http404`` with one Danish sentence meant for
  the user. What Django or a library raised (``get_object_or_404``, the URL resolver, a
  decorator) may carry English or technical text, so it gets the template's generic sentence.
* The frame is Min side's (``portal/base.html``) for citizens and relatives, the site's
  otherwise; the way back is Min side, the front page, or for visitors the login and the
  catalogue (``way_back``).
* An HTMX request gets only the message (``errors/frame_htmx.html``) with headers that put
  it into the live region ``#samplan-error`` (role="alert") which ``base.html`` has on
  every page; the page's htmx-config swaps 403/404/429/500, and 400 as before.
* 500 is rendered without a request context (no database, no context processors, no
  scripts): whatever broke the request must not break its error page.
* Under /api/ the answer is the API's JSON error shape (``api.errors.error_body``).
"""

from dataclasses import dataclass
from types import TracebackType

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token
from django_htmx.http import push_url, reselect, retarget
from django_htmx.middleware import HtmxDetails

from . import policy

ERROR_REGION = "#samplan-error"  # the live region in base.html
MESSAGE_SELECTOR = ".samplan-error-message"  # the root of errors/frame_htmx.html

FRAME_SITE = "errors/frame_site.html"
FRAME_PORTAL = "errors/frame_portal.html"
FRAME_HTMX = "errors/frame_htmx.html"

# What reaches these handlers under /api/ (an unknown address, an error outside the API's
# views): the API's machine codes (api/errors.py) with one fixed Danish sentence each.
_API_ERRORS = {
    400: ("invalid", "Forespørgslen er ugyldig."),
    403: ("permission_denied", "Du har ikke adgang til at gøre dette."),
    404: ("not_found", None),  # DRF's Danish "Not found.", as every other miss in the API
    413: ("request_too_large", None),  # the size limit's sentence (core.rest.parsers)
    500: ("server_error", "Der opstod en fejl hos Samplan. Prøv igen senere."),
}


@dataclass(frozen=True)
class Link:
    url: str
    text: str


def is_portal_user(user) -> bool:
    """Whether the error page belongs in Min side's frame (citizens and relatives)."""
    return policy.is_portal_user(user)


def way_back(request: HttpRequest) -> list[Link]:
    """Where the user can go on from an error: citizens and relatives to Min side, staff to
    the front page, visitors to the login (Min side's under /mit/) and the catalogue."""
    user = getattr(request, "user", None)
    if is_portal_user(user):
        return [Link(reverse("my-page"), "Gå til Min side")]
    if user is not None and user.is_authenticated:
        return [Link(reverse("home"), "Gå til forsiden")]
    if request.path.startswith("/mit/"):
        login = Link(reverse("portal-login"), "Log ind på Min side")
    else:
        login = Link(reverse("login"), "Log ind")
    return [login, Link(reverse("catalogue-search"), "Se tilbud og kurser")]


def _raised_by_us(exception: BaseException) -> bool:
    """True when the innermost frame of the exception's traceback is Samplan's own code."""
    tb: TracebackType | None = exception.__traceback__
    if tb is None:
        return False
    while tb.tb_next is not None:
        tb = tb.tb_next
    return str(tb.tb_frame.f_globals.get("__name__", "")).startswith("samplan.")


def user_message(exception: BaseException | None) -> str | None:
    """The exception's message if it is one of ours (a Danish sentence for the user), else None."""
    if exception is None or len(exception.args) != 1 or not _raised_by_us(exception):
        return None
    message = exception.args[0]
    if not isinstance(message, str) or not message.strip() or "\n" in message:
        return None
    return message.strip()


def _api_response(status: int) -> JsonResponse:
    from samplan.core.rest.errors import error_body
    from samplan.core.rest.parsers import too_large_message

    code, message = _API_ERRORS[status]
    if status == 413:
        message = too_large_message()
    return JsonResponse(error_body(code, message or _("Not found.")), status=status)


def _is_htmx(request: HttpRequest) -> bool:
    # request.htmx is missing when the error happened before HtmxMiddleware ran.
    details = getattr(request, "htmx", None)
    return bool(details if details is not None else HtmxDetails(request))


def _htmx_response(response: HttpResponse) -> HttpResponse:
    """Send the message into the page's live region, whatever the element asked for."""
    retarget(response, ERROR_REGION)
    response["HX-Reswap"] = "innerHTML show:top"  # scroll the message into view (a modifier reswap()'s type lacks)
    reselect(response, MESSAGE_SELECTOR)  # an element's hx-select would otherwise filter the message away
    push_url(response, False)
    return response


def error_response(
    request: HttpRequest,
    status: int,
    *,
    reason: str | None = None,
    links: list[Link] | None = None,
    heading: str | None = None,
) -> HttpResponse:
    """The Danish error answer for ``status`` (400, 403, 404, 413 or 429): a page in the user's
    frame, or for an HTMX request the message alone, aimed at the live region. ``reason``
    replaces the template's generic sentence, ``links`` the way back, ``heading`` the heading."""
    context = {"reason": reason, "heading": heading, "links": links if links is not None else way_back(request)}
    htmx = _is_htmx(request)
    if htmx:
        frame = FRAME_HTMX
    else:
        frame = FRAME_PORTAL if is_portal_user(getattr(request, "user", None)) else FRAME_SITE
    content = loader.render_to_string(f"{status}.html", context | {"frame": frame}, request)
    response = HttpResponse(content, status=status)
    return _htmx_response(response) if htmx else response


def _answer(request: HttpRequest, status: int, exception: BaseException | None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return _api_response(status)
    return error_response(request, status, reason=user_message(exception))


@requires_csrf_token
def bad_request(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    """handler400. The reason is always generic: what Django refuses as a bad request
    (SuspiciousOperation, BadRequest) speaks of hosts, headers and fields, not to the user.
    A body above settings.DATA_UPLOAD_MAX_MEMORY_SIZE is 413 with its own sentence."""
    status = 413 if isinstance(exception, RequestDataTooBig) else 400
    if request.path.startswith("/api/"):
        return _api_response(status)
    return error_response(request, status)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    """handler403."""
    return _answer(request, 403, exception)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    """handler404."""
    return _answer(request, 404, exception)


@requires_csrf_token
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """settings.CSRF_FAILURE_VIEW: Django's reason is technical English; the user most
    likely sent a form from a page that was open too long (or after logging in elsewhere)."""
    return error_response(request, 403, reason="Formularen var udløbet, så den blev ikke sendt. Genindlæs siden, og prøv igen.")


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: no request context, so neither the database (the session, the user) nor
    the context processors are touched; the way back is the front page."""
    if request.path.startswith("/api/"):
        return _api_response(500)
    htmx = _is_htmx(request)
    context = {"frame": FRAME_HTMX if htmx else FRAME_SITE, "links": [Link(reverse("home"), "Gå til forsiden")]}
    response = HttpResponse(loader.get_template("500.html").render(context), status=500)
    return _htmx_response(response) if htmx else response
