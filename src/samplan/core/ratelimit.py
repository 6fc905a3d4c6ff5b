"""Abuse protection for the public write endpoints that need no login (course enrolment,
the personal link's cancel, the course evaluation and the public enrolment API).

* A fixed-window counter per (scope, client) in Django's cache: at most
  ``settings.SAMPLAN_PUBLIC_POSTS_PER_HOUR`` POSTs per clock hour (0 turns it off). The
  client is never stored or logged as such: the cache key holds a keyed hash (HMAC with
  the secret key) of the scope and the address, so the key cannot be turned back into an
  address by trying all IPv4 addresses. IPv6 clients count per /64 (one subscriber's network).
* ``@limit("enrol")`` for views: counts POSTs only and answers a refused POST with 429 and the
  Danish error page (core/error_pages.py) with a link back. ``PublicPostThrottle`` is the same counter for DRF views
  (429 in the API's error shape, with Retry-After).
* The honeypot: a field (``HONEYPOT_FIELD``) that people never see (class ``d-none``) but
  form-filling robots do; ``honeypot_filled(request)`` says the submission should be dropped.

The counter lives in the ``default`` cache (settings.CACHES): per process with LocMem, shared
between processes with the database cache (``SAMPLAN_CACHE_LOCATION``). A broken cache lets
the request through (the limit is a brake, not an access rule)."""

import functools
import ipaddress
import logging
import time

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac
from rest_framework import exceptions
from rest_framework.throttling import BaseThrottle

from . import error_pages

logger = logging.getLogger("samplan.ratelimit")

WINDOW_SECONDS = 60 * 60
HONEYPOT_FIELD = "website"
HONEYPOT_LABEL = "Udfyld ikke dette felt"

# What a refused visitor reads, per scope; the page adds a link back.
MESSAGES = {
    "enrol": "Der er kommet for mange tilmeldinger fra din forbindelse på kort tid. Prøv igen senere eller ring til os.",
    "enrolment-manage": "Der er kommet for mange afmeldinger fra din forbindelse på kort tid. "
    "Prøv igen senere eller ring til os.",
    "evaluation": "Der er kommet for mange svar fra din forbindelse på kort tid. Prøv igen senere eller ring til os.",
}
DEFAULT_MESSAGE = "Der er kommet for mange henvendelser fra din forbindelse på kort tid. Prøv igen senere eller ring til os."


def message_for(scope: str) -> str:
    return MESSAGES.get(scope, DEFAULT_MESSAGE)


def _address(value: str):
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    return address.ipv4_mapped or address if address.version == 6 else address


def client_address(request):
    """The client's exact address (an ``ipaddress`` object, or None if unreadable):
    REMOTE_ADDR, or — behind ``settings.SAMPLAN_TRUSTED_PROXY_COUNT`` proxies — the
    X-Forwarded-For entry the outermost trusted proxy added (counted from the right: entries
    left of it are the client's own claims and could be changed at will). With one proxy that
    is the last entry; with a proxy that overwrites the header it is the only one. Shared with
    the login throttle (core.login_throttle)."""
    address = _address(request.META.get("REMOTE_ADDR", "") or "")
    proxies = int(getattr(settings, "SAMPLAN_TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies > 0:
        hops = [h for h in (part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")) if h]
        if hops:
            forwarded = _address(hops[-min(proxies, len(hops))])
            if forwarded is not None:
                address = forwarded
    return address


def client_ip(request) -> str:
    """The client as counted here: its address, with IPv6 reduced to its /64 network."""
    address = client_address(request)
    if address is None:
        return "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def cache_key(scope: str, ip: str, window: int) -> str:
    """The counter's key: the scope, the hour and a keyed hash — never the address itself."""
    digest = salted_hmac("samplan.core.ratelimit", f"{scope}\x00{ip}", algorithm="sha256").hexdigest()[:32]
    return f"ratelimit:{scope}:{window}:{digest}"


def per_hour_limit(per_hour: int | None = None) -> int:
    return int(per_hour if per_hour is not None else getattr(settings, "SAMPLAN_PUBLIC_POSTS_PER_HOUR", 30))


def seconds_left(now: float | None = None) -> int:
    """Seconds until the current window ends (for Retry-After)."""
    now = time.time() if now is None else now
    return max(int(WINDOW_SECONDS - now % WINDOW_SECONDS), 1)


def hit(request, scope: str, per_hour: int | None = None) -> bool:
    """Count one request of ``scope`` from the client; True while within the limit."""
    limit_ = per_hour_limit(per_hour)
    if limit_ <= 0:
        return True
    now = time.time()
    key = cache_key(scope, client_ip(request), int(now // WINDOW_SECONDS))
    try:
        if cache.add(key, 1, timeout=seconds_left(now) + 60):
            count = 1
        else:
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=seconds_left(now) + 60)
                count = 1
    except Exception:  # the cache is a brake, not a gate: never refuse because it fails
        logger.warning("ratelimit cache unavailable scope=%s", scope, exc_info=True)
        return True
    if count > limit_:
        if count == limit_ + 1:  # once per client and window; no address, only the scope
            logger.info("ratelimit refused scope=%s", scope)
        return False
    return True


def limit(scope: str, per_hour: int | None = None, back=None):
    """View decorator: count POSTs of ``scope``; a POST over the limit gets 429 and a Danish
    page. ``back(request, *args, **kwargs)`` gives the link back (default: the same address).
    ``per_hour=None`` reads settings.SAMPLAN_PUBLIC_POSTS_PER_HOUR at each request."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST" and not hit(request, scope, per_hour):
                back_url = back(request, *args, **kwargs) if back else request.path
                response = error_pages.error_response(
                    request, 429, reason=message_for(scope), links=[error_pages.Link(back_url, "Tilbage")]
                )
                response["Retry-After"] = str(seconds_left())
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def honeypot_field() -> forms.CharField:
    """The honeypot as a form field (name it HONEYPOT_FIELD). The template puts it in a
    ``<div class="d-none">`` (display: none — hidden from screen readers too, unlike sr-only);
    tabindex -1 and autocomplete off keep keyboards and browsers' autofill away from it."""
    return forms.CharField(
        label=HONEYPOT_LABEL, required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"})
    )


def honeypot_filled(request) -> bool:
    """True when the hidden honeypot field came back filled in: a robot, drop it quietly."""
    filled = request.method == "POST" and bool(request.POST.get(HONEYPOT_FIELD, "").strip())
    if filled:
        logger.info("honeypot filled path=%s", request.resolver_match.url_name if request.resolver_match else "")
    return filled


class TooManyPosts(exceptions.Throttled):
    """Throttled with a Danish message only (DRF's Danish catalogue lacks the "Expected
    available in …" sentence); Retry-After still comes from ``wait``."""

    def __init__(self, wait, scope):
        exceptions.APIException.__init__(self, message_for(scope), "throttled")
        self.wait = wait


class PublicPostThrottle(BaseThrottle):
    """DRF throttle on the same counter: POSTs of ``scope`` only. A refusal is raised here
    as TooManyPosts, so the API's error shape carries the Danish message."""

    scope = "enrol"

    def allow_request(self, request, view):
        if request.method != "POST" or hit(request, self.scope):
            return True
        raise TooManyPosts(seconds_left(), self.scope)

    def wait(self):
        return seconds_left()
