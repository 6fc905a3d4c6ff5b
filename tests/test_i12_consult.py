"""Partshøring (issue 12 point 4, forvaltningsloven § 19): a refusal or a partial grant rests
on a sent consultation whose deadline has passed or which was answered, or says why none was
needed; the citizen answers on Min side, an answer by letter becomes a journal note."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samplan.cases import consultations
from samplan.cases import services as case_services
from samplan.cases.models import Case, Consultation, ConsultationAnswer, Decision
from samplan.core import policy
from samplan.core.errors import DomainError
from samplan.core.models import AuditEvent, Role
from samplan.journal.models import JournalNote
from samplan.letters import services as letter_services
from samplan.letters.models import Kind, Letter
from tests.factories import PASSWORD, make_citizen, make_user, walk_case

TODAY = timezone.localdate


def client_for(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def cw(users):
    return users[Role.CASEWORKER]


@pytest.fixture
def citizen(org, users, cw):
    return make_citizen(org, caseworker=cw, user=users[Role.CITIZEN], coordinator=users[Role.COORDINATOR])


@pytest.fixture
def case(org, cw, citizen):
    return walk_case(cw, citizen, org, until="awaiting_decision")["case"]


@pytest.fixture
def send(cw, settings, tmp_path, django_capture_on_commit_callbacks):
    """Start a consultation and send its letter through the outbox backend."""
    settings.SAMPLAN_LETTER_BACKEND = "outbox"
    settings.SAMPLAN_LETTER_OUTBOX = str(tmp_path / "outbox")

    def run(case, *, deadline=None, facts="Du har selv fortalt, at du handler ind hver uge.") -> Consultation:
        letter = letter_services.start_consultation(cw, case, facts=facts, response_deadline=deadline or TODAY())
        with django_capture_on_commit_callbacks(execute=True):
            letter_services.approve_and_send(cw, letter, expected_version=letter.row_version)
        letter.refresh_from_db()
        assert letter.status == Letter.Status.SENT
        return Consultation.objects.get(pk=letter.consultation_id)

    return run


def decide(cw, case, outcome=Decision.Outcome.REFUSED, **kw) -> Decision:
    return case_services.make_decision(
        cw,
        Case.objects.get(pk=case.pk),
        outcome=outcome,
        legal_basis="§85",
        justification="Behovet kan dækkes på anden måde",
        decided_at=TODAY(),
        **kw,
    )


# --- The rule in make_decision ------------------------------------------------------------


def test_refusal_without_consultation_is_refused_in_danish(cw, case):
    with pytest.raises(DomainError, match="kræver partshøring") as e:
        decide(cw, case)
    assert e.value.code == "consultation_required"
    assert not Decision.objects.filter(case=case).exists()


def test_refusal_with_a_not_needed_reason_is_saved(cw, case):
    d = decide(cw, case, consultation_not_needed_reason="Borgeren kender oplysningerne")
    assert d.outcome == Decision.Outcome.REFUSED and d.consultation_not_needed_reason == "Borgeren kender oplysningerne"


def test_open_consultation_refuses_until_the_citizen_answers(cw, case, send, users):
    c = send(case, deadline=TODAY() + dt.timedelta(days=14))
    with pytest.raises(DomainError, match="svarfrist i partshøringen er ikke udløbet"):
        decide(cw, case, consultation=c)
    consultations.answer_on_min_side(users[Role.CITIZEN], c, text="Jeg handler kun ind med hjælp.")
    d = decide(cw, case, consultation=c)
    assert d.consultation == c


def test_consultation_past_its_deadline_suffices(cw, case, send, django_capture_on_commit_callbacks):
    letter = letter_services.start_consultation(cw, case, facts="Fakta", response_deadline=TODAY())
    # Time has passed since the draft was made (a sent consultation cannot be changed any more).
    Consultation.objects.filter(pk=letter.consultation_id).update(response_deadline=TODAY() - dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        letter_services.approve_and_send(cw, letter, expected_version=letter.row_version)
    c = Consultation.objects.get(pk=letter.consultation_id)
    assert c.is_sent
    assert decide(cw, case, consultation=c).consultation_id == c.pk


def test_unsent_consultation_is_refused(cw, case):
    letter = letter_services.start_consultation(cw, case, facts="Fakta", response_deadline=TODAY())
    c = Consultation.objects.get(pk=letter.consultation_id)
    with pytest.raises(DomainError, match="ikke sendt"):
        decide(cw, case, consultation_not_needed_reason="", consultation=c)


def test_partial_grant_needs_consultation_too(cw, case, send, users):
    with pytest.raises(DomainError, match="kræver partshøring"):
        decide(cw, case, Decision.Outcome.GRANTED, partial=True)
    c = send(case, deadline=TODAY() + dt.timedelta(days=3))
    with pytest.raises(DomainError, match="ikke udløbet"):
        decide(cw, case, Decision.Outcome.GRANTED, partial=True, consultation=c)
    consultations.answer_on_min_side(users[Role.CITIZEN], c, text="Ok")
    d = decide(cw, case, Decision.Outcome.GRANTED, partial=True, consultation=c)
    assert d.partial is True


def test_full_grant_needs_none(cw, case):
    d = decide(cw, case, Decision.Outcome.GRANTED)
    assert d.partial is False and d.consultation is None


def test_deadline_in_the_past_and_empty_facts_refused(cw, case):
    with pytest.raises(DomainError) as e:
        consultations.start_consultation(cw, case, facts="x", response_deadline=TODAY() - dt.timedelta(days=1))
    assert e.value.message_dict == {"response_deadline": [consultations.DEADLINE_PAST]}
    with pytest.raises(DomainError) as e:
        consultations.start_consultation(cw, case, facts=" ", response_deadline=TODAY())
    assert "facts" in e.value.message_dict


def test_consultation_counts_as_sent_only_when_the_letter_is_delivered(cw, case, send):
    letter = letter_services.start_consultation(cw, case, facts="Fakta", response_deadline=TODAY())
    c = Consultation.objects.get(pk=letter.consultation_id)
    assert not c.is_sent and letter.kind == Kind.CONSULTATION
    assert "Fakta" in letter.body and "Svar senest" in letter.body
    sent = send(case)
    assert sent.is_sent
    sent.facts = "Ændret"
    with pytest.raises(PermissionError):
        sent.save()


def test_letter_kinds_follow_partial(cw, case):
    d = decide(cw, case, Decision.Outcome.GRANTED)
    kinds = letter_services.kinds_for(Case.objects.get(pk=case.pk))
    assert Kind.GRANT in kinds and Kind.PARTIAL_GRANT not in kinds
    Decision.objects.filter(pk=d.pk).update(partial=True)
    kinds = letter_services.kinds_for(Case.objects.get(pk=case.pk))
    assert Kind.PARTIAL_GRANT in kinds and Kind.GRANT not in kinds


# --- Pages ----------------------------------------------------------------------------------


def test_decision_form_refuses_a_refusal_and_keeps_what_was_typed(cw, case):
    url = reverse("decision-create", args=[case.pk])
    form = {"outcome": "refused", "legal_basis": "§85", "justification": "Min egen begrundelse", "decided_at": TODAY()}
    response = client_for(cw).post(url, form)
    html = response.content.decode()
    assert response.status_code == 400
    assert "kræver partshøring" in html and "Min egen begrundelse" in html
    response = client_for(cw).post(url, form | {"not_needed": "known"})
    assert response.status_code == 302
    d = Decision.objects.get(case=case)
    assert d.consultation_not_needed_reason.startswith("Borgeren kender oplysningerne")
    page = client_for(cw).get(reverse("case-detail", args=[case.pk])).content.decode()
    assert "ikke nødvendig – Borgeren kender oplysningerne" in page


def test_other_reason_needs_words(cw, case):
    url = reverse("decision-create", args=[case.pk])
    form = {"outcome": "refused", "legal_basis": "§85", "justification": "x", "decided_at": TODAY(), "not_needed": "other"}
    assert client_for(cw).post(url, form).status_code == 400
    assert client_for(cw).post(url, form | {"not_needed_detail": "Akut"}).status_code == 302
    assert Decision.objects.get(case=case).consultation_not_needed_reason == "Akut"


def test_decision_form_lists_and_accepts_an_answered_consultation(cw, case, send, users):
    c = send(case, deadline=TODAY() + dt.timedelta(days=14))
    url = reverse("decision-create", args=[case.pk])
    html = client_for(cw).get(url).content.decode()
    assert 'id="decision-consultations"' in html and "Afventer svar" in html
    consultations.answer_on_min_side(users[Role.CITIZEN], c, text="Svar")
    form = {"outcome": "refused", "legal_basis": "§85", "justification": "x", "decided_at": TODAY(), "consultation": c.pk}
    assert client_for(cw).post(url, form).status_code == 302
    page = client_for(cw).get(reverse("case-detail", args=[case.pk])).content.decode()
    assert "Partshøring" in page and "svar modtaget" in page


def test_create_page_makes_the_draft_and_goes_to_the_letter(cw, case):
    url = reverse("consultation-create", args=[case.pk])
    assert client_for(cw).get(url).status_code == 200
    past = client_for(cw).post(url, {"facts": "Fakta", "response_deadline": TODAY() - dt.timedelta(days=1)})
    assert past.status_code == 400 and consultations.DEADLINE_PAST in past.content.decode()
    response = client_for(cw).post(url, {"facts": "Fakta", "response_deadline": TODAY() + dt.timedelta(days=14)})
    letter = Letter.objects.get(consultation__case=case)
    assert response.status_code == 302 and response["Location"] == reverse("letter-detail", args=[letter.pk])


def test_letter_answer_creates_a_journal_note(cw, case, send):
    c = send(case)
    url = reverse("consultation-letter-answer", args=[c.pk])
    response = client_for(cw).post(url, {"text": "Jeg er uenig i vurderingen.", "received_on": TODAY()})
    assert response.status_code == 302
    answer = ConsultationAnswer.objects.get(consultation=c)
    assert answer.channel == ConsultationAnswer.Channel.LETTER
    note = JournalNote.objects.get(pk=answer.note_id)
    assert note.kind == JournalNote.Kind.LETTER and note.text == "Jeg er uenig i vurderingen." and note.case_id == case.pk
    detail = client_for(cw).get(reverse("consultation-detail", args=[c.pk])).content.decode()
    assert "Jeg er uenig i vurderingen." in detail


def test_citizen_answers_on_min_side_twice(users, case, send):
    c = send(case, deadline=TODAY() + dt.timedelta(days=14))
    citizen_client = client_for(users[Role.CITIZEN])
    listing = citizen_client.get(reverse("my-consultations"))
    assert listing.status_code == 200 and "Du har selv fortalt" in listing.content.decode()
    assert AuditEvent.objects.filter(
        citizen_id_ref=c.citizen_id, object_type="cases.Consultation", action="read", user_id_ref=users[Role.CITIZEN].pk
    ).exists()
    landing = citizen_client.get(reverse("my-page")).content.decode()
    assert 'id="consultations-heading"' in landing
    url = reverse("my-consultation-answer", args=[c.pk])
    assert citizen_client.post(url, {"text": ""}).status_code == 400
    assert citizen_client.post(url, {"text": "Første svar"}).status_code == 302
    assert citizen_client.post(url, {"text": "Andet svar"}).status_code == 302
    assert list(c.answers.values_list("text", "channel")) == [("Første svar", "min_side"), ("Andet svar", "min_side")]


def test_citizen_cannot_reach_a_draft_or_another_citizens_consultation(org, users, cw, case, send):
    draft = Consultation.objects.get(
        pk=letter_services.start_consultation(cw, case, facts="F", response_deadline=TODAY()).consultation_id
    )
    citizen_client = client_for(users[Role.CITIZEN])
    assert citizen_client.get(reverse("my-consultation-answer", args=[draft.pk])).status_code == 404
    other_user = make_user(Role.CITIZEN, org)
    sent = send(case)
    other_client = client_for(other_user)
    make_citizen(org, user=other_user)
    assert other_client.get(reverse("my-consultation-answer", args=[sent.pk])).status_code == 404
    assert "Du har selv fortalt" not in other_client.get(reverse("my-consultations")).content.decode()


# --- Policy rows ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "view", "send_", "answer"),
    [
        ("caseworker", 200, 200, 403),
        ("other_unit_caseworker", 404, 404, 404),
        ("coordinator", 200, 403, 403),
        ("provider", 404, 404, 404),
        ("manager", 404, 404, 404),
        ("citizen", 200, 403, 200),
        ("other_citizen", 404, 404, 404),
    ],
)
def test_policy_matrix(org, users, case, send, who, view, send_, answer):
    c = send(case)
    walk_case(users[Role.CASEWORKER], c.citizen, org, until="order")  # the provider has an active order
    user = {
        "caseworker": users[Role.CASEWORKER],
        "other_unit_caseworker": make_user(Role.CASEWORKER, org, unit=org["other_team"]),
        "coordinator": users[Role.COORDINATOR],
        "provider": users[Role.PROVIDER_STAFF],
        "manager": users[Role.MANAGER],
        "citizen": users[Role.CITIZEN],
        "other_citizen": make_user(Role.CITIZEN, org),
    }[who]
    if who == "other_citizen":
        make_citizen(org, user=user)
    assert policy.decide(user, policy.CONSULTATION_VIEW, c).status == view
    assert policy.decide(user, policy.CONSULTATION_SEND, c).status == send_
    assert policy.decide(user, policy.CONSULTATION_ANSWER, c).status == answer


def test_staff_detail_page_is_audited_and_hidden_from_the_provider(users, org, case, send):
    c = send(case)
    walk_case(users[Role.CASEWORKER], c.citizen, org, until="order")
    before = AuditEvent.objects.filter(object_type="cases.Consultation", action="read", citizen_id_ref=c.citizen_id).count()
    assert client_for(users[Role.COORDINATOR]).get(reverse("consultation-detail", args=[c.pk])).status_code == 200
    after = AuditEvent.objects.filter(object_type="cases.Consultation", action="read", citizen_id_ref=c.citizen_id).count()
    assert after == before + 1
    assert client_for(users[Role.PROVIDER_STAFF]).get(reverse("consultation-detail", args=[c.pk])).status_code == 404
