"""The administrator's search in the audit trail: filters, the matching rows, the CSV export
and the audit row that records the search itself. A citizen is found by internal id, name or
CPR (through ``audit_lookup``, which the citizens app fills), a user by username or name."""

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from . import audit, audit_lookup
from .models import AuditEvent, User

EXPORT_LIMIT = 10_000
EXPORT_HEADERS = [
    "Tidspunkt",
    "Bruger",
    "Rolle",
    "Handling",
    "Borger-id",
    "Objekt",
    "Objekt-id",
    "Kanal",
    "Request-id",
]
GET_ONLY_IDS = "Søg på navn eller CPR-nummer i formularen (borgeren står ikke i adressen)."


@dataclass
class AuditQuery:
    filters: dict[str, str]
    citizen_ids: list[int] | None = None  # None: no citizen filter
    by_citizen_text: bool = False
    action: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    error: str = ""
    found: dict[int, str] = field(default_factory=dict)  # citizens found by name or CPR


def _iso_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def parse(user, data, *, allow_text: bool) -> AuditQuery:
    """The filters of a search. Names and CPR numbers only when ``allow_text`` (a POST body):
    a GET is in the URL, so it filters by internal citizen id only."""
    filters = {
        "username": data.get("bruger", "").strip(),
        "citizen": data.get("borger", "").strip(),
        "action": data.get("handling", "").strip(),
        "date_from": data.get("fra", "").strip(),
        "date_to": data.get("til", "").strip(),
    }
    query = AuditQuery(
        filters,
        action=filters["action"] if filters["action"] in AuditEvent.Action.values else "",
        date_from=_iso_date(filters["date_from"]),
        date_to=_iso_date(filters["date_to"]),
    )
    text = filters["citizen"]
    digits = re.sub(r"[\s-]", "", text)
    if not text:
        return query
    if digits.isdigit() and len(digits) != 10 and len(digits) < 19:
        query.citizen_ids = [int(digits)]
    elif not allow_text:
        query.citizen_ids, query.error = [], GET_ONLY_IDS
    else:
        query.citizen_ids, query.by_citizen_text = audit_lookup.find_citizens(user, text), True
        query.found = audit_lookup.citizen_names(user, query.citizen_ids)
    return query


def rows(user, query: AuditQuery) -> QuerySet:
    qs = AuditEvent.objects.filter(municipality_id_ref=user.municipality_id)
    if query.filters["username"]:
        qs = qs.filter(Q(username__icontains=query.filters["username"]) | Q(user_id_ref__in=_users_named(user, query)))
    if query.citizen_ids is not None:
        qs = qs.filter(citizen_id_ref__in=query.citizen_ids)
    if query.action:
        qs = qs.filter(action=query.action)
    if query.date_from:
        qs = qs.filter(at__date__gte=query.date_from)
    if query.date_to:
        qs = qs.filter(at__date__lte=query.date_to)
    return qs


def _users_named(user, query: AuditQuery) -> QuerySet:
    """The ids of the municipality's users whose first and last names hold every typed word."""
    users = User.objects.filter(municipality_id=user.municipality_id)
    for token in query.filters["username"].split()[:4]:
        users = users.filter(Q(first_name__icontains=token) | Q(last_name__icontains=token))
    return users.values("pk")


def export_csv(events) -> bytes:
    """The rows as CSV for a spreadsheet: Danish headers and labels, semicolons, a BOM. Like
    the page, a row names the citizen by id only (the search shows whom the ids belong to)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(EXPORT_HEADERS)
    for e in events:
        at = timezone.localtime(e.at)
        writer.writerow(
            [
                f"{date_format(at, 'SHORT_DATE_FORMAT')} {at:%H.%M.%S}",
                e.username,
                e.role_label,
                e.get_action_display(),
                e.citizen_id_ref or "",
                e.object_label,
                e.object_id,
                e.channel,
                e.request_id,
            ]
        )
    return ("\ufeff" + out.getvalue()).encode()


def record(user, query: AuditQuery, shown: list[AuditEvent], *, page: int, export: str = "") -> None:
    """Who looked in the audit trail, and for what: the filters as ids, codes and dates,
    never the typed text (a username or citizen name/CPR filter is recorded only as having
    been used). A search for citizens that showed their rows names them, so it shows on
    their access log; otherwise one row without a citizen."""
    ids = query.citizen_ids or []
    after: dict = {
        "citizen": ids[0] if len(ids) == 1 else None,
        "action": query.action,
        "from": query.date_from.isoformat() if query.date_from else "",
        "to": query.date_to.isoformat() if query.date_to else "",
        "by_username": bool(query.filters["username"]),
        "page": page,
    }
    if query.by_citizen_text:
        after.update(by_citizen_text=True, citizens=ids)
    if export:
        after.update(export=export, rows=len(shown))
    kind, label = AuditEvent.Action.AUDIT_SEARCH, "core.AuditEvent"
    # The rows shown are of the user's municipality, so the citizens are of it.
    seen = sorted({e.citizen_id_ref for e in shown if e.citizen_id_ref is not None} & set(ids))
    if seen:
        audit.record_reads(user, [(pk, user.municipality_id) for pk in seen], object_type=label, action=kind, after=after)
    else:
        audit.record(user, kind, object_type=label, after=after)
