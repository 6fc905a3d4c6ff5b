"""Rules of the case spine (DOMAIN.md §3), enforced by cases.services and the database:
conditions and functioning levels, intervention goals, target groups, refused
transitions, appeal deadlines, grant history and ending."""

import dataclasses
import datetime as dt
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from samplan.cases import services
from samplan.cases.models import Assessment, Case, Condition, Decision, FollowUp, Grant, GrantTargetGroup, Order
from samplan.cases.services import DomainError
from samplan.core.models import AuditEvent
from samplan.terminology import ffb
from tests.factories import ad_theme, grant_spec, make_citizen, make_org, other_theme, walk_case


@contextmanager
def refused(message, code=None):
    """The block must raise a DomainError with exactly this Danish message (and code)."""
    with pytest.raises(DomainError) as exc:
        yield exc
    assert exc.value.messages == [message]
    if code is not None:
        assert exc.value.code == code


@pytest.fixture
def cw(users):
    return users["caseworker"]


@pytest.fixture
def walk(org, cw):
    def _walk(until, **kw):
        return walk_case(cw, make_citizen(org, caseworker=cw), org, until=until, **kw)

    return _walk


def _fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


# --- conditions and functioning levels -------------------------------------------------------


def test_level_required_on_activity_participation(walk, cw):
    a = walk("assessment")["assessment"]
    theme = ffb.branch(ffb.ACTIVITY_PARTICIPATION, leaves_only=True).exclude(pk=ad_theme().pk).first()
    with refused(f"Angiv funktionsevneniveau (0–4) for »{theme.display}« (Aktivitet og deltagelse).", "level_required"):
        services.set_condition(cw, a, theme=theme, functioning_level=None)
    assert not a.conditions.filter(theme=theme).exists()


def test_level_required_on_a_theme_group_within_activity_participation(walk, cw):
    a = walk("assessment")["assessment"]
    group = ffb.children(ffb.ACTIVITY_PARTICIPATION).first()  # e.g. Egenomsorg (not a leaf)
    with pytest.raises(DomainError) as exc:
        services.set_condition(cw, a, theme=group, functioning_level=None)
    assert exc.value.code == "level_required"
    assert services.set_condition(cw, a, theme=group, functioning_level=0).functioning_level == 0


def test_level_forbidden_outside_activity_participation(walk, cw):
    a = services.start_assessment(cw, walk("contacted")["case"])
    theme = other_theme()
    with refused(
        f"»{theme.display}« hører ikke under Aktivitet og deltagelse og skal ikke have et funktionsevneniveau.",
        "level_forbidden",
    ):
        services.set_condition(cw, a, theme=theme, functioning_level=2)
    assert not a.conditions.exists()
    # Level 0 is a level too.
    with pytest.raises(DomainError) as exc:
        services.set_condition(cw, a, theme=theme, functioning_level=0)
    assert exc.value.code == "level_forbidden"


@pytest.mark.parametrize("level", [0, 1, 2, 3, 4])
def test_levels_0_to_4_accepted(walk, cw, level):
    a = services.start_assessment(cw, walk("contacted")["case"])
    c = services.set_condition(cw, a, theme=ad_theme(), functioning_level=level)
    assert _fresh(c).functioning_level == level


@pytest.mark.parametrize("level", [-1, 5, 99])
def test_levels_outside_0_to_4_refused(walk, cw, level):
    a = services.start_assessment(cw, walk("contacted")["case"])
    with refused("Funktionsevneniveau skal være mellem 0 og 4.", "level_range"):
        services.set_condition(cw, a, theme=ad_theme(), functioning_level=level)
    assert not a.conditions.exists()


def test_database_refuses_level_5(walk):
    a = walk("assessment")["assessment"]
    theme = ffb.branch(ffb.ACTIVITY_PARTICIPATION, leaves_only=True).exclude(pk=ad_theme().pk).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Condition.objects.create(assessment=a, theme=theme, functioning_level=5)
    assert not Condition.objects.filter(assessment=a, theme=theme).exists()


