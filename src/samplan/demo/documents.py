"""Demo documents (called from samplan.demo.generator.seed): a doctor's statement on the demo
citizen's case, shared with them, and a provider's statement — through
documents.services.upload_document, so they are sniffed, stored and audited as real ones.
The PDFs are made by WeasyPrint from a few fictional lines."""

from django.core.files.uploadedfile import SimpleUploadedFile

from samplan.core.pdf import html_to_pdf
from samplan.documents import services
from samplan.documents.models import Document


def _pdf(heading: str, text: str) -> bytes:
    return html_to_pdf(f"<html lang='da'><body><h1>{heading}</h1><p>{text}</p><p>(Fiktivt demodokument.)</p></body></html>")


def seed_demo_documents(citizen, *, caseworker, provider_user=None) -> int:
    """Returns how many documents were made; nothing if the citizen has some already."""
    if Document.objects.filter(citizen=citizen).exists():
        return 0
    case = citizen.cases.order_by("pk").first()
    made = [
        services.upload_document(
            caseworker,
            citizen,
            file=SimpleUploadedFile("laegeerklaering.pdf", _pdf("Lægeerklæring", "Patienten har behov for støtte i hverdagen.")),
            kind=Document.Kind.MEDICAL_STATEMENT,
            title="Lægeerklæring fra egen læge",
            case=case,
            shared_with_citizen=True,
        )
    ]
    if provider_user is not None:
        made.append(
            services.upload_document(
                provider_user,
                citizen,
                file=SimpleUploadedFile("statusudtalelse.pdf", _pdf("Statusudtalelse", "Forløbet går godt.")),
                kind=Document.Kind.STATEMENT,
                title="Statusudtalelse fra bostøtten",
            )
        )
    return len(made)
