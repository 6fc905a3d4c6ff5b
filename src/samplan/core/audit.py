"""Writing the audit trail. Rows are only ever inserted (see models.AuditEvent)."""

import contextvars
import datetime as dt
import decimal
import re
import uuid
from collections.abc import Iterable

from django.db import models

from .models import AuditEvent

_request_id = contextvars.ContextVar("samplan_request_id", default="")
_request_path = contextvars.ContextVar("samplan_request_path", default="")
_channel = contextvars.ContextVar("samplan_channel", default="web")
# (action, citizen id) already written in this request: a page that shows a citizen twice,
# or reads the citizen's object and then lists them, writes one row per citizen.
_logged: contextvars.ContextVar[set[tuple[str, int]] | None] = contextvars.ContextVar("samplan_logged", default=None)

# A client's X-Request-ID is kept only if it looks like an id (it lands in every audit row
# and log line of the request): a letter or digit, then 7-63 of letters, digits and ._:-.
# A UUID matches too. Anything else (free text, a CPR number, markup) is replaced.
REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{7,63}$")
REQUEST_ID_MAX = AuditEvent._meta.get_field("request_id").max_length or 36


def request_id_from(header: str) -> str:
    """The client's request id if it is well-formed and fits the audit row, else a new one."""
    if REQUEST_ID_RE.fullmatch(header) and len(header) <= REQUEST_ID_MAX:
        return header
    return str(uuid.uuid4())


def bind_request(request) -> tuple:
    """Bind the request's id, path and channel; returns tokens for ``unbind_request``."""
    return (
        _request_id.set(request_id_from(request.headers.get("X-Request-ID", ""))),
        _request_path.set(request.path[:300]),
        _channel.set("api" if request.path.startswith("/api/") else "web"),
        _logged.set(set()),
    )


def unbind_request(tokens: tuple) -> None:
    # Work done outside a request (commands, tasks) must not inherit the last request's id.
    _request_id.reset(tokens[0])
    _request_path.reset(tokens[1])
    _channel.reset(tokens[2])
    _logged.reset(tokens[3])


def current_request_id() -> str:
    return _request_id.get()


def _jsonable(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj) -> dict:
    """Field values of a model instance for before/after records."""
    data = {}
    for field in obj._meta.concrete_fields:
        data[field.attname] = _jsonable(getattr(obj, field.attname))
    if data.get("cpr"):
        # The audit trail records that a CPR was set or changed, not the number itself.
        from samplan.citizens.cpr import mask_cpr

        data["cpr"] = mask_cpr(data["cpr"])
    return data


def record(user, action: str, obj=None, *, citizen=None, before=None, after=None, object_type: str = "") -> AuditEvent:
    if citizen is None and obj is not None:
        from .policy import citizen_of

        try:
            citizen = citizen_of(obj)
        except TypeError:
            citizen = None
    event = _event(
        user,
        action,
        citizen_id=citizen.pk if citizen is not None else None,
        municipality_id=getattr(citizen, "municipality_id", None),
        object_type=object_type or (obj._meta.label if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        before=before,
        after=after,
    )
    event.save()
    _mark_logged(action, [event.citizen_id_ref])
    return event


def _event(user, action: str, *, citizen_id, municipality_id, object_type: str, object_id="", before=None, after=None):
    authenticated = bool(user and user.is_authenticated)
    return AuditEvent(
        user_id_ref=user.pk if authenticated else None,
        username=user.get_username() if authenticated else "",
        role=getattr(user, "role", "") if authenticated else "",
        municipality_id_ref=municipality_id or (getattr(user, "municipality_id", None) if authenticated else None),
        citizen_id_ref=citizen_id,
        object_type=object_type,
        object_id=object_id,
        action=action,
        channel=_channel.get(),
        before=before,
        after=after,
        request_id=_request_id.get(),
        path=_request_path.get(),
    )


def _mark_logged(action: str, citizen_ids: Iterable[int | None]) -> None:
    logged = _logged.get()
    if logged is not None:
        logged.update((action, pk) for pk in citizen_ids if pk is not None)


def record_read(user, obj, **kw) -> AuditEvent:
    return record(user, AuditEvent.Action.READ, obj, **kw)


def record_reads(
    user,
    citizens: Iterable,
    *,
    object_type: str,
    action: str = AuditEvent.Action.READ,
    after: dict | None = None,
) -> list[AuditEvent]:
    """One row per citizen shown on a page or in a list, in one INSERT (so a page's query
    count does not grow with its rows). ``citizens`` are ``Citizen`` objects or
    ``(citizen id, municipality id)`` pairs; a citizen already logged with this action in
    the same request is skipped."""
    logged = _logged.get() or set()
    seen: dict[int, int | None] = {}
    for citizen in citizens:
        pk, municipality_id = citizen if isinstance(citizen, tuple) else (citizen.pk, citizen.municipality_id)
        if pk is not None and pk not in seen and (action, pk) not in logged:
            seen[pk] = municipality_id
    events = [
        _event(user, action, citizen_id=pk, municipality_id=municipality_id, object_type=object_type, after=after)
        for pk, municipality_id in seen.items()
    ]
    if events:
        AuditEvent.objects.bulk_create(events)
        _mark_logged(action, seen)
    return events
