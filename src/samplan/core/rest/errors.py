"""One error shape for every API error response.

Every 4xx response body from /api/v1/ has this shape (documented in the OpenAPI
description and as the ``Fejl`` component)::

    {
      "kode": "invalid",                       # stable machine code, see below
      "besked": "De indsendte ...",           # one Danish sentence to show the user
      "fejl": {                                # Danish messages per field (400 only)
        "reason": ["Dette felt er påkrævet."],
        "goals.0.condition": ["..."],          # nested fields: dotted path
        "non_field_errors": ["..."]            # errors not tied to one field
      },
      "fejlkoder": {"reason": ["required"], ...}  # same keys as "fejl", machine codes
    }

``kode`` is ``invalid`` (400), ``not_authenticated`` / ``authentication_failed`` (401),
``permission_denied`` (403), ``not_found`` (404), ``method_not_allowed`` (405),
``parse_error`` (400: not JSON, or nested deeper than 64 levels), ``request_too_large``
(413: a body above settings.DATA_UPLOAD_MAX_MEMORY_SIZE), ``not_acceptable`` (406),
``unsupported_media_type`` (415: only application/json is read), ``throttled`` (429),
``server_error`` (500) or
``locked_out`` (429: too many wrong passwords at /auth/token/, see core/login_throttle.py),
``conflict`` or a domain code such as ``duplicate`` (409: it exists already, see
``core.errors.ConflictError``) or ``idempotency_key_reused`` (422, see core/idempotency.py).
``fejl`` and ``fejlkoder`` are empty objects for everything but validation errors.

Domain errors (``core.errors.DomainError`` and its subclasses) and any other Django
``ValidationError`` are turned into 400 responses here, so views can call services directly."""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from samplan.core.errors import ConflictError

from .parsers import RequestTooLarge, too_large_message

NON_FIELD_KEY = api_settings.NON_FIELD_ERRORS_KEY
INVALID_SUMMARY = "De indsendte oplysninger er ugyldige."


def _flatten(detail, prefix: str = "") -> dict[str, list]:
    """Nested DRF error details → {"dotted.path": [ErrorDetail, ...]}."""
    out: dict[str, list] = {}

    def key_for(k) -> str:
        k = str(k)
        if k in (NON_FIELD_ERRORS, NON_FIELD_KEY):
            k = NON_FIELD_KEY
        return f"{prefix}.{k}" if prefix else k

    if isinstance(detail, dict):
        for k, v in detail.items():
            for kk, vv in _flatten(v, key_for(k)).items():
                out.setdefault(kk, []).extend(vv)
    elif isinstance(detail, (list, tuple)):
        if all(not isinstance(item, (dict, list, tuple)) for item in detail):
            if detail:
                out.setdefault(prefix or NON_FIELD_KEY, []).extend(detail)
        else:
            for i, item in enumerate(detail):
                for kk, vv in _flatten(item, f"{prefix}.{i}" if prefix else str(i)).items():
                    out.setdefault(kk, []).extend(vv)
    elif detail is not None:
        out.setdefault(prefix or NON_FIELD_KEY, []).append(detail)
    return out


def error_body(kode: str, besked: str, fejl: dict | None = None, fejlkoder: dict | None = None) -> dict:
    return {"kode": kode, "besked": besked, "fejl": fejl or {}, "fejlkoder": fejlkoder or {}}


class Conflict(exceptions.APIException):
    status_code = 409
    default_code = "conflict"
    default_detail = "Det findes allerede."


def exception_handler(exc, context):
    if isinstance(exc, ConflictError):
        # A duplicate the domain (and a database constraint) forbids: 409 with its Danish text.
        exc = Conflict(detail=" ".join(exc.messages), code=getattr(exc, "code", None) or "conflict")
    elif isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge(too_large_message())
    elif isinstance(exc, DjangoValidationError):
        # DomainError and model validation from the services: 400 with their Danish text.
        exc = exceptions.ValidationError(detail=as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        # policy.require's Danish message ("Du har ikke adgang ...") is kept.
        exc = exceptions.PermissionDenied(*exc.args)

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real server error; Django's 500 handling takes over

    if isinstance(exc, exceptions.ValidationError):
        flat = _flatten(exc.detail)
        fejl = {k: [str(m) for m in v] for k, v in flat.items()}
        fejlkoder = {k: [getattr(m, "code", None) or "invalid" for m in v] for k, v in flat.items()}
        general = fejl.get(NON_FIELD_KEY)
        # One general (domain) message is the summary itself; anything else gets a generic one.
        besked = general[0] if general and len(general) == 1 and len(fejl) == 1 else INVALID_SUMMARY
        response.data = error_body("invalid", besked, fejl, fejlkoder)
    elif isinstance(exc, exceptions.NotFound):
        # One message for every miss, so nothing (not even the model name) leaks.
        response.data = error_body("not_found", _("Not found."))
    elif type(exc) is exceptions.Throttled:
        # DRF's Danish catalogue lacks "Expected available in …": one Danish sentence instead.
        # (core.ratelimit.TooManyPosts brings its own Danish message.)
        minutes = max(1, -(-int(exc.wait) // 60)) if exc.wait else None
        besked = "For mange forespørgsler på kort tid."
        if minutes:
            besked += " Prøv igen om 1 minut." if minutes == 1 else f" Prøv igen om {minutes} minutter."
        response.data = error_body("throttled", besked)
    else:
        detail = exc.detail
        if isinstance(detail, (list, dict)):
            messages = [m for v in _flatten(detail).values() for m in v]
            detail = messages[0] if messages else ""
        codes = exc.get_codes()
        response.data = error_body(codes if isinstance(codes, str) else exc.default_code, str(detail))
    return response


# --- Error shape (documentation only; exception_handler above builds it) --------------


class ErrorSerializer(serializers.Serializer):
    kode = serializers.CharField(help_text="Stabil maskinkode: invalid, not_authenticated, permission_denied, not_found, …")
    besked = serializers.CharField(help_text="Én dansk sætning, der kan vises for brugeren.")
    fejl = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=f"Danske fejlbeskeder pr. felt (indlejrede felter som 'goals.0.condition'; generelle under '{NON_FIELD_KEY}').",
    )
    fejlkoder = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Samme nøgler som 'fejl' med maskinkoder (fx 'required', 'level_required').",
    )
