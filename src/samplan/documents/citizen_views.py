"""Min side's documents (/mit/dokumenter/): what the staff shared with the citizen and what
the citizen sent themself, the download, and the form to send a document to the caseworker.
The same file checks as the staff upload (forms.FileChecksMixin, services.upload_document)."""

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from samplan.core import audit, policy
from samplan.core.steps import form_step
from samplan.portal.decorators import citizen_required

from . import services
from .forms import CitizenUploadForm
from .models import Document
from .uploads import limit_uploads
from .views import file_response

LIST_LIMIT = 200


def my_documents_queryset(user):
    citizen = policy.require_own_citizen(user)
    return citizen, policy.visible(user, Document.objects.filter(citizen=citizen)).select_related("uploaded_by")


@require_safe
@citizen_required
def my_documents(request: HttpRequest) -> HttpResponse:
    citizen, documents = my_documents_queryset(request.user)
    rows = list(documents[:LIST_LIMIT])
    audit.record_read(
        request.user, citizen, object_type="documents.Document", after={"shown": "my_documents", "count": len(rows)}
    )
    return render(
        request,
        "documents/my_documents.html",
        {
            "shared": [d for d in rows if not d.from_citizen],
            "sent": [d for d in rows if d.from_citizen],
            "can_upload": policy.can(request.user, policy.UPLOAD_OWN_DOCUMENT, citizen),
        },
    )


@require_safe
@citizen_required
def my_document_file(request: HttpRequest, pk: int) -> FileResponse:
    citizen = policy.require_own_citizen(request.user)
    queryset = Document.objects.filter(citizen=citizen).select_related("citizen")
    document = policy.get_object(request.user, queryset, pk, policy.VIEW_DOCUMENT)
    return file_response(request.user, document)  # audited with the citizen (services.open_content)


@require_http_methods(["GET", "POST"])
@csrf_exempt  # the upload handlers must be set before CSRF reads the body; checked below
@citizen_required
def my_document_upload(request: HttpRequest) -> HttpResponse:
    handler = limit_uploads(request, services.max_bytes())
    return _upload(request, handler)


@csrf_protect
def _upload(request: HttpRequest, handler) -> HttpResponse:
    user = request.user
    citizen = policy.require_own_citizen(user)
    policy.require(user, policy.UPLOAD_OWN_DOCUMENT, citizen)
    posted = request.method == "POST"
    form = CitizenUploadForm(request.POST if posted else None, request.FILES if posted else None, too_large=bool(handler.skipped))
    return form_step(
        request,
        form,
        lambda data: services.upload_from_citizen(
            user, citizen, file=data["file"], title=data["title"], comment=data.get("comment", "")
        ),
        success=lambda document: f"Tak. Vi har fået »{document.title}«. Din sagsbehandler kan nu se det.",
        then=("my-documents",),
        template="documents/my_document_upload.html",
        context={},
    )


def landing_section(user) -> dict:
    """Min side's landing page: the way to the documents and to send one (``portal.landing``)."""
    if not policy.is_citizen(user) or policy.own_citizen(user) is None:
        return {}
    _citizen, documents = my_documents_queryset(user)
    return {"documents_card": {"shared": documents.filter(shared_with_citizen=True).count()}}
