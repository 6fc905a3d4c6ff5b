"""A document the citizen sent from Min side is marked as theirs, with their message, in the
staff documents API too (not only on the staff page)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from samplan.core.models import Role
from samplan.documents import services
from samplan.documents.models import Document
from tests.factories import make_citizen
from tests.test_i12_docs import logged_in, pdf_bytes


def test_the_api_marks_a_document_from_the_citizen(org, users):
    citizen = make_citizen(org, caseworker=users[Role.CASEWORKER], user=users[Role.CITIZEN])
    services.upload_from_citizen(
        users[Role.CITIZEN], citizen, file=SimpleUploadedFile("b.pdf", pdf_bytes()), title="Fra lægen", comment="Se side 2"
    )
    services.upload_document(
        users[Role.CASEWORKER], citizen, file=SimpleUploadedFile("a.pdf", pdf_bytes()), kind=Document.Kind.OTHER, title="Notat"
    )
    rows = logged_in(users[Role.CASEWORKER]).get("/api/v1/documents/", {"citizen": citizen.pk}).json()["results"]
    marks = {row["title"]: (row["from_citizen"], row["comment"]) for row in rows}
    assert marks == {"Fra lægen": (True, "Se side 2"), "Notat": (False, "")}