def test_theme_outside_ffb_conditions_refused(walk, cw):
    a = services.start_assessment(cw, walk("contacted")["case"])
    service = ffb.branch(ffb.SERVICES, leaves_only=True).first()
    goal_type = ffb.children(ffb.GOAL_TYPES).first()
    for theme in (service, goal_type, ffb.root(ffb.CONDITIONS)):
        for level in (None, 2):
            with refused("Temaet skal være en FFB-tilstand.", "not_condition"):
                services.set_condition(cw, a, theme=theme, functioning_level=level)
    assert not a.conditions.exists()


def test_main_groups_of_conditions_are_not_themes(walk, cw):
    """'Aktivitet og deltagelse' itself is the branch, not a condition: it must not slip
    through as a theme without a functioning level."""
    a = services.start_assessment(cw, walk("contacted")["case"])
    for main_group in ffb.children(ffb.CONDITIONS):
        for level in (None, 2):
            with refused("Temaet skal være en FFB-tilstand.", "not_condition"):
                services.set_condition(cw, a, theme=main_group, functioning_level=level)
    assert not a.conditions.exists()


def test_setting_a_theme_again_is_refused_and_keeps_the_condition(walk, cw):
    out = walk("assessment")
    with refused(
        f"»{ad_theme().display}« er allerede registreret. Ret eller fjern den registrerede tilstand i stedet.",
        "duplicate_theme",
    ):
        services.set_condition(cw, out["assessment"], theme=ad_theme(), functioning_level=1, description="bedre")
    assert out["assessment"].conditions.filter(theme=ad_theme()).count() == 1
    assert _fresh(out["condition"]).functioning_level == 3


def test_completed_assessment_cannot_get_conditions(walk, cw):
    out = walk("awaiting_decision")
    with refused("En afsluttet udredning kan ikke ændres; lav en ny udredning.", "invalid_transition"):
        services.set_condition(cw, out["assessment"], theme=ad_theme(), functioning_level=0)
    assert _fresh(out["condition"]).functioning_level == 3


# --- intervention goals ----------------------------------------------------------------------


def _spec_with_goal(org, out, **goal_changes):
    spec = grant_spec(org, out["condition"])
    spec.goals = [dataclasses.replace(spec.goals[0], **goal_changes)]
    return spec


def test_goal_without_condition_refused(org, walk, cw):
    out = walk("granted")
    with refused("Et indsatsmål skal rette sig mod præcis én primær tilstand.", "goal_no_condition"):
        services.create_grant(cw, out["decision"], _spec_with_goal(org, out, condition=None))
    assert not Grant.objects.filter(case=out["case"]).exists()


def test_goal_on_non_activity_participation_condition_refused(org, walk, cw):
    out = walk("granted")
    non_ad = out["assessment"].conditions.get(theme=other_theme())
    with refused("Indsatsmålets primære tilstand skal høre under Aktivitet og deltagelse.", "goal_not_ad"):
        services.create_grant(cw, out["decision"], _spec_with_goal(org, out, condition=non_ad))
    assert not Grant.objects.filter(case=out["case"]).exists()


def test_goal_on_another_cases_condition_refused(org, walk, cw):
    out = walk("granted")
    foreign = walk("assessment")["condition"]
    assert foreign.functioning_level is not None  # an A&D condition, only the case is wrong
    with refused("Indsatsmålets tilstand skal komme fra sagens udredning.", "goal_foreign_condition"):
        services.create_grant(cw, out["decision"], _spec_with_goal(org, out, condition=foreign))
    assert not Grant.objects.filter(case=out["case"]).exists()


