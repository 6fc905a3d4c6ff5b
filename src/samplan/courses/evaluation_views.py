"""Pages for the course evaluation (answered without login through the personal link), the
shared course report and the public brochure PDF. The rules live in evaluation.py,
reports.py and brochure.py; these views only collect input and render."""

import csv

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from samplan.core import policy, ratelimit
from samplan.core.forms import DKFDSFormMixin

from . import brochure, evaluation, reports
from .models import Term


class EvaluationForm(DKFDSFormMixin, forms.Form):
    """One field per asked item. evaluation.validate_answers has the last word; the form
    keeps what was typed when either refuses."""

    def __init__(self, items, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = [i for i in items if i.kind != evaluation.COURSE]
        for item in self.items:
            # (DKFDSFormMixin styles the fields that exist at its __init__; these come after.)
            if item.kind == evaluation.MULTI:
                field = forms.MultipleChoiceField(
                    choices=item.choices, widget=forms.CheckboxSelectMultiple(attrs={"class": "form-checkbox"})
                )
            elif item.kind == evaluation.TEXT:
                field = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "class": "form-input input-width-l"}))
            else:
                field = forms.ChoiceField(choices=item.choices, widget=forms.RadioSelect(attrs={"class": "form-radio"}))
            field.required = item.required
            field.error_messages["required"] = (
                f"Vælg mindst én af mulighederne ved »{item.text}«."
                if item.kind == evaluation.MULTI
                else f"Vælg et svar ved »{item.text}«."
            )
            field.label = item.text
            field.help_text = item.hint
            field.error_messages["invalid_choice"] = f"Vælg et af svarene ved »{item.text}«."
            if item.hint and item.kind == evaluation.TEXT:  # groups get theirs on the fieldset
                field.widget.attrs["aria-describedby"] = f"id_{item.key}_helptext"
            self.fields[item.key] = field
        # The honeypot (core/ratelimit.py), outside self.items: never part of the answers.
        self.fields[ratelimit.HONEYPOT_FIELD] = ratelimit.honeypot_field()
        self.fields[ratelimit.HONEYPOT_FIELD].widget.attrs["class"] = "form-input"

    def data_for_service(self) -> dict:
        return {i.key: self.cleaned_data.get(i.key) for i in self.items}

    def raw_answers(self) -> dict:
        """What was submitted, before the form's own checks (to report every problem at once)."""
        return {i.key: self.data.getlist(i.key) if i.kind == evaluation.MULTI else self.data.get(i.key, "") for i in self.items}

    def add_domain_error(self, error: ValidationError) -> None:
        for key, messages in error.message_dict.items():
            if key in self.errors:
                continue  # the form already said what is wrong with this answer
            for message in messages:
                self.add_error(key if key in self.fields else None, message)

    def sections(self):
        """[(group heading or "", [bound fields])] in the questionnaire's order."""
        out = []
        for item in self.items:
            if out and out[-1][0] == item.group:
                out[-1][1].append((item, self[item.key]))
            else:
                out.append((item.group, [(item, self[item.key])]))
        return out


@never_cache  # a personal page: not kept in shared or browser caches
@require_http_methods(["GET", "POST"])
@ratelimit.limit("evaluation")
def evaluation_answer(request, token):
    invite = evaluation.invite_for(token)
    if invite is None:
        raise Http404("Linket findes ikke.")
    course = invite.enrolment.course
    context = {"course": course, "school": course.term.school}
    if invite.answered_at is not None:
        return render(request, "courses/evaluation_done.html", context | {"already": True})
    if ratelimit.honeypot_filled(request):
        # A robot filled in the hidden field: nothing is saved, the link stays unused, the page looks as usual.
        return render(request, "courses/evaluation_done.html", context | {"already": False})
    items = evaluation.items_for(course)
    form = EvaluationForm(items, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        try:
            if form.is_valid():
                evaluation.submit(invite, form.data_for_service())
                return render(request, "courses/evaluation_done.html", context | {"already": False})
            evaluation.validate_answers(items, form.raw_answers())  # the remaining messages, too
        except evaluation.AlreadyAnswered:
            return render(request, "courses/evaluation_done.html", context | {"already": True})
        except ValidationError as error:
            form.add_domain_error(error)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "courses/evaluation_answer.html", context | {"form": form}, status=status)


def _report_term(request):
    if not policy.may_view_course_reports(request.user):
        raise PermissionDenied("Kun samarbejdsparternes medarbejdere og ledelsen kan se kursusrapporten.")
    terms = list(reports.terms_with_courses())
    slug = request.GET.get("term", "")
    if slug:
        term = get_object_or_404(Term.objects.select_related("school"), slug=slug)
    else:
        term = terms[0] if terms else None
    return term, terms


@login_required
@require_GET
def course_report(request):
    term, terms = _report_term(request)
    report = reports.course_report(term) if term else None
    return render(request, "courses/report.html", {"term": term, "terms": terms, "report": report})


@login_required
@require_GET
def course_report_csv(request):
    term, _ = _report_term(request)
    if term is None:
        raise Http404("Der er ingen kurser endnu.")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tilmeldinger-{term.slug}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the Danish letters right
    writer = csv.writer(response, delimiter=";")
    writer.writerows(reports.enrolment_table_csv_rows(reports.course_report(term)))
    return response


@require_safe
def course_brochure(request, term):
    term = get_object_or_404(Term.objects.select_related("school"), slug=term)
    response = HttpResponse(brochure.render_pdf(term), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="kursusfolder-{term.slug}.pdf"'
    return response
