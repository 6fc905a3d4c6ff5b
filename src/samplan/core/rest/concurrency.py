"""ETag / If-Match for the API's editable objects (optimistic concurrency, ``core.locking``).

A GET of an editable object answers ``ETag: "<row_version>"`` (a strong tag: If-Match is
compared strongly). PATCH/PUT must send it back in ``If-Match``: without it the API answers
428 (``kode`` ``precondition_required``: a blind overwrite is not offered, not even with
``If-Match: *``); with a tag that is not the current version 412 (``precondition_failed``)
with the error shape plus ``aktuel``, the object as saved now, and its ETag. The version is
checked by the service's compare-and-set in the database, not here, so a change that lands
between the check and the save is still a 412."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from samplan.core.locking import EditConflict

from .errors import ErrorSerializer, error_body

PRECONDITION_REQUIRED = (
    "Angiv versionen, du ændrer, i headeren If-Match – ETag'en fra din seneste hentning – så ingen andres ændringer overskrives."
)


def etag(version: int) -> str:
    return f'"{version}"'


class PreconditionRequired(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_code = "precondition_required"
    default_detail = PRECONDITION_REQUIRED


def expected_version(request, current: int) -> int:
    """The row version the client read, from ``If-Match``. 428 when it is missing (or only
    ``*``); a tag that is no current version gives -1, which never matches (→ 412)."""
    raw = (request.headers.get("If-Match") or "").strip()
    if not raw or raw == "*":
        raise PreconditionRequired()
    tags = {t.strip() for t in raw.split(",")}
    return current if etag(current) in tags else -1


def optional_expected_version(request, current: int) -> int | None:
    """For POST actions that change an editable object (e.g. an assessment's conditions):
    ``If-Match`` is honoured when sent (a stale tag → 412) and not required (None)."""
    if not (request.headers.get("If-Match") or "").strip():
        return None
    return expected_version(request, current)


def with_etag(response: Response, version: int) -> Response:
    response["ETag"] = etag(version)
    return response


def precondition_failed(error: EditConflict, current_data) -> Response:
    body = error_body("precondition_failed", str(error.messages[0])) | {"aktuel": current_data}
    return with_etag(Response(body, status=status.HTTP_412_PRECONDITION_FAILED), error.version)


# --- Schema -----------------------------------------------------------------------------

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description='ETag\'en fra din seneste GET, fx "3". Mangler den: 428; er objektet ændret siden: 412.',
)
IF_MATCH_OPTIONAL = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description='Valgfri: ETag\'en fra din seneste GET, fx "3". Er objektet ændret siden: 412.',
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200],
    description='Objektets version som stærk ETag, fx "3"; sendes tilbage i If-Match ved ændring.',
)


class PreconditionFailedSerializer(ErrorSerializer):
    aktuel = serializers.JSONField(help_text="Objektet, som det er gemt nu (med sin ETag i svarets header).")


STALE_RESPONSE = {
    412: OpenApiResponse(PreconditionFailedSerializer, description="Objektet er ændret af en anden siden din GET."),
}
UPDATE_RESPONSES = {
    412: OpenApiResponse(PreconditionFailedSerializer, description="Objektet er ændret af en anden siden din GET."),
    428: OpenApiResponse(ErrorSerializer, description="If-Match mangler."),
}