def test_goal_type_and_target_level_checked(org, walk, cw):
    out = walk("granted")
    with refused("Vælg en måltype.", "goal_type"):
        services.create_grant(cw, out["decision"], _spec_with_goal(org, out, goal_type=ffb.children(ffb.SUPPORT_NEED).first()))
    with refused("Målet for funktionsevneniveau skal være mellem 0 og 4.", "level_range"):
        services.create_grant(cw, out["decision"], _spec_with_goal(org, out, target_level=5))
    assert not Grant.objects.filter(case=out["case"]).exists()


def test_goal_is_stored_with_its_one_condition(walk):
    out = walk("grant")
    goal = out["grant"].goals.get()
    assert goal.condition_id == out["condition"].pk
    assert goal.target_level == 1


# --- target groups -----------------------------------------------------------------------------


def test_grant_needs_a_primary_target_group(org, walk, cw):
    out = walk("granted")
    spec = grant_spec(org, out["condition"])
    spec.primary_target_group = None
    with refused("Vælg præcis én primær målgruppe.") as exc:
        services.create_grant(cw, out["decision"], spec)
    assert [e.code for e in exc.value.error_list] == ["invalid_grant"]
    assert not Grant.objects.filter(case=out["case"]).exists()


def test_primary_target_group_cannot_also_be_secondary(org, walk, cw):
    out = walk("granted")
    spec = grant_spec(org, out["condition"])
    spec.secondary_target_groups = [spec.primary_target_group]
    with refused("Den primære målgruppe kan ikke også være sekundær."):
        services.create_grant(cw, out["decision"], spec)


def test_grant_has_exactly_one_primary_and_its_secondaries(org, walk, cw):
    out = walk("granted")
    spec = grant_spec(org, out["condition"])
    groups = list(ffb.branch(ffb.TARGET_GROUPS, leaves_only=True)[:3])
    spec.primary_target_group, spec.secondary_target_groups = groups[0], groups[1:]
    grant = services.create_grant(cw, out["decision"], spec)
    rows = list(grant.target_groups.values_list("target_group_id", "rank"))
    assert rows == [(groups[0].pk, 1), (groups[1].pk, 2), (groups[2].pk, 2)]


def test_database_allows_only_one_primary_target_group(walk):
    grant = walk("grant")["grant"]
    other = ffb.branch(ffb.TARGET_GROUPS, leaves_only=True).exclude(pk=grant.target_groups.get().target_group_id).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        GrantTargetGroup.objects.create(grant=grant, target_group=other, rank=GrantTargetGroup.Rank.PRIMARY)
    # A secondary one is fine.
    GrantTargetGroup.objects.create(grant=grant, target_group=other, rank=GrantTargetGroup.Rank.SECONDARY)
    assert grant.target_groups.filter(rank=1).count() == 1


@pytest.mark.parametrize(
    "change, message",
    [
        ({"services": []}, "Vælg mindst én ydelse."),
        ({"scope_amount": Decimal("0")}, "Omfanget skal være større end 0."),
        ({"end_date": timezone.localdate() - dt.timedelta(days=1)}, "Slutdatoen kan ikke ligge før startdatoen."),
    ],
)
def test_grant_fields_checked(org, walk, cw, change, message):
    out = walk("granted")
    spec = dataclasses.replace(grant_spec(org, out["condition"], start=timezone.localdate()), **change)
    with refused(message):
        services.create_grant(cw, out["decision"], spec)
    assert not Grant.objects.filter(case=out["case"]).exists()


def test_grant_offer_must_be_a_provider(org, walk, cw):
    out = walk("granted")
    spec = dataclasses.replace(grant_spec(org, out["condition"]), offer=org["authority"])
    with refused("Vælg et tilbud eller en leverandør."):
        services.create_grant(cw, out["decision"], spec)


def test_grant_services_must_be_ffb_services(org, walk, cw):
    out = walk("granted")
    spec = dataclasses.replace(grant_spec(org, out["condition"]), services=[ad_theme()])
    with refused("Ydelser skal vælges fra FFB's ydelseskatalog."):
        services.create_grant(cw, out["decision"], spec)


# --- refused transitions -------------------------------------------------------------------------


