"""Min side's letters (/mit/breve/): the letters the municipality sent the citizen, each as
text and as the PDF that was sent. Only SENT letters of the citizen themself; a draft, a
letter that failed or someone else's letter is 404 (``policy.visible_letters`` and
``policy.VIEW_LETTER``). Relatives: no consent kind covers letters, so none (404)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from samplan.core import audit, policy
from samplan.portal.decorators import citizen_required

from . import pdf
from .models import Kind, Letter

LIST_LIMIT = 200

# What each kind of letter is, in words a citizen knows (the Kind labels are the staff's).
PLAIN_KINDS = {
    Kind.GRANT: "Svar: du får hjælp",
    Kind.PARTIAL_GRANT: "Svar: du får noget af den hjælp, du søgte",
    Kind.REFUSAL: "Svar: du får ikke hjælpen",
    Kind.CONSULTATION: "Vi vil gerne høre din mening (partshøring)",
    Kind.MEETING: "Du er inviteret til et møde",
    Kind.FOLLOW_UP: "Vi følger op på din hjælp",
    Kind.ACCESS_TO_FILES: "Aktindsigt: se hvad vi har skrevet om dig",
}


def plain_kind(letter: Letter) -> str:
    return PLAIN_KINDS.get(Kind(letter.kind), letter.get_kind_display()) if letter.kind in Kind.values else letter.kind


def my_letters_queryset(user):
    """The citizen's sent letters, newest first (404 for a user without a citizen record)."""
    citizen = policy.require_own_citizen(user)
    letters = policy.visible_letters(user, Letter.objects.filter(citizen=citizen))
    return citizen, letters.order_by("-sent_at", "-id")


def _my_letter(request: HttpRequest, pk: int) -> Letter:
    _citizen, letters = my_letters_queryset(request.user)
    return policy.get_object(request.user, letters.select_related("citizen", "municipality"), pk, policy.VIEW_LETTER)


@require_safe
@citizen_required
def my_letters(request: HttpRequest) -> HttpResponse:
    citizen, letters = my_letters_queryset(request.user)
    rows = list(letters.defer("pdf", "body", "fields")[:LIST_LIMIT])
    for letter in rows:
        letter.plain_kind = plain_kind(letter)
    audit.record_read(request.user, citizen, object_type="letters.Letter", after={"shown": "my_letters", "count": len(rows)})
    return render(request, "letters/my_letters.html", {"letters": rows})


@require_safe
@citizen_required
def my_letter(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _my_letter(request, pk)
    audit.record_read(request.user, letter, after={"shown": "my_letter"})
    return render(request, "letters/my_letter.html", {**pdf.context(letter), "plain_kind": plain_kind(letter)})


@require_safe
@citizen_required
def my_letter_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _my_letter(request, pk)
    if not letter.pdf:  # pragma: no cover — a sent letter always has its PDF (approve_and_send)
        return render(request, "letters/letter_locked.html", {"letter": letter, "no_pdf": True}, status=404)
    audit.record_read(request.user, letter, after={"shown": "my_letter_pdf"})
    response = HttpResponse(bytes(letter.pdf), content_type="application/pdf")
    day = letter.sent_at.date().isoformat() if letter.sent_at else str(letter.pk)
    # A name built from the date and the id only: nothing the user typed, nothing personal.
    response["Content-Disposition"] = f'attachment; filename="brev-{day}-{letter.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


def landing_section(user) -> dict:
    """Min side's landing page: how many letters and the newest (``portal.landing``)."""
    if not policy.is_citizen(user) or policy.own_citizen(user) is None:
        return {}
    _citizen, letters = my_letters_queryset(user)
    newest = letters.defer("pdf", "body", "fields").first()
    return {"letters_card": {"count": letters.count(), "newest": newest}}
