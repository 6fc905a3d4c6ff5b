"""Everything held about one citizen, as JSON-ready sections. Each section is one query (or
a few with prefetches), whatever the number of rows, so the export's query count is bounded.
Binary contents (document files, letter PDFs) are listed by metadata, not included; the CPR
number is shown masked (the citizen knows it, and the export travels)."""

import datetime as dt
import decimal

from django.db import models

from samplan.cases.models import Assessment, Case, Grant
from samplan.citizens.cpr import mask_cpr
from samplan.consent.models import ConsentEvent
from samplan.core.models import AuditEvent
from samplan.documents.models import Document
from samplan.journal.models import JournalNote
from samplan.letters.models import Letter
from samplan.meetings.models import NetworkMeeting
from samplan.plans.models import Plan
from samplan.questionnaires.models import Response

SKIP = {"pdf", "storage_name", "row_version", "password", "evaluation", "fields"}

SECTIONS = [
    ("master_data", "Stamdata"),
    ("cases", "Sager"),
    ("assessments", "Udredninger og tilstande"),
    ("decisions", "Afgørelser"),
    ("grants", "Bevillinger (alle versioner)"),
    ("plan", "Plan"),
    ("plan_versions", "Planens versioner"),
    ("notes", "Journalnotater"),
    ("documents", "Dokumenter (oplysninger om filerne)"),
    ("letters", "Breve"),
    ("consents", "Samtykker"),
    ("self_ratings", "Selvvurderinger (spørgeskemaer)"),
    ("meetings", "Netværksmøder"),
    ("access_log", "Hvem har set oplysningerne"),
]


def _value(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        return None
    return value


def row(obj: models.Model, **extra) -> dict:
    """The row's own fields, with choices in Danish and relations as ids."""
    data: dict = {"id": obj.pk}
    for field in obj._meta.concrete_fields:
        if field.name in SKIP or field.primary_key:
            continue
        value = getattr(obj, field.attname)
        if field.choices and value not in (None, ""):
            value = getattr(obj, f"get_{field.name}_display")()
        data[field.attname] = _value(value)
    return data | extra


def build(citizen) -> dict:
    master = row(citizen)
    master["cpr"] = mask_cpr(citizen.cpr)
    master.pop("user_id", None)
    cases = list(Case.objects.filter(citizen=citizen).select_related("inquiry").order_by("opened_at"))
    assessments = Assessment.objects.filter(case__citizen=citizen).prefetch_related("conditions").order_by("pk")
    grants = (
        Grant.objects.filter(case__citizen=citizen)
        .prefetch_related("goals", "target_groups", "orders", "follow_ups")
        .order_by("case_id", "version")
    )
    decisions = [c.decision for c in Case.objects.filter(citizen=citizen, decision__isnull=False).select_related("decision")]
    plan = Plan.objects.filter(citizen=citizen).prefetch_related("goals", "efforts", "agreements", "comments", "versions").first()
    notes = JournalNote.objects.filter(citizen=citizen).prefetch_related("addenda").order_by("occurred_at")
    responses = Response.objects.filter(citizen=citizen).prefetch_related("answers__item").order_by("pk")
    meetings = NetworkMeeting.objects.filter(citizen=citizen).prefetch_related("participants", "topics").order_by("pk")
    return {
        "master_data": [master],
        "cases": [row(c, inquiry=row(c.inquiry) if hasattr(c, "inquiry") else None) for c in cases],
        "assessments": [row(a, conditions=[row(x) for x in a.conditions.all()]) for a in assessments],
        "decisions": [row(d) for d in decisions],
        "grants": [
            row(
                g,
                goals=[row(x) for x in g.goals.all()],
                target_groups=[row(x) for x in g.target_groups.all()],
                orders=[row(x) for x in g.orders.all()],
                follow_ups=[row(x) for x in g.follow_ups.all()],
            )
            for g in grants
        ],
        "plan": [
            row(
                plan,
                goals=[row(x) for x in plan.goals.all()],
                efforts=[row(x) for x in plan.efforts.all()],
                agreements=[row(x) for x in plan.agreements.all()],
                comments=[row(x) for x in plan.comments.all()],
            )
        ]
        if plan
        else [],
        "plan_versions": [row(v, snapshot=v.snapshot) for v in plan.versions.all()] if plan else [],
        "notes": [row(n, addenda=[row(x) for x in n.addenda.all()]) for n in notes],
        "documents": [row(d) for d in Document.objects.filter(citizen=citizen).order_by("pk")],
        "letters": [row(x) for x in Letter.objects.filter(citizen=citizen).order_by("pk")],
        "consents": [row(x) for x in ConsentEvent.objects.filter(citizen=citizen).select_related("member").order_by("pk")],
        "self_ratings": [row(r, answers=[row(a, item=str(a.item)) for a in r.answers.all()]) for r in responses],
        "meetings": [
            row(m, participants=[row(p) for p in m.participants.all()], topics=[row(t) for t in m.topics.all()]) for m in meetings
        ],
        "access_log": [
            {"at": _value(e.at), "user": e.username, "role": e.role, "action": e.get_action_display(), "object": e.object_type}
            for e in AuditEvent.objects.filter(citizen_id_ref=citizen.pk).order_by("at", "pk")
        ],
    }