def test_first_contact_twice_refused(walk, cw):
    inquiry = walk("contacted")["inquiry"]
    first = _fresh(inquiry).first_contact_at
    with refused("Første kontakt er allerede registreret.", "invalid_transition"):
        services.record_first_contact(cw, inquiry, timezone.now())
    assert _fresh(inquiry).first_contact_at == first


def test_first_contact_before_received_refused(walk, cw):
    inquiry = walk("inquiry")["inquiry"]
    with refused("Første kontakt kan ikke ligge før henvendelsen blev modtaget.", "before_received"):
        services.record_first_contact(cw, inquiry, inquiry.received_at - dt.timedelta(minutes=1))
    assert _fresh(inquiry).first_contact_at is None


def test_first_contact_in_the_future_refused(walk, cw):
    inquiry = walk("inquiry")["inquiry"]
    with refused("Første kontakt kan ikke ligge i fremtiden.", "future"):
        services.record_first_contact(cw, inquiry, timezone.now() + dt.timedelta(hours=1))
    assert _fresh(inquiry).first_contact_at is None


def test_first_contact_at_the_moment_received_accepted(walk, cw):
    inquiry = walk("inquiry")["inquiry"]
    services.record_first_contact(cw, inquiry, inquiry.received_at)
    assert _fresh(inquiry).first_contact_at == inquiry.received_at


def test_inquiry_needs_a_reason_and_no_future(org, cw):
    citizen = make_citizen(org)
    with refused("Anledningen til henvendelsen skal beskrives.", "required"):
        services.register_inquiry(cw, citizen, source="citizen", reason="  ", received_at=timezone.now())
    with refused("Modtagelsestidspunktet kan ikke ligge i fremtiden.", "future"):
        services.register_inquiry(cw, citizen, source="citizen", reason="x", received_at=timezone.now() + dt.timedelta(hours=1))
    assert not Case.objects.filter(citizen=citizen).exists()


def test_case_numbers_run_within_the_municipality(org, walk):
    a, b = walk("inquiry")["case"], walk("inquiry")["case"]
    year = timezone.localdate().year
    assert a.case_number == f"{year}-00001"
    assert b.case_number == f"{year}-00002"


def test_start_assessment_before_first_contact_refused(walk, cw):
    case = walk("inquiry")["case"]
    with refused("Registrér første kontakt med borgeren, før udredningen begynder.", "no_first_contact"):
        services.start_assessment(cw, case)
    assert _fresh(case).status == Case.Status.INQUIRY
    assert not Assessment.objects.filter(case=case).exists()


def test_start_assessment_twice_refused(walk, cw):
    case = walk("assessment")["case"]
    with refused("Sagen er ikke i en fase, hvor en udredning kan begynde.", "invalid_transition"):
        services.start_assessment(cw, _fresh(case))
    assert Assessment.objects.filter(case=case).count() == 1


def test_complete_assessment_without_conditions_refused(walk, cw):
    case = walk("contacted")["case"]
    a = services.start_assessment(cw, case)
    with refused("Registrér mindst én tilstand, før udredningen afsluttes.", "no_conditions"):
        services.complete_assessment(cw, a, citizen_wishes="Bo selv", support_need=ffb.children(ffb.SUPPORT_NEED).first())
    assert _fresh(a).status == Assessment.Status.DRAFT
    assert _fresh(case).status == Case.Status.ASSESSMENT


@pytest.mark.parametrize("wishes", ["", "   \n"])
def test_complete_assessment_without_wishes_refused(walk, cw, wishes):
    out = walk("assessment")
    with refused("Skriv borgerens ønsker for fremtiden med borgerens egne ord.", "no_wishes"):
        services.complete_assessment(
            cw, out["assessment"], citizen_wishes=wishes, support_need=ffb.children(ffb.SUPPORT_NEED).first()
        )
    assert _fresh(out["assessment"]).status == Assessment.Status.DRAFT
    assert _fresh(out["case"]).status == Case.Status.ASSESSMENT


