"""The partshøring in the inbox: delivery gives the caseworker a task on the response
deadline, the citizen's answer on Min side notifies the caseworker and closes the task, and
a decision closes what is left."""

import datetime as dt

import pytest
from django.utils import timezone

from samplan.cases import consultations, services
from samplan.cases.models import Decision
from samplan.core.models import Role
from samplan.inbox.models import Notification, Task
from tests.factories import make_citizen, walk_case

pytestmark = pytest.mark.django_db


def _sent(org, users):
    cw = users[Role.CASEWORKER]
    citizen = make_citizen(org, caseworker=cw, user=users[Role.CITIZEN])
    case = walk_case(cw, citizen, org, until="awaiting_decision")["case"]
    deadline = timezone.localdate() + dt.timedelta(days=14)
    consultation = consultations.start_consultation(cw, case, facts="Fakta", response_deadline=deadline)
    consultation = consultations.mark_sent(consultation.pk, timezone.now())
    return cw, citizen, case, consultation


def test_delivery_makes_one_deadline_task(org, users):
    cw, citizen, case, consultation = _sent(org, users)
    consultations.mark_sent(consultation.pk, timezone.now())  # a second delivery receipt changes nothing
    task = Task.objects.get(kind=Task.Kind.CONSULTATION_DEADLINE)
    assert (task.owner, task.due, task.citizen, task.status) == (cw, consultation.response_deadline, citizen, Task.Status.OPEN)


def test_the_citizens_answer_notifies_the_caseworker_and_closes_the_task(org, users):
    cw, citizen, case, consultation = _sent(org, users)
    consultations.answer_on_min_side(users[Role.CITIZEN], consultation, text="Jeg er uenig.")
    note = Notification.objects.get(recipient=cw, kind=Notification.Kind.CONSULTATION_ANSWERED)
    assert note.url == f"/partshoeringer/{consultation.pk}/" and "Jeg er uenig" not in note.text
    assert Task.objects.get(kind=Task.Kind.CONSULTATION_DEADLINE).status == Task.Status.DONE


def test_an_answer_the_caseworker_registers_is_no_news_to_them(org, users):
    cw, citizen, case, consultation = _sent(org, users)
    consultations.register_letter_answer(cw, consultation, text="Brev", received_on=timezone.localdate())
    assert not Notification.objects.filter(kind=Notification.Kind.CONSULTATION_ANSWERED).exists()


def test_a_decision_closes_the_open_deadline_task(org, users):
    cw, citizen, case, consultation = _sent(org, users)
    services.make_decision(
        cw,
        case,
        outcome=Decision.Outcome.GRANTED,
        legal_basis="§85",
        justification="Fuld bevilling",
        decided_at=timezone.localdate(),
    )
    assert Task.objects.get(kind=Task.Kind.CONSULTATION_DEADLINE).status == Task.Status.DONE
