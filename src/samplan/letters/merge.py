"""The merge fields of a letter and the rendering of a template text.

Templates use Django template syntax but only the fixed fields below (and ``{% if %}``), so
an administrator's typo is refused when the version is saved instead of printing nothing in
a letter to a citizen. Values are plain, pre-formatted Danish text; autoescaping stays on
for the HTML preview and the PDF."""

import datetime as dt
from collections.abc import Iterator, Mapping

from django.template import Context, Engine, Library, Node, NodeList, TemplateSyntaxError, defaultfilters, defaulttags
from django.template.base import TextNode, VariableNode
from django.template.defaulttags import IfNode
from django.utils import timezone
from django.utils.formats import date_format

from samplan.core.errors import DomainError

# name -> what it holds (shown to administrators beside the template form).
MERGE_FIELDS: dict[str, str] = {
    "kommune": "Kommunens navn",
    "borger_navn": "Borgerens fulde navn",
    "borger_adresse": "Borgerens adresse (vej, postnummer og by)",
    "sagsnummer": "Sagens nummer",
    "paragraf": "Lovgrundlaget, fx »§ 85 – socialpædagogisk støtte«",
    "ydelse": "Ydelsen (kvalitetsstandardens titel eller ydelserne på bevillingen)",
    "omfang": "Omfanget med enhed, fx »5 timer pr. uge«",
    "leverandoer": "Leverandøren (fra bestillingen, ellers tilbuddet på bevillingen)",
    "periode": "Perioden, fx »fra 01.02.2027« eller »01.02.2027–31.01.2028«",
    "begrundelse": "Afgørelsens begrundelse",
    "kvalitetsstandard_resume": "Kvalitetsstandardens resumé til borgeren (hvad du kan forvente)",
    "klagevejledning": "Klagevejledningen (med klagefristen)",
    "klagefrist": "Klagefristens dato",
    "kontaktperson": "Kontaktpersonen (sagsbehandleren) med telefonnummer",
    "dato": "Dagens dato",
    "partshoering_fakta": "Partshøring: de oplysninger, afgørelsen vil bygge på",
    "svarfrist": "Partshøring: fristen for borgerens svar",
}

_ALLOWED_NODES = (TextNode, VariableNode, IfNode)
# Only {% if %} and the default filters: no include, load, url … that could reach outside the letter.
_LIBRARY = Library()
_LIBRARY.tag("if", defaulttags.do_if)
_LIBRARY.filters.update(defaultfilters.register.filters)
_ENGINE = Engine(libraries={}, autoescape=True)
_ENGINE.template_builtins = [_LIBRARY]


TAG_RULE = "Skabelonen kan ikke læses: brug kun flettefelter som {{ borger_navn }} og {% if … %} … {% endif %}."


class MergeError(DomainError):
    pass


def _nodes(nodelist: NodeList) -> Iterator[Node]:
    for node in nodelist:
        yield node
        for attr in node.child_nodelists:
            yield from _nodes(getattr(node, attr, None) or NodeList())
        if isinstance(node, IfNode):
            for _condition, branch in node.conditions_nodelists:
                yield from _nodes(branch)


def _names_in_if(node: IfNode) -> Iterator[str]:
    for condition, _branch in node.conditions_nodelists:
        stack = [condition]
        while stack:
            c = stack.pop()
            if c is None:
                continue
            value = getattr(c, "value", None)
            if value is not None and hasattr(value, "var"):
                var = value.var
                if hasattr(var, "var"):
                    yield str(var.var)
            stack.extend([getattr(c, "first", None), getattr(c, "second", None)])


def used_fields(text: str) -> set[str]:
    """The merge fields a template text uses; refuses unknown fields and other tags."""
    try:
        template = _ENGINE.from_string(text)
    except TemplateSyntaxError as e:
        # Django's own message is English; the administrator gets the rule instead.
        raise MergeError(TAG_RULE, code="template_syntax") from e
    names: set[str] = set()
    for node in _nodes(template.nodelist):
        if not isinstance(node, _ALLOWED_NODES):
            raise MergeError(TAG_RULE, code="template_tag")
        if isinstance(node, VariableNode):
            var = node.filter_expression.var
            if hasattr(var, "var"):
                names.add(str(var.var))  # "borger_navn.x" is unknown too
        if isinstance(node, IfNode):
            names.update(_names_in_if(node))
    unknown = sorted(names - set(MERGE_FIELDS))
    if unknown:
        raise MergeError(f"Ukendte flettefelter: {', '.join(unknown)}.", code="unknown_field")
    return names


def render(text: str, values: Mapping[str, str], *, autoescape: bool = False) -> str:
    """The text with the merge fields filled in (plain text unless ``autoescape``)."""
    used_fields(text)
    template = _ENGINE.from_string(text)
    return template.render(Context(dict(values), autoescape=autoescape))


def _d(value: dt.date | None) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


def _amount(value) -> str:
    text = f"{value:f}".rstrip("0").rstrip(".") if value is not None else ""
    return text.replace(".", ",")


def values_for(
    citizen, *, case=None, decision=None, grant=None, consultation=None, today: dt.date | None = None
) -> dict[str, str]:
    """Every merge field from the domain (empty text where the letter has no such fact)."""
    today = today or timezone.localdate()
    out = dict.fromkeys(MERGE_FIELDS, "")
    municipality = (case.municipality if case is not None else None) or citizen.municipality
    out["kommune"] = str(municipality)
    out["borger_navn"] = citizen.full_name
    out["borger_adresse"] = ", ".join(p for p in [citizen.address, f"{citizen.postcode} {citizen.city}".strip()] if p)
    out["dato"] = _d(today)
    if case is not None:
        out["sagsnummer"] = case.case_number
        worker = case.caseworker or citizen.caseworker
        if worker is not None:
            name = worker.get_full_name() or worker.get_username()
            out["kontaktperson"] = f"{name}, telefon {worker.phone}" if worker.phone else name
    if consultation is not None:
        out["partshoering_fakta"] = consultation.facts
        out["svarfrist"] = _d(consultation.response_deadline)
    if decision is None and grant is not None:
        decision = grant.decision
    if decision is not None:
        out["paragraf"] = decision.get_legal_basis_display()
        out["begrundelse"] = decision.justification
        out["klagevejledning"] = decision.appeal_guidance
        out["klagefrist"] = _d(decision.appeal_deadline)
        version = decision.standard_version
        if version is not None:
            out["kvalitetsstandard_resume"] = version.citizen_summary
            out["ydelse"] = version.title
    if grant is not None:
        out["paragraf"] = grant.get_legal_basis_display()
        version = grant.standard_version
        if version is not None:
            out["kvalitetsstandard_resume"] = version.citizen_summary or out["kvalitetsstandard_resume"]
            out["ydelse"] = version.title
        if not out["ydelse"]:
            out["ydelse"] = ", ".join(s.display for s in grant.services.all())
        out["omfang"] = f"{_amount(grant.scope_amount)} {grant.get_scope_unit_display()}"
        order = grant.orders.select_related("provider").order_by("-sent_at").first()
        out["leverandoer"] = order.provider.name if order is not None else grant.offer.name
        out["periode"] = f"{_d(grant.start_date)}–{_d(grant.end_date)}" if grant.end_date else f"fra {_d(grant.start_date)}"
    return out