def test_complete_assessment_needs_a_support_need(walk, cw):
    out = walk("assessment")
    with refused("Vælg borgerens støttebehov.", "no_support_need"):
        services.complete_assessment(cw, out["assessment"], citizen_wishes="Bo selv", support_need=ad_theme())
    with refused("Vælg borgerens støttebehov.", "no_support_need"):
        services.complete_assessment(cw, out["assessment"], citizen_wishes="Bo selv", support_need=None)


def test_complete_assessment_twice_refused(walk, cw):
    out = walk("awaiting_decision")
    with refused("Udredningen er allerede afsluttet.", "invalid_transition"):
        services.complete_assessment(
            cw, out["assessment"], citizen_wishes="x", support_need=ffb.children(ffb.SUPPORT_NEED).first()
        )


def test_decision_before_assessment_complete_refused(walk, cw):
    out = walk("assessment")
    with refused("Der kan kun træffes afgørelse, når udredningen er afsluttet.", "invalid_transition"):
        services.make_decision(
            cw,
            _fresh(out["case"]),
            outcome=Decision.Outcome.GRANTED,
            legal_basis="§85",
            justification="x",
            decided_at=timezone.localdate(),
        )
    assert not Decision.objects.filter(case=out["case"]).exists()


def test_decision_needs_a_justification(walk, cw):
    out = walk("awaiting_decision")
    with refused("Afgørelsen skal begrundes.", "required"):
        services.make_decision(
            cw,
            _fresh(out["case"]),
            outcome=Decision.Outcome.GRANTED,
            legal_basis="§85",
            justification=" ",
            decided_at=timezone.localdate(),
        )
    assert _fresh(out["case"]).status == Case.Status.AWAITING_DECISION


def test_create_grant_on_refused_decision_refused(org, walk, cw):
    out = walk("awaiting_decision")
    decision = services.make_decision(
        cw,
        _fresh(out["case"]),
        outcome=Decision.Outcome.REFUSED,
        legal_basis="§85",
        justification="Ikke behov",
        decided_at=timezone.localdate(),
        consultation_not_needed_reason="Borgeren kender oplysningerne",
    )
    assert _fresh(out["case"]).status == Case.Status.REFUSED
    with refused("Der kan kun oprettes en bevilling på en afgørelse om bevilling.", "invalid_transition"):
        services.create_grant(cw, decision, grant_spec(org, out["condition"]))
    assert not Grant.objects.filter(case=out["case"]).exists()


def test_change_superseded_grant_refused(org, walk, cw):
    out = walk("grant")
    v1 = out["grant"]
    services.change_grant(cw, v1, dataclasses.replace(grant_spec(org, out["condition"]), change_reason="Mere støtte"))
    with refused("Kun en aktiv bevilling eller en bevilling sendt retur kan ændres.", "invalid_transition"):
        services.change_grant(cw, v1, dataclasses.replace(grant_spec(org, out["condition"]), change_reason="Igen"))
    assert Grant.objects.filter(case=out["case"]).count() == 2


def test_change_grant_needs_a_reason(org, walk, cw):
    out = walk("grant")
    with refused("Skriv årsagen til ændringen.", "required"):
        services.change_grant(cw, out["grant"], grant_spec(org, out["condition"]))
    assert _fresh(out["grant"]).status == Grant.Status.ACTIVE


def test_create_order_on_ended_grant_refused(walk, cw):
    out = walk("grant")
    services.end_grant(cw, out["grant"], on=timezone.localdate())
    with refused("Der kan kun bestilles på en aktiv bevilling.", "invalid_transition"):
        services.create_order(cw, _fresh(out["grant"]), purpose="x", goals="y")
    assert not Order.objects.filter(grant=out["grant"]).exists()


