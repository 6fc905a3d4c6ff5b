"""A create happens once per submit, however often the form or request is sent.

Pages: every create form renders a hidden ``form_token`` (``{% form_token %}``, a fresh
uuid4; a GET stores nothing). The POST claims the token by inserting a ``SubmitRecord``
inside the same transaction as the create (``submit_once``). A second POST with the same
token — a double click, a reload, a concurrent submit that waited on the unique index —
creates nothing and is sent to what the first one made, with ``REPLAY_MESSAGE``. A POST
without a token is served without this protection (scripts, old tests); browsers always
send one.

API: ``@idempotent`` on a create endpoint honours an ``Idempotency-Key`` header: the same
user, key and body get the first response (status and body) again; the same key with
another body is refused with 422. Without the header the create runs as before; the
database's own unique constraints still stop duplicates that a domain rule forbids.

Old records can be deleted after a while (``manage.py purge_submit_records``)."""

import hashlib
import json
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from .models import SubmitRecord

FIELD = "form_token"
HEADER = "Idempotency-Key"
REPLAY_MESSAGE = "Formularen var allerede sendt; der er ikke oprettet en ny."
MAX_KEY_LENGTH = 100


def new_token() -> str:
    """A fresh one-time token for a rendered form (nothing is stored until it is posted)."""
    return uuid.uuid4().hex


def posted_token(request: HttpRequest) -> str | None:
    """The form's token in canonical form, or None when absent or not a uuid."""
    raw = request.POST.get(FIELD, "")
    try:
        return uuid.UUID(raw).hex if raw else None
    except ValueError:
        return None


def _find(user, channel: str, key: str) -> SubmitRecord | None:
    return SubmitRecord.objects.filter(user=user, channel=channel, key=key).first()


def _replay_page(request: HttpRequest, record: SubmitRecord) -> HttpResponse:
    messages.info(request, REPLAY_MESSAGE)
    url = record.redirect_url or request.path
    if getattr(request, "htmx", False):
        # A whole-page move, so the message and the first result are shown as a page.
        response = HttpResponse(status=200)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def submit_once(request: HttpRequest, run: Callable[[], Any], url_of: Callable[[Any], str]) -> Any:
    """``run()`` at most once per posted form token; its result, or a redirect (an
    ``HttpResponse``) to what the token's first submit made. A result of ``FAILED`` (the
    form steps': invalid or refused) created nothing, so the claim is rolled back and
    the corrected form can be sent again."""
    from .steps import FAILED  # steps calls this module

    key = posted_token(request)
    user = request.user
    if key is None or not user.is_authenticated:
        return run()
    if (record := _find(user, SubmitRecord.Channel.WEB, key)) is not None:
        return _replay_page(request, record)
    try:
        with transaction.atomic():
            # The INSERT comes first: a concurrent submit of the same token waits here on the
            # unique index and then fails, without running the create at all.
            record = SubmitRecord.objects.create(user=user, channel=SubmitRecord.Channel.WEB, key=key)
            result = run()
            if result is FAILED:
                transaction.set_rollback(True)
                return result
            record.redirect_url = url_of(result)[:500]
            if isinstance(result, models.Model):
                record.object_type, record.object_id = result._meta.label, str(result.pk)
            record.save(update_fields=["redirect_url", "object_type", "object_id"])
            return result
    except IntegrityError:
        if (record := _find(user, SubmitRecord.Channel.WEB, key)) is None:
            raise  # not our claim: a real fault
        return _replay_page(request, record)


# --- API -------------------------------------------------------------------------------


class IdempotencyKeyReused(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"
    default_detail = "Idempotency-Key er allerede brugt til en anden forespørgsel; brug en ny nøgle."


IDEMPOTENCY_PARAMETER = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "Valgfri nøgle (1–100 synlige ASCII-tegn, fx en UUID), som gør oprettelsen sikker at gentage: "
        "samme bruger, nøgle og indhold giver det første svar igen (samme status og indhold) uden at oprette "
        "noget nyt; samme nøgle med andet indhold afvises med 422. Uden nøglen oprettes der som sædvanligt, "
        "og databasens regler afviser stadig en dublet (409)."
    ),
)


def _jsonable(value: Any) -> Any:
    """A multipart upload's file counts by its content, so a retry with another file under
    the same key is a reused key (422), not a replay of the first."""
    if isinstance(value, UploadedFile):
        sha = hashlib.sha256()
        for chunk in value.chunks():
            sha.update(chunk)
        value.seek(0)
        return {"file": value.name, "sha256": sha.hexdigest()}
    return str(value)


def _body_hash(data: Any) -> str:
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), default=_jsonable)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _api_key(request) -> str | None:
    raw = request.headers.get(HEADER)
    if raw is None:
        return None
    key = raw.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not all(33 <= ord(c) < 127 for c in key):
        raise ValidationError({HEADER: ["Angiv 1–100 synlige ASCII-tegn, fx en UUID."]}, code="invalid")
    return key


def _replay_api(record: SubmitRecord, body_hash: str) -> Response:
    if record.request_hash != body_hash or record.response_status is None:
        raise IdempotencyKeyReused()
    response = Response(record.response_body, status=record.response_status)
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent(create: Callable[..., Response]) -> Callable[..., Response]:
    """An API create honouring ``Idempotency-Key`` (see the module's description)."""

    @wraps(create)
    def view(self, request, *args, **kwargs) -> Response:
        key = _api_key(request)
        if key is None or not request.user.is_authenticated:
            return create(self, request, *args, **kwargs)
        body_hash = _body_hash(request.data)
        channel = SubmitRecord.Channel.API
        if (record := _find(request.user, channel, key)) is not None:
            return _replay_api(record, body_hash)
        try:
            with transaction.atomic():
                record = SubmitRecord.objects.create(user=request.user, channel=channel, key=key, request_hash=body_hash)
                # A refusal raises and rolls the claim back: the key may be used again.
                response = create(self, request, *args, **kwargs)
                record.response_status = response.status_code
                record.response_body = json.loads(JSONRenderer().render(response.data) or b"null")
                record.save(update_fields=["response_status", "response_body"])
                return response
        except IntegrityError:
            if (record := _find(request.user, channel, key)) is None:
                raise
            return _replay_api(record, body_hash)

    view.idempotent = True  # type: ignore[attr-defined]  # read by the schema (SamplanAutoSchema)
    return view
