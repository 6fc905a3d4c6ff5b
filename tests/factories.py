"""Builders for tests: an organisation, one user per role, citizens, and cases walked
through the real domain services to any stage of the spine."""

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from samplan.cases import services
from samplan.cases.models import Decision, Grant
from samplan.citizens.models import Citizen
from samplan.core.models import Municipality, OrgUnit, Role, User
from samplan.terminology import ffb

PASSWORD = "Test-kodeord-123"
_seq = itertools.count(1)


def make_org(code="0173", name="Lyngby-Taarbæk Kommune"):
    m, _ = Municipality.objects.get_or_create(code=code, defaults={"name": name})
    authority = OrgUnit.objects.get_or_create(municipality=m, name=f"Myndighed {code}", defaults={"kind": OrgUnit.Kind.TEAM})[0]
    other_team = OrgUnit.objects.get_or_create(municipality=m, name=f"Andet team {code}", defaults={"kind": OrgUnit.Kind.TEAM})[0]
    provider = OrgUnit.objects.get_or_create(
        municipality=m, name=f"Slotsvænget {code}", defaults={"kind": OrgUnit.Kind.PROVIDER}
    )[0]
    other_provider = OrgUnit.objects.get_or_create(
        municipality=m, name=f"DSI Nettet {code}", defaults={"kind": OrgUnit.Kind.PROVIDER}
    )[0]
    return {
        "municipality": m,
        "authority": authority,
        "other_team": other_team,
        "provider": provider,
        "other_provider": other_provider,
    }


def make_user(role, org, *, unit=None, username=None):
    n = next(_seq)
    if unit is None:
        unit = {
            Role.PROVIDER_STAFF: org["provider"],
            Role.OFFER_MAINTAINER: org["provider"],
            Role.CASEWORKER: org["authority"],
            Role.COMMITTEE: org["authority"],
        }.get(role)
    user = User.objects.create_user(
        username=username or f"{role}{n}",
        password=PASSWORD,
        role=role,
        municipality=None if role in (Role.CITIZEN, Role.RELATIVE) else org["municipality"],
        unit=unit,
        first_name=f"Test{n}",
        last_name=str(Role(role).label),
    )
    return user


def make_users(org):
    return {role: make_user(role, org) for role in Role.values}


def cpr_for(n: int) -> str:
    """A fictional erstatningspersonnummer (day + 60)."""
    day = 61 + n % 28
    month = 1 + (n // 28) % 12
    # The serial's first digit stays 0–3 so the year is always 1980 (with 5–8 and year 80
    # the CPR century rule gives 1880, which makes age rules depend on test order).
    return f"{day:02d}{month:02d}80{n % 4000:04d}"


def make_citizen(org, *, unit=None, caseworker=None, user=None, first_name="Anna", last_name=None, coordinator=None):
    n = next(_seq)
    return Citizen.objects.create(
        municipality=org["municipality"],
        acting_municipality=org["municipality"],
        unit=unit or org["authority"],
        first_name=first_name,
        last_name=last_name or f"Borger{n}",
        cpr=cpr_for(n),
        caseworker=caseworker,
        user=user,
        coordinator=coordinator,
        phone="40000000",
        email=f"borger{n}@example.invalid",
    )


def ad_theme():
    """A leaf of Aktivitet og deltagelse (has a functioning level)."""
    return ffb.branch(ffb.ACTIVITY_PARTICIPATION, leaves_only=True).first()


def other_theme():
    """A leaf of Funktioner og forhold (no functioning level)."""
    return ffb.branch(ffb.CONDITIONS, leaves_only=True).exclude(ffb.within(ffb.ACTIVITY_PARTICIPATION)).first()


def grant_spec(org, condition, *, start=None, amount="20", legal_basis="§85"):
    return services.GrantSpec(
        legal_basis=legal_basis,
        services=[ffb.branch(ffb.SERVICES, leaves_only=True).first()],
        offer=org["provider"],
        scope_amount=Decimal(amount),
        scope_unit=Grant.ScopeUnit.HOURS_MONTH,
        start_date=start or timezone.localdate(),
        primary_target_group=ffb.branch(ffb.TARGET_GROUPS, leaves_only=True).first(),
        secondary_target_groups=[],
        goals=[services.GoalSpec(goal_type=ffb.children(ffb.GOAL_TYPES).first(), target_level=1, condition=condition)],
    )


STAGES = ["inquiry", "contacted", "assessment", "awaiting_decision", "granted", "grant", "order", "accepted"]


def walk_case(caseworker, citizen, org, until="order", *, start=None):
    """Take a new case through the real services up to ``until``; returns a dict of objects."""
    out = {}
    now = timezone.now()
    inquiry = services.register_inquiry(
        caseworker, citizen, source="citizen", reason="Ønsker støtte i hverdagen", received_at=now - dt.timedelta(days=10)
    )
    out.update(inquiry=inquiry, case=inquiry.case)
    if until == "inquiry":
        return out
    services.record_first_contact(caseworker, inquiry, now - dt.timedelta(days=9))
    if until == "contacted":
        return out
    assessment = services.start_assessment(caseworker, inquiry.case)
    condition = services.set_condition(caseworker, assessment, theme=ad_theme(), functioning_level=3)
    services.set_condition(caseworker, assessment, theme=other_theme(), functioning_level=None)
    out.update(assessment=assessment, condition=condition)
    if until == "assessment":
        return out
    services.complete_assessment(
        caseworker,
        assessment,
        citizen_wishes="Jeg vil gerne kunne handle ind selv",
        support_need=ffb.children(ffb.SUPPORT_NEED).first(),
    )
    if until == "awaiting_decision":
        return out
    decision = services.make_decision(
        caseworker,
        inquiry.case,
        outcome=Decision.Outcome.GRANTED,
        legal_basis="§85",
        justification="Behov for støtte",
        decided_at=timezone.localdate(),
    )
    out["decision"] = decision
    if until == "granted":
        return out
    grant = services.create_grant(caseworker, decision, grant_spec(org, condition, start=start))
    out["grant"] = grant
    if until == "grant":
        return out
    order = services.create_order(caseworker, grant, purpose="Støtte til indkøb", goals="Handler selv ind en gang om ugen")
    out["order"] = order
    if until == "order":
        return out
    services.accept_order(caseworker, order)
    return out