def test_order_needs_purpose_and_goals(walk, cw):
    grant = walk("grant")["grant"]
    for purpose, goals in (("", "y"), ("x", " ")):
        with refused("Bestillingen skal have et formål og konkrete mål.", "required"):
            services.create_order(cw, grant, purpose=purpose, goals=goals)
    assert not Order.objects.filter(grant=grant).exists()


@pytest.mark.parametrize("until", ["order", "accepted"])
def test_second_active_order_refused(walk, cw, until):
    out = walk(until)
    with refused("Der er allerede en aktiv bestilling på bevillingen.", "duplicate"):
        services.create_order(cw, out["grant"], purpose="Igen", goals="Igen")
    assert Order.objects.filter(grant=out["grant"]).count() == 1


def test_accept_order_twice_refused(walk, cw):
    out = walk("accepted")
    accepted_at = _fresh(out["order"]).accepted_at
    with refused("Bestillingen er allerede modtaget eller afsluttet.", "invalid_transition"):
        services.accept_order(cw, _fresh(out["order"]))
    assert _fresh(out["order"]).accepted_at == accepted_at


def test_complete_follow_up_twice_refused(walk, cw):
    out = walk("grant")
    fu = out["grant"].follow_ups.get()
    services.complete_follow_up(cw, fu, result=FollowUp.Result.CONTINUE, done_at=timezone.localdate())
    with refused("Opfølgningen er allerede gennemført eller annulleret.", "invalid_transition"):
        services.complete_follow_up(cw, fu, result=FollowUp.Result.END, done_at=timezone.localdate())
    assert _fresh(out["grant"]).status == Grant.Status.ACTIVE
    assert _fresh(fu).result == FollowUp.Result.CONTINUE


def test_follow_up_done_in_the_future_refused(walk, cw):
    out = walk("grant")
    fu = out["grant"].follow_ups.get()
    with refused("En opfølgning kan ikke registreres som gennemført i fremtiden.", "future"):
        services.complete_follow_up(cw, fu, result=FollowUp.Result.CONTINUE, done_at=timezone.localdate() + dt.timedelta(days=1))
    assert _fresh(fu).status == FollowUp.Status.PLANNED
    assert out["grant"].follow_ups.count() == 1


def test_follow_up_needs_a_valid_result(walk, cw):
    fu = walk("grant")["grant"].follow_ups.get()
    with refused("Vælg resultatet af opfølgningen.", "required"):
        services.complete_follow_up(cw, fu, result="maybe", done_at=timezone.localdate())
    with refused("Angiv den ændrede bevilling.", "required"):
        services.complete_follow_up(cw, fu, result=FollowUp.Result.CHANGE, done_at=timezone.localdate())
    assert _fresh(fu).status == FollowUp.Status.PLANNED


def test_refused_transition_leaves_no_audit_rows(walk, cw):
    inquiry = walk("contacted")["inquiry"]
    before = AuditEvent.objects.count()
    with pytest.raises(DomainError):
        services.record_first_contact(cw, inquiry, timezone.now())
    assert AuditEvent.objects.count() == before


def test_failed_change_at_follow_up_rolls_back_the_follow_up(org, walk, cw):
    """CHANGE with an invalid grant spec must not leave the follow-up marked done."""
    out = walk("grant")
    fu = out["grant"].follow_ups.get()
    bad = dataclasses.replace(grant_spec(org, out["condition"]), change_reason="")
    before = AuditEvent.objects.count()
    with refused("Skriv årsagen til ændringen."):
        services.complete_follow_up(cw, fu, result=FollowUp.Result.CHANGE, done_at=timezone.localdate(), change=bad)
    assert _fresh(fu).status == FollowUp.Status.PLANNED
    assert _fresh(out["grant"]).status == Grant.Status.ACTIVE
    assert AuditEvent.objects.count() == before


# --- decisions and appeal -------------------------------------------------------------------------


