"""Letter pages: make a draft from a case ("Lav brev"), preview, edit this letter's text,
approve and send, the PDF; the administrators' templates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from samplan.cases.models import Case
from samplan.core import audit, policy
from samplan.core.steps import apply, form_step, status_of

from . import merge, pdf, services
from .forms import ApproveForm, LetterCreateForm, LetterEditForm, TemplateVersionForm
from .models import Kind, Letter

LETTERS = Letter.objects.select_related("citizen", "case", "municipality", "grant", "created_by", "approved_by")


def _letter(request, pk, action=policy.VIEW_LETTER) -> Letter:
    return policy.get_object(request.user, LETTERS, pk, action)


@login_required
@require_http_methods(["GET", "POST"])
def letter_create(request, pk):
    case = policy.get_object(request.user, Case.objects.select_related("citizen", "municipality"), pk, policy.WRITE_LETTER)
    audit.record_read(request.user, case, after={"shown": "letter_create"})
    return form_step(
        request,
        LetterCreateForm(request.POST or None, kinds=services.kinds_for(case)),
        lambda data: services.create_letter(request.user, case, kind=data["kind"]),
        success="Kladden er lavet. Læs brevet igennem, før du godkender det.",
        then=lambda letter: ("letter-detail", letter.pk),
        template="letters/letter_create.html",
        context={"case": case},
    )


def _detail_context(request, letter: Letter, approve_form=None) -> dict:
    can_write = policy.can(request.user, policy.WRITE_LETTER, letter)
    return {
        "letter": letter,
        **pdf.context(letter),
        "can_write": can_write,
        "approve_form": approve_form or ApproveForm(initial={"version": letter.row_version}),
        "attempts": list(letter.delivery_attempts.all()),
    }


@login_required
@require_safe
def letter_detail(request, pk):
    """The preview: the letter as the citizen will read it, and where it is in its life."""
    letter = _letter(request, pk)
    audit.record_read(request.user, letter)
    return render(request, "letters/letter_detail.html", _detail_context(request, letter))


@login_required
@require_http_methods(["GET", "POST"])
def letter_edit(request, pk):
    letter = _letter(request, pk, policy.WRITE_LETTER)
    audit.record_read(request.user, letter, after={"shown": "letter_edit"})
    if not letter.is_draft:
        # Approved or sent: the text is what the citizen gets (or got); nothing to edit.
        return render(request, "letters/letter_locked.html", {"letter": letter}, status=409)
    form = LetterEditForm(
        request.POST or None, initial={"subject": letter.subject, "body": letter.body, "version": letter.row_version}
    )
    return form_step(
        request,
        form,
        lambda data: services.edit_letter(
            request.user, letter, subject=data["subject"], body=data["body"], expected_version=data["version"]
        ),
        success="Brevet er gemt.",
        then=("letter-detail", letter.pk),
        template="letters/letter_edit.html",
        context={"letter": letter},
    )


@login_required
@require_POST
def letter_approve(request, pk):
    letter = _letter(request, pk, policy.WRITE_LETTER)
    if not letter.is_draft:
        return render(request, "letters/letter_locked.html", {"letter": letter}, status=409)
    form = ApproveForm(request.POST)
    result = apply(form, lambda data: services.approve_and_send(request.user, letter, expected_version=data["version"]))
    if result:
        messages.success(request, "Brevet er godkendt og sendes nu.")
        return redirect("letter-detail", letter.pk)
    audit.record_read(request.user, letter)
    return render(request, "letters/letter_detail.html", _detail_context(request, letter, form), status=status_of(form))


@login_required
@require_POST
def letter_retry(request, pk):
    letter = _letter(request, pk, policy.WRITE_LETTER)
    if letter.status != Letter.Status.FAILED:
        return render(request, "letters/letter_locked.html", {"letter": letter}, status=409)
    services.retry(request.user, letter)
    messages.success(request, "Brevet sendes igen.")
    return redirect("letter-detail", letter.pk)


@login_required
@require_safe
def letter_pdf(request, pk):
    letter = _letter(request, pk)
    if not letter.pdf:
        return render(request, "letters/letter_locked.html", {"letter": letter, "no_pdf": True}, status=404)
    audit.record_read(request.user, letter, after={"shown": "letter_pdf"})
    response = HttpResponse(bytes(letter.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="brev-{letter.pk}.pdf"'
    return response


# --- The administrators' templates ----------------------------------------------------------


@login_required
@require_safe
def template_list(request):
    policy.require(request.user, policy.MANAGE_LETTER_TEMPLATES)
    return render(request, "letters/template_list.html", {"rows": services.template_rows(request.user.municipality)})


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request, kind):
    policy.require(request.user, policy.MANAGE_LETTER_TEMPLATES)
    if kind not in Kind.values:
        raise Http404(policy.NOT_FOUND)
    municipality = request.user.municipality
    current = services.current_text(municipality, kind)
    form = TemplateVersionForm(request.POST or None, initial=current)
    return form_step(
        request,
        form,
        lambda data: services.save_template_version(request.user, municipality, kind, subject=data["subject"], body=data["body"]),
        success="Skabelonen er gemt som en ny version.",
        then=("letter-templates",),
        template="letters/template_edit.html",
        context={"kind": Kind(kind), "current": current, "merge_fields": merge.MERGE_FIELDS.items()},
    )
