"""Loading a municipality's quality standards, case-processing deadlines and competence
rules from a JSON file (default: LTK's 11 standards of June 2019, ``data/ltk_2019.json``).

Loading is idempotent and never edits what is already there:

* a ``QualityStandard`` is created per (municipality, key) if missing;
* version 1 is created only for a standard that has no versions yet. An existing version
  is never touched (an administrator's change is a new version, see ``services``);
* ``CaseDeadline`` and ``CompetenceRule`` rows are created per § if missing.

Target groups are FFB concepts under "Målgruppe", matched by exact display text in the
newest loaded FFB version; a display that is not found is skipped with a warning.
Keys named ``comment`` or ending in ``_comment`` are documentation and are not loaded."""

import datetime as dt
import json
import logging
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from samplan.core import audit
from samplan.core.models import AuditEvent

from .legal import LEGAL_BASES, ScopeUnit
from .models import CaseDeadline, CompetenceRule, QualityStandard, StandardVersion

logger = logging.getLogger(__name__)

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "ltk_2019.json"

BASES = {code for code, _label in LEGAL_BASES}
SCOPE_UNITS = set(ScopeUnit.values) | {""}

# Fields of StandardVersion read from each standard (besides key, legal_bases, target_groups).
TEXT_FIELDS = ["title", "target_group_text", "content", "exclusions", "citizen_summary", "provider_rules", "citizen_payment"]
INT_FIELDS = ["min_age", "max_age", "follow_up_first_months", "follow_up_every_months"]
BOOL_FIELDS = ["visitation_required", "appeal_allowed", "follow_up_during_and_end", "free_choice"]
DECIMAL_FIELDS = ["level_min", "level_max", "unit_price"]
REQUIRED = ["key", "legal_bases", "title", "target_group_text", "content", "citizen_summary"]


def _is_comment(name: str) -> bool:
    return name == "comment" or name.endswith("_comment")


def _decimal(value):
    return None if value is None else Decimal(str(value))


def read_data(path=DEFAULT_PATH) -> dict:
    """The file's contents, checked; raises ValueError with a Danish message."""
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    standards = data.get("standards")
    if not isinstance(standards, list) or not standards:
        raise ValueError("Filen indeholder ingen kvalitetsstandarder ('standards').")
    keys = set()
    for item in standards:
        missing = [name for name in REQUIRED if not item.get(name)]
        if missing:
            raise ValueError(f"Standard {item.get('key', '?')} mangler: {', '.join(missing)}")
        if item["key"] in keys:
            raise ValueError(f"Standarden {item['key']} står to gange i filen.")
        keys.add(item["key"])
        unknown = set(item["legal_bases"]) - BASES
        if unknown:
            raise ValueError(f"Standard {item['key']}: ukendt lovgrundlag {', '.join(sorted(unknown))}")
        if item.get("scope_unit", "") not in SCOPE_UNITS:
            raise ValueError(f"Standard {item['key']}: ukendt omfangsenhed {item['scope_unit']!r}")
        if not isinstance(item.get("rules", {}), dict):
            raise ValueError(f"Standard {item['key']}: 'rules' skal være et objekt.")
    for basis, days in data.get("case_deadlines", {}).items():
        if basis not in BASES or not isinstance(days, int) or days < 1:
            raise ValueError(f"Ugyldig sagsbehandlingsfrist: {basis} = {days!r}")
    for rule in data.get("competence", []):
        if rule.get("legal_basis") not in BASES:
            raise ValueError(f"Ugyldig kompetenceregel: {rule!r}")
    return data


def _target_groups(displays: list, warnings: list, key: str) -> list:
    from samplan.terminology import ffb

    if not displays:
        return []
    if ffb.current_system() is None:
        warnings.append(f"{key}: FFB er ikke indlæst, så målgrupperne er ikke koblet på.")
        return []
    concepts = {}
    for concept in ffb.branch(ffb.TARGET_GROUPS):
        concepts.setdefault(concept.display, concept)
    found = []
    for display in displays:
        concept = concepts.get(display)
        if concept is None:
            warnings.append(f"{key}: FFB-målgruppen '{display}' findes ikke og er sprunget over.")
        elif concept not in found:
            found.append(concept)
    return found


def _version_data(item: dict, data: dict) -> dict:
    values = {name: item.get(name, "") or "" for name in TEXT_FIELDS}
    values.update({name: item.get(name) for name in INT_FIELDS})
    values.update({name: bool(item[name]) for name in BOOL_FIELDS if name in item})
    values.update({name: _decimal(item.get(name)) for name in DECIMAL_FIELDS})
    values["scope_unit"] = item.get("scope_unit", "") or ""
    values["rules"] = {k: v for k, v in item.get("rules", {}).items() if not _is_comment(k)}
    values["adopted_on"] = dt.date.fromisoformat(item.get("adopted_on") or data["adopted_on"])
    values["revision_due"] = dt.date.fromisoformat(item.get("revision_due") or data["revision_due"])
    return values


@transaction.atomic
def load_standards(municipality, path=DEFAULT_PATH, *, user=None) -> dict:
    """Create what is missing for ``municipality``; returns counts of created and existing
    rows and a list of warnings (Danish)."""
    data = read_data(path)
    counts = {
        "standards_created": 0,
        "standards_existing": 0,
        "versions_created": 0,
        "versions_existing": 0,
        "target_groups_linked": 0,
        "deadlines_created": 0,
        "deadlines_existing": 0,
        "competence_created": 0,
        "competence_existing": 0,
        "warnings": [],
    }
    for item in data["standards"]:
        standard, created = QualityStandard.objects.get_or_create(
            municipality=municipality,
            key=item["key"],
            defaults={"legal_bases": list(item["legal_bases"])},
        )
        counts["standards_created" if created else "standards_existing"] += 1
        if created:
            audit.record(user, AuditEvent.Action.CREATE, standard, after=audit.snapshot(standard))
        if standard.versions.exists():
            counts["versions_existing"] += 1
            continue
        version = StandardVersion.objects.create(standard=standard, version=1, created_by=user, **_version_data(item, data))
        groups = _target_groups(item.get("target_groups", []), counts["warnings"], item["key"])
        version.target_groups.set(groups)
        counts["versions_created"] += 1
        counts["target_groups_linked"] += len(groups)
        after = audit.snapshot(version)
        after["target_groups"] = [c.code for c in groups]
        audit.record(user, AuditEvent.Action.CREATE, version, after=after)

    for basis, days in data.get("case_deadlines", {}).items():
        deadline, created = CaseDeadline.objects.get_or_create(
            municipality=municipality, legal_basis=basis, defaults={"days": days}
        )
        counts["deadlines_created" if created else "deadlines_existing"] += 1
        if created:
            audit.record(user, AuditEvent.Action.CREATE, deadline, after=audit.snapshot(deadline))

    for item in data.get("competence", []):
        rule, created = CompetenceRule.objects.get_or_create(
            municipality=municipality,
            legal_basis=item["legal_basis"],
            defaults={
                "max_scope": _decimal(item.get("max_scope")),
                "max_monthly_price": _decimal(item.get("max_monthly_price")),
                "deviation_allowed": bool(item.get("deviation_allowed", False)),
            },
        )
        counts["competence_created" if created else "competence_existing"] += 1
        if created:
            audit.record(user, AuditEvent.Action.CREATE, rule, after=audit.snapshot(rule))

    for warning in counts["warnings"]:
        logger.warning(warning)
    return counts
