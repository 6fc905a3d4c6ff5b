"""Named branches of the FFB code system.

Branch roots are identified by their FFB codes (stable across versions); the concepts
themselves are always read from the loaded data, never copied into code."""

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from .models import CodeSystem, Concept

FFB_URL = "urn:oid:1.2.208.176.2.22"

SERVICES = "af7624f8-affd-4a7e-8754-b1b1dd9d8def"  # Social indsats / Ydelse
OFFER_TYPES = "f708aea3-66bd-46c6-af11-7bf28942fa47"  # Social indsats / Tilbud
TARGET_GROUPS = "cda90d67-f65a-4a34-b8d8-168ee9ff0949"  # Social indsats / Målgruppe
SUPPORT_NEED = "7ac451dc-773b-4877-baaf-1e6b1d5c8e28"  # Støttebehovsniveau
INTERVENTION_STATUS = "90479ffa-bf46-4b3a-a172-91f2798e2a43"  # Status på indsats
CONDITIONS = "b3ddc7d7-f6c1-4d47-8280-456992cbe0a6"  # FFB tilstande
ACTIVITY_PARTICIPATION = "93433530-b85c-4d04-a4fb-5ae26cf16f1c"  # FFB tilstande / Aktivitet og deltagelse
GOAL_TYPES = "b5257b2d-0fbf-4d00-bf38-d298c8568116"  # Måltype
FUNCTIONING_LEVEL = "e89d317c-4657-4970-b614-ada2ed220595"  # Funktionsevneniveau

# The support-need scale in its own order (FFB ships it unordered; sort_key is alphabetical),
# "Ikke vurderet" last. Codes are stable across FFB versions.
SUPPORT_NEED_SCALE = (
    "ae9f388a-91c3-46cf-af55-f81952f2977c",  # Intet støttebehov
    "dd628e73-d6c9-4837-a2b8-aa62d73bd6ae",  # Let støttebehov
    "401a397b-b3aa-4ca3-8b23-bd8f99dd3f76",  # Moderat støttebehov
    "b99a0790-4d70-4152-b149-3fe58b745583",  # Højt støttebehov
    "e99763d6-6c43-4969-ad52-2b1a7055f9dc",  # Fuldstændigt støttebehov
    "2254dac8-8aa3-4334-8502-9720194f49ad",  # Ikke vurderet
)


def current_system() -> CodeSystem:
    """The newest loaded FFB version (new records use it; old records keep theirs)."""
    return CodeSystem.objects.filter(url=FFB_URL).order_by("-version").first()


def root(code: str, system: CodeSystem | None = None) -> Concept:
    system = system or current_system()
    return Concept.objects.get(system=system, code=code)


def branch(code: str, *, leaves_only: bool = False, system: CodeSystem | None = None) -> QuerySet:
    """All concepts below a branch root, in hierarchical display order."""
    top = root(code, system)
    qs = Concept.objects.filter(system=top.system, path__startswith=top.path + "/")
    if leaves_only:
        qs = qs.filter(children__isnull=True)
    return qs.order_by("sort_key")


def children(code: str, system: CodeSystem | None = None) -> QuerySet:
    top = root(code, system)
    return Concept.objects.filter(parent=top).order_by("sort_key")


def support_need_levels(system: CodeSystem | None = None) -> QuerySet:
    """The support-need levels in the scale's order (unknown codes of a newer version last)."""
    rank = Case(
        *(When(code=code, then=Value(i)) for i, code in enumerate(SUPPORT_NEED_SCALE)),
        default=Value(len(SUPPORT_NEED_SCALE)),
        output_field=IntegerField(),
    )
    return children(SUPPORT_NEED, system).annotate(scale_rank=rank).order_by("scale_rank", "sort_key")


def is_activity_participation(concept: Concept) -> bool:
    """Functioning levels belong to the Aktivitet og deltagelse branch and nowhere else."""
    top = root(ACTIVITY_PARTICIPATION, concept.system)
    return concept.is_within(top) and concept.pk != top.pk


def within(code: str) -> Q:
    """Q filter for any concept (in any loaded version) below the given branch root."""
    tops = Concept.objects.filter(code=code).values_list("path", flat=True)
    q = Q(pk__in=[])
    for p in tops:
        q |= Q(path__startswith=p + "/")
    return q