@pytest.mark.parametrize("basis", ["§82a", "§82c", "§82d"])
def test_82_acd_decision_has_no_appeal(walk, cw, basis):
    out = walk("awaiting_decision")
    d = services.make_decision(
        cw,
        _fresh(out["case"]),
        outcome=Decision.Outcome.GRANTED,
        legal_basis=basis,
        justification="Gruppeforløb",
        decided_at=dt.date(2026, 3, 2),
    )
    d = _fresh(d)
    assert d.appeal_deadline is None
    assert d.appeal_guidance == services.NO_APPEAL_TEXT
    assert "ikke klageadgang" in d.appeal_guidance


@pytest.mark.parametrize(
    "decided, deadline",
    [
        (dt.date(2026, 3, 2), dt.date(2026, 3, 30)),
        (dt.date(2025, 12, 20), dt.date(2026, 1, 17)),
        (dt.date(2024, 2, 10), dt.date(2024, 3, 9)),
    ],
)
def test_85_decision_has_4_week_appeal_deadline(walk, cw, decided, deadline):
    out = walk("awaiting_decision")
    d = services.make_decision(
        cw,
        _fresh(out["case"]),
        outcome=Decision.Outcome.GRANTED,
        legal_basis="§85",
        justification="Behov",
        decided_at=decided,
    )
    d = _fresh(d)
    assert d.appeal_deadline == deadline == decided + dt.timedelta(days=28)
    assert "Ankestyrelsen" in d.appeal_guidance
    assert deadline.strftime("%d.%m.%Y") in d.appeal_guidance
    assert d.assessment_id == out["assessment"].pk
    assert _fresh(out["case"]).status == Case.Status.GRANTED


def test_refusal_also_gets_appeal_guidance(walk, cw):
    out = walk("awaiting_decision")
    d = services.make_decision(
        cw,
        _fresh(out["case"]),
        outcome=Decision.Outcome.REFUSED,
        legal_basis="§85",
        justification="Ikke behov",
        decided_at=dt.date(2026, 3, 2),
        consultation_not_needed_reason="Borgeren kender oplysningerne",
    )
    assert _fresh(d).appeal_deadline == dt.date(2026, 3, 30)


# --- history: a changed grant is a new version --------------------------------------------------


def test_change_grant_keeps_history(org, walk, cw):
    out = walk("order")
    v1 = _fresh(out["grant"])
    original = {
        "scope_amount": v1.scope_amount,
        "start_date": v1.start_date,
        "legal_basis": v1.legal_basis,
        "offer_id": v1.offer_id,
        "version": 1,
        "previous_id": None,
    }
    v1_target_groups = list(v1.target_groups.values_list("target_group_id", "rank"))
    v1_goals = list(v1.goals.values_list("condition_id", "target_level"))
    new_start = timezone.localdate() + dt.timedelta(days=7)
    spec = dataclasses.replace(
        grant_spec(org, out["condition"], start=new_start, amount="35"),
        offer=org["other_provider"],
        change_reason="Mere støtte",
    )
    v2 = services.change_grant(cw, v1, spec)

    v2 = _fresh(v2)
    assert v2.version == 2
    assert v2.previous_id == v1.pk
    assert v2.status == Grant.Status.ACTIVE
    assert (v2.scope_amount, v2.start_date, v2.offer_id, v2.change_reason) == (
        Decimal("35"),
        new_start,
        org["other_provider"].pk,
        "Mere støtte",
    )
    assert v2.case_id == v1.case_id and v2.decision_id == v1.decision_id

    old = _fresh(v1)
    assert old.status == Grant.Status.SUPERSEDED
    assert {k: getattr(old, k) for k in original} == original
    assert list(old.target_groups.values_list("target_group_id", "rank")) == v1_target_groups
    assert list(old.goals.values_list("condition_id", "target_level")) == v1_goals
    assert old.next_version == v2
    assert Grant.objects.filter(case=out["case"]).count() == 2

    # The active order follows the grant to the new version.
    assert _fresh(out["order"]).grant_id == v2.pk


