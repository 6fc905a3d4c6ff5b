"""The only request body the API reads: JSON, bounded in size and in depth.

* Size: above ``settings.DATA_UPLOAD_MAX_MEMORY_SIZE`` (the same bound as the pages' forms)
  the body is not read; the answer is 413 in the error shape (``RequestTooLarge``). DRF
  hands its parsers the raw stream, so Django's own check does not apply to JSON.
* Depth: a document nested deeper than ``MAX_DEPTH`` levels is refused with 400
  (``parse_error``). No legitimate request is more than a handful of levels deep, and a
  100,000-level document would otherwise exhaust the parser's recursion (a 500)."""

import json
from typing import Any

from django.conf import settings
from rest_framework import exceptions
from rest_framework.parsers import JSONParser
from rest_framework.utils import json as drf_json

MAX_DEPTH = 64


class RequestTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = "Forespørgslen er for stor."
    default_code = "request_too_large"


def max_body_bytes() -> int | None:
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def too_large_message(limit: int | None = None) -> str:
    limit = (max_body_bytes() if limit is None else limit) or 0
    return f"Forespørgslen er for stor. Den må højst fylde {limit // (1024 * 1024)} MB."


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether a parsed JSON value nests deeper than ``limit`` (iterative: no recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = list(item.values())
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def refuse_too_large(request, limit: int | None = None) -> None:
    """RequestTooLarge when the declared body length is above the limit (``limit``, else
    the JSON bound: a view receiving files, e.g. documents, passes its own)."""
    limit = max_body_bytes() if limit is None else limit
    if limit is None:
        return
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit:
        raise RequestTooLarge(too_large_message(limit))


class SamplanJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        limit = max_body_bytes()
        request = parser_context.get("request")
        if request is not None:
            refuse_too_large(request)
        raw = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(raw) > limit:  # a body without (or with a false) length
            raise RequestTooLarge(too_large_message(limit))
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = json.loads(raw.decode(encoding), parse_constant=drf_json.strict_constant if self.strict else None)
        except RecursionError:
            raise exceptions.ParseError(f"JSON-dokumentet er indlejret for dybt (højst {MAX_DEPTH} niveauer).") from None
        except ValueError:  # also UnicodeDecodeError
            raise exceptions.ParseError("Forespørgslens indhold er ikke gyldig JSON.") from None
        if too_deep(data):
            raise exceptions.ParseError(f"JSON-dokumentet er indlejret for dybt (højst {MAX_DEPTH} niveauer).")
        return data
