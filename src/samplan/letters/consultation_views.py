"""Partshøring pages (forvaltningsloven § 19). Staff: start one from a case (facts and a
deadline → a letter draft on the letters' own preview/approve page), read one, register an
answer that came by letter. Min side: the citizen's sent consultations and their answer.

They live in letters because a consultation is sent as a letter (letters sits above cases)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from samplan.cases import consultations
from samplan.cases.models import Case, Consultation
from samplan.core import audit, policy
from samplan.core.steps import form_step
from samplan.portal.decorators import citizen_required

from . import services
from .consultation_forms import ConsultationForm, LetterAnswerForm, MyAnswerForm

CONSULTATIONS = Consultation.objects.select_related("case", "citizen", "created_by")


def _consultation(request, pk, action) -> Consultation:
    return policy.get_object(request.user, CONSULTATIONS, pk, action)


@login_required
@require_http_methods(["GET", "POST"])
def consultation_create(request, pk):
    case = policy.get_object(request.user, Case.objects.select_related("citizen", "municipality"), pk, policy.CONSULTATION_SEND)
    audit.record_read(request.user, case, after={"shown": "consultation_create"})
    return form_step(
        request,
        ConsultationForm(request.POST or None),
        lambda data: services.start_consultation(
            request.user, case, facts=data["facts"], response_deadline=data["response_deadline"]
        ),
        success="Partshøringen er lavet som kladde. Læs brevet igennem, og godkend det for at sende det.",
        then=lambda letter: ("letter-detail", letter.pk),
        template="letters/consultation_create.html",
        context={"case": case},
    )


def _detail_context(request, consultation: Consultation) -> dict:
    return {
        "consultation": consultation,
        "answers": list(consultation.answers.select_related("note", "registered_by")),
        "letters": list(consultation.letters.order_by("-created_at")),
        "can_send": policy.can(request.user, policy.CONSULTATION_SEND, consultation),
    }


@login_required
@require_safe
def consultation_detail(request, pk):
    consultation = _consultation(request, pk, policy.CONSULTATION_VIEW)
    audit.record_read(request.user, consultation, citizen=consultation.citizen)
    return render(request, "letters/consultation_detail.html", _detail_context(request, consultation))


@login_required
@require_http_methods(["GET", "POST"])
def consultation_letter_answer(request, pk):
    consultation = _consultation(request, pk, policy.CONSULTATION_SEND)
    audit.record_read(request.user, consultation, citizen=consultation.citizen, after={"shown": "consultation_answer"})
    return form_step(
        request,
        LetterAnswerForm(request.POST or None),
        lambda data: consultations.register_letter_answer(
            request.user, consultation, text=data["text"], received_on=data["received_on"]
        ),
        success="Svaret er registreret og gemt som journalnotat.",
        then=("consultation-detail", consultation.pk),
        template="letters/consultation_letter_answer.html",
        context={"consultation": consultation},
    )


# --- Min side -------------------------------------------------------------------------------


def _own_sent(request, pk) -> Consultation:
    """The citizen's own sent consultation; anything else (a draft, another's) is 404."""
    citizen = policy.require_own_citizen(request.user)
    consultation = CONSULTATIONS.filter(pk=pk, citizen=citizen, sent_at__isnull=False).first()
    if consultation is None:
        raise Http404(policy.NOT_FOUND)
    policy.require(request.user, policy.CONSULTATION_ANSWER, consultation)
    return consultation


@citizen_required
@require_safe
def my_consultations(request):
    citizen = policy.require_own_citizen(request.user)
    rows = list(
        Consultation.objects.filter(citizen=citizen, sent_at__isnull=False)
        .prefetch_related("answers")
        .order_by("-sent_at", "-id")
    )
    audit.record_read(
        request.user, citizen, object_type="cases.Consultation", after={"shown": "my_consultations", "count": len(rows)}
    )
    return render(request, "letters/my_consultations.html", {"consultations": rows, "today": timezone.localdate()})


@citizen_required
@require_http_methods(["GET", "POST"])
def my_consultation_answer(request, pk):
    consultation = _own_sent(request, pk)
    audit.record_read(request.user, consultation, citizen=consultation.citizen, after={"shown": "my_consultation_answer"})
    return form_step(
        request,
        MyAnswerForm(request.POST or None),
        lambda data: consultations.answer_on_min_side(request.user, consultation, text=data["text"]),
        success="Tak. Dit svar er sendt til din sagsbehandler.",
        then=("my-consultations",),
        template="letters/my_consultation_answer.html",
        context={"consultation": consultation},
    )


def landing_section(user) -> dict:
    """Min side's landing page: the citizen's open consultations with their deadline."""
    citizen = policy.own_citizen(user)
    if citizen is None:
        return {}
    rows = consultations.open_for_citizen(citizen)
    if rows:
        audit.record_read(user, citizen, object_type="cases.Consultation", after={"shown": "landing", "count": len(rows)})
    return {"open_consultations": rows}