def test_change_grant_twice_chains_versions(org, walk, cw):
    out = walk("grant")
    spec = dataclasses.replace(grant_spec(org, out["condition"]), change_reason="Ændring")
    v2 = services.change_grant(cw, out["grant"], spec)
    v3 = services.change_grant(cw, v2, spec)
    assert (v3.version, v3.previous_id, _fresh(v2).status) == (3, v2.pk, Grant.Status.SUPERSEDED)
    assert list(Grant.objects.filter(case=out["case"], status=Grant.Status.ACTIVE)) == [v3]


# --- ending ------------------------------------------------------------------------------------------


def test_end_grant_ends_orders_and_closes_case(walk, cw):
    out = walk("accepted")
    on = timezone.localdate()
    services.end_grant(cw, out["grant"], on=on)
    grant, order, case = _fresh(out["grant"]), _fresh(out["order"]), _fresh(out["case"])
    assert (grant.status, grant.ended_at) == (Grant.Status.ENDED, on)
    assert order.status == Order.Status.ENDED and order.ended_at is not None
    assert case.status == Case.Status.CLOSED and case.closed_at is not None


def test_case_stays_open_while_another_grant_is_active(org, walk, cw):
    out = walk("grant")
    spec = grant_spec(org, out["condition"])
    # Another service: one decision has one active grant per service (issue 11, point 5).
    spec.services = [ffb.branch(ffb.SERVICES, leaves_only=True)[1]]
    second = services.create_grant(cw, out["decision"], spec)
    services.end_grant(cw, out["grant"], on=timezone.localdate())
    case = _fresh(out["case"])
    assert case.status == Case.Status.GRANTED and case.closed_at is None
    services.end_grant(cw, second, on=timezone.localdate())
    assert _fresh(out["case"]).status == Case.Status.CLOSED


def test_end_grant_twice_refused(walk, cw):
    out = walk("grant")
    services.end_grant(cw, out["grant"], on=timezone.localdate())
    with refused("Bevillingen er ikke aktiv.", "invalid_transition"):
        services.end_grant(cw, _fresh(out["grant"]), on=timezone.localdate())


def test_follow_up_before_the_grant_starts_refused(walk, cw):
    start = timezone.localdate() - dt.timedelta(days=10)
    fu = walk("grant", start=start)["grant"].follow_ups.get()
    with refused("En opfølgning kan ikke ligge før indsatsen er startet.", "before_start"):
        services.complete_follow_up(cw, fu, result=FollowUp.Result.CONTINUE, done_at=start - dt.timedelta(days=1))
    assert _fresh(fu).status == FollowUp.Status.PLANNED


def test_decision_needs_a_valid_outcome_basis_and_no_future_date(walk, cw):
    case = walk("awaiting_decision")["case"]
    today = timezone.localdate()
    with refused("Vælg, om ydelsen bevilges eller afslås.", "required"):
        services.make_decision(cw, case, outcome="maybe", legal_basis="§85", justification="x", decided_at=today)
    with refused("Vælg et gyldigt lovgrundlag.", "legal_basis"):
        services.make_decision(cw, case, outcome="granted", legal_basis="§999", justification="x", decided_at=today)
    with refused("Afgørelsesdatoen kan ikke ligge i fremtiden.", "future"):
        services.make_decision(
            cw, case, outcome="granted", legal_basis="§85", justification="x", decided_at=today + dt.timedelta(days=1)
        )
    assert _fresh(case).status == Case.Status.AWAITING_DECISION


def test_grant_offer_must_belong_to_the_citizens_municipality(walk, cw, org):
    out = walk("granted")
    spec = grant_spec(org, out["condition"])
    spec.offer = make_org(code="0159", name="Gladsaxe Kommune")["provider"]
    with pytest.raises(DomainError) as exc:
        services.create_grant(cw, out["decision"], spec)
    assert "Tilbuddet skal høre til borgerens kommune." in exc.value.messages
    assert not Grant.objects.filter(case=out["case"]).exists()
