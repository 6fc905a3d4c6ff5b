"""manage.py seed_demo: the demo municipality, users, fictional citizens and cases."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from samplan.cases.models import Assessment, Case, Decision, FollowUp, Grant, Inquiry, Order
from samplan.citizens.cpr import parse_cpr
from samplan.citizens.models import Citizen, NetworkMember
from samplan.core import policy
from samplan.core.models import AuditEvent, OrgUnit, Role, User
from samplan.demo import generator

pytestmark = pytest.mark.django_db


def seed(**kw):
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **kw)
    return out.getvalue()


def counts():
    return {
        m.__name__: m.objects.count()
        for m in (Citizen, Case, Inquiry, Assessment, Decision, Grant, Order, FollowUp, User, OrgUnit, NetworkMember, AuditEvent)
    }


def test_seed_demo_builds_a_complete_demo():
    output = seed(seed=1)
    today, now = timezone.localdate(), timezone.now()

    ltk = Citizen.objects.filter(municipality__code="0173")
    assert ltk.count() >= 60
    assert Citizen.objects.filter(municipality__code="0159").exists()  # a second tenant

    # Every CPR number is a valid erstatningspersonnummer (day + 60) matching the birth date.
    for c in Citizen.objects.all():
        info = parse_cpr(c.cpr)
        assert c.is_substitute_cpr and info.substitute
        assert 61 <= int(c.cpr[:2]) <= 91
        assert info.birth_date == c.birth_date
        assert c.postcode and c.address and c.phone

    # Every stage of the case flow is present, created through the services.
    assert set(Case.objects.values_list("status", flat=True)) == set(Case.Status.values)
    assert FollowUp.objects.filter(status=FollowUp.Status.PLANNED, due_date__lt=today).exists()
    assert FollowUp.objects.filter(
        status=FollowUp.Status.PLANNED, due_date__range=(today, today + dt.timedelta(days=30))
    ).exists()
    assert FollowUp.objects.filter(kind=FollowUp.Kind.YEARLY, status=FollowUp.Status.PLANNED).exists()
    assert Inquiry.objects.filter(first_contact_at__isnull=True, received_at__lt=now - dt.timedelta(days=7)).exists()
    assert Grant.objects.filter(version=2, previous__status=Grant.Status.SUPERSEDED).exists()
    assert Grant.objects.filter(status=Grant.Status.ENDED).exists()
    assert Grant.objects.filter(status=Grant.Status.ACTIVE, orders__isnull=True).exists()
    assert set(Order.objects.values_list("status", flat=True)) == set(Order.Status.values)
    assert Decision.objects.filter(outcome=Decision.Outcome.REFUSED).exists()
    # Issue 13: an appeal awaiting reconsideration, and the inbox and tasks as the daily job leaves them.
    from samplan.appeals.models import Appeal
    from samplan.inbox.models import Notification, Task

    assert Appeal.objects.filter(status=Appeal.Status.RECEIVED).count() == 1
    assert Task.objects.filter(kind=Task.Kind.APPEAL_RECONSIDERATION, status=Task.Status.OPEN).count() == 1
    assert Task.objects.filter(kind=Task.Kind.FOLLOW_UP_DUE, status=Task.Status.OPEN).exists()
    assert Notification.objects.filter(kind=Notification.Kind.ORDER_DECLINED).exists()
    assert Notification.objects.filter(kind=Notification.Kind.GRANT_ENDING).exists() or not Grant.objects.filter(
        status=Grant.Status.ACTIVE, end_date__lte=today + dt.timedelta(days=30)
    )
    bases = set(Decision.objects.filter(outcome=Decision.Outcome.GRANTED).values_list("legal_basis", flat=True))
    assert {"§85", "§104", "§108", "§82a"} <= bases
    no_appeal = Decision.objects.filter(legal_basis="§82a").first()
    assert no_appeal.appeal_deadline is None
    for grant in Grant.objects.all():
        assert grant.target_groups.filter(rank=1).count() == 1
        assert grant.services.exists()
        assert grant.offer.kind == OrgUnit.Kind.PROVIDER

    # The timeline is consistent and entirely in the past.
    for inquiry in Inquiry.objects.select_related("case"):
        assert inquiry.received_at <= now and inquiry.case.opened_at == inquiry.received_at
        if inquiry.first_contact_at:
            assert inquiry.received_at <= inquiry.first_contact_at <= now
    for a in Assessment.objects.select_related("case__inquiry"):
        assert a.case.inquiry.first_contact_at <= a.started_at <= now
        if a.completed_at:
            assert a.started_at <= a.completed_at <= now
    for d in Decision.objects.select_related("assessment"):
        assert d.assessment.completed_at.date() <= d.decided_at <= today
    for o in Order.objects.select_related("grant__decision"):
        assert o.grant.decision.created_at <= o.sent_at <= now
        if o.accepted_at:
            assert o.sent_at <= o.accepted_at <= now
    assert not FollowUp.objects.filter(done_at__gt=today).exists()

    # One user per role; the demo citizen and relative are linked.
    for role in Role.values:
        assert User.objects.filter(role=role).exists(), role
    borger = User.objects.get(username="borger")
    citizen = Citizen.objects.get(user=borger)
    assert citizen.orders.filter(provider__name="Slotsvænget", status=Order.Status.ACCEPTED).exists()
    assert NetworkMember.objects.filter(citizen=citizen, user__username="paaroerende").exists()
    relative = User.objects.get(username="paaroerende")
    # Consent to see the plan, and to be invited to the demo network meeting.
    assert policy.relative_may(relative, citizen, policy.SEE_PLAN) and policy.relative_may(relative, citizen, "invite")
    meeting = citizen.meetings.get()
    assert meeting.status == "scheduled" and meeting.cross_sector
    assert meeting.participants.filter(member__user=relative, invitation_status="invited").exists()
    assert citizen.network.filter(user__isnull=True).count() == 2
    assert User.objects.get(username="sagsbehandler").check_password(generator.DEFAULT_PASSWORD)

    # The access policy shows what the demo is for: team, provider and tenancy limits.
    cw, cw2 = User.objects.get(username="sagsbehandler"), User.objects.get(username="sagsbehandler2")
    assert ltk.filter(unit=cw2.unit).exists()
    assert not policy.citizens_for(cw).filter(unit=cw2.unit).exists()
    assert policy.citizens_for(cw).count() > 40
    assert citizen in policy.citizens_for(User.objects.get(username="leverandoer"))
    assert policy.citizens_for(User.objects.get(username="koordinator")).exists()
    assert set(policy.citizens_for(User.objects.get(username="gladsaxe")).values_list("municipality__code", flat=True)) == {
        "0159"
    }
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CREATE, object_type="cases.Case").count() == Case.objects.count()

    assert "http://127.0.0.1:8000/login/" in output
    for username in ("sagsbehandler", "visitation", "leverandoer", "koordinator", "leder", "admin", "borger", "paaroerende"):
        assert username in output
    assert generator.DEFAULT_PASSWORD in output


def test_if_empty_changes_nothing_and_a_second_plain_run_is_refused():
    seed(seed=3, citizens=20)
    before = counts()
    output = seed(if_empty=True)
    assert counts() == before
    assert "http://127.0.0.1:8000/login/" in output
    with pytest.raises(CommandError, match="allerede borgere"):
        seed(seed=3, citizens=20)
    assert counts() == before


def test_demo_password_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("SAMPLAN_DEMO_PASSWORD", "en-anden-demokode")
    output = seed(seed=2, citizens=17)
    assert User.objects.get(username="leder").check_password("en-anden-demokode")
    assert "en-anden-demokode" in output


def test_same_seed_gives_the_same_people():
    a = generator.generate_people(5, 64)
    b = generator.generate_people(5, 64)
    assert [(p.first_name, p.last_name, p.cpr) for p in a] == [(p.first_name, p.last_name, p.cpr) for p in b]
    assert a != generator.generate_people(6, 64)


def test_generated_cprs_are_unique_substitutes_with_the_right_century():
    people = generator.generate_people(11, 2000, taken={"0101010101"})
    assert len({p.cpr for p in people}) == 2000
    for p in people:
        info = parse_cpr(p.cpr)
        assert info.substitute and info.birth_date == p.birth_date
        assert int(p.cpr[9]) % 2 == (0 if p.female else 1)


def test_demo_shows_quality_standards_at_work():
    """Every new screen has something real: standards, a grant waiting for the committee,
    a justified grant above the service level, and case deadlines."""
    from samplan.core.models import Municipality
    from samplan.standards.models import QualityStandard

    seed(seed=1)
    ltk = Municipality.objects.get(code="0173")
    assert QualityStandard.objects.filter(municipality=ltk).count() == 11
    grants = Grant.objects.filter(case__municipality=ltk)
    assert grants.filter(status=Grant.Status.PENDING).exists()
    above = grants.get(service_level=Grant.ServiceLevel.ABOVE)
    assert above.deviation_justification and above.package == "P5" and above.reviews.filter(outcome="approved").exists()
    assert not grants.filter(standard_version__isnull=True).exclude(legal_basis__in=["§82a"]).exists()
    assert Inquiry.objects.filter(case__municipality=ltk, deadline__isnull=False).count() > 50
