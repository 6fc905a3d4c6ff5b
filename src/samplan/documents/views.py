"""The document pages: a citizen's list, the upload form, the download. Thin: the policy
decides, the form and services.upload_document check the file, the download is audited."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from samplan.cases.models import Case
from samplan.core import audit, policy
from samplan.core.steps import form_step

from . import services
from .forms import UploadForm
from .models import Document
from .uploads import limit_uploads


@login_required
@require_safe
def citizen_documents(request: HttpRequest, pk: int) -> HttpResponse:
    citizen = policy.get_citizen(request.user, pk, policy.VIEW_DOCUMENT)
    documents = policy.visible(request.user, Document.objects.filter(citizen=citizen).select_related("case", "uploaded_by"))
    audit.record_read(request.user, citizen, after={"shown": "documents"})
    return render(
        request,
        "documents/citizen_documents.html",
        {"citizen": citizen, "documents": documents, "can_upload": policy.can(request.user, policy.UPLOAD_DOCUMENT, citizen)},
    )


@require_http_methods(["GET", "POST"])
@csrf_exempt  # the upload handlers must be set before CSRF reads the body; checked below
@login_required
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    handler = limit_uploads(request, services.max_bytes())
    return _upload(request, pk, handler)


@csrf_protect
def _upload(request: HttpRequest, pk: int, handler) -> HttpResponse:
    user = request.user
    citizen = policy.get_citizen(user, pk, policy.UPLOAD_DOCUMENT)
    audit.record_read(user, citizen, after={"shown": "document_upload_form"})
    cases = policy.visible(user, Case.objects.filter(citizen=citizen).order_by("-pk"))
    knows_cases = policy.knows_whole_case(user)
    initial = {}
    if request.method == "GET" and (wanted := request.GET.get("sag", "")).isdigit():
        initial["case"] = cases.filter(pk=int(wanted)).first()
    posted = request.method == "POST"  # an empty POST is a refused form (400), not a fresh one
    form = UploadForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        cases=cases if knows_cases else None,
        too_large=bool(handler.skipped),
        initial=initial,
    )
    return form_step(
        request,
        form,
        lambda data: services.upload_document(
            user,
            citizen,
            file=data["file"],
            kind=data["kind"],
            title=data["title"],
            case=data.get("case"),
            shared_with_citizen=data["shared_with_citizen"],
        ),
        success=lambda document: f"Dokumentet »{document.title}« er gemt.",
        then=("citizen-documents", citizen.pk),
        template="documents/upload_form.html",
        context={"citizen": citizen, "case": initial.get("case")},
    )


@login_required
@require_safe
def download(request: HttpRequest, pk: int) -> FileResponse:
    document = policy.get_object(request.user, Document.objects.select_related("citizen"), pk, policy.VIEW_DOCUMENT)
    return file_response(request.user, document)


def file_response(user, document: Document) -> FileResponse:
    """The file with the detected type, a safe name, and no sniffing or caching by the browser
    (also the API's download)."""
    file_type = document.file_type
    response = FileResponse(
        services.open_content(user, document),
        content_type=document.content_type,
        as_attachment=not (file_type and file_type.inline),
        filename=services.safe_download_name(document),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
