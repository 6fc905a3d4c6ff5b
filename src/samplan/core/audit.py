"""Writing the audit trail. Rows are only ever inserted (see models.AuditEvent)."""

import contextvars
import datetime as dt
import decimal
import uuid

from django.db import models

from .models import AuditEvent

_request_id = contextvars.ContextVar("samplan_request_id", default="")
_request_path = contextvars.ContextVar("samplan_request_path", default="")
_channel = contextvars.ContextVar("samplan_channel", default="web")


def bind_request(request) -> tuple:
    """Bind the request's id, path and channel; returns tokens for ``unbind_request``."""
    return (
        _request_id.set(request.headers.get("X-Request-ID", "")[:36] or str(uuid.uuid4())),
        _request_path.set(request.path[:300]),
        _channel.set("api" if request.path.startswith("/api/") else "web"),
    )


def unbind_request(tokens: tuple) -> None:
    # Work done outside a request (commands, tasks) must not inherit the last request's id.
    for var, token in zip((_request_id, _request_path, _channel), tokens, strict=True):
        var.reset(token)


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
    authenticated = bool(user and user.is_authenticated)
    return AuditEvent.objects.create(
        user_id_ref=user.pk if authenticated else None,
        username=user.get_username() if authenticated else "",
        role=getattr(user, "role", "") if authenticated else "",
        municipality_id_ref=getattr(citizen, "municipality_id", None)
        or (getattr(user, "municipality_id", None) if authenticated else None),
        citizen_id_ref=citizen.pk if citizen is not None else None,
        object_type=object_type or (obj._meta.label if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        action=action,
        channel=_channel.get(),
        before=before,
        after=after,
        request_id=_request_id.get(),
        path=_request_path.get(),
    )


def record_read(user, obj, **kw) -> AuditEvent:
    return record(user, AuditEvent.Action.READ, obj, **kw)
