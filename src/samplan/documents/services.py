"""Uploading and reading documents: every rule about a file is here, so the page and the
API refuse exactly the same files with the same Danish messages."""

import hashlib
import logging
from typing import BinaryIO

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import Storage, storages
from django.db import transaction

from samplan.core import audit
from samplan.core.errors import DomainError
from samplan.core.models import AuditEvent

from . import scanning, sniffing
from .models import Document

log = logging.getLogger(__name__)

ALLOWED_TYPES_TEXT = "PDF, PNG, JPEG, GIF, Word, Excel eller PowerPoint"
CHOOSE_AGAIN = "Vælg filen igen."
COMMENT_MAX = 2000


class DocumentError(DomainError):
    """A refused upload; the message is Danish and says what to do."""


def storage() -> Storage:
    return storages["documents"]


def max_bytes() -> int:
    return int(settings.SAMPLAN_UPLOAD_MAX_MB * 1024 * 1024)


def max_text() -> str:
    mb = settings.SAMPLAN_UPLOAD_MAX_MB
    return f"{mb:g}".replace(".", ",") + " MB"


def too_large_message() -> str:
    return f"Filen er for stor. Den må højst fylde {max_text()}. {CHOOSE_AGAIN}"


def _digest(stream: BinaryIO) -> str:
    stream.seek(0)
    sha = hashlib.sha256()
    while chunk := stream.read(64 * 1024):
        sha.update(chunk)
    stream.seek(0)
    return sha.hexdigest()


def check_file(upload: File) -> sniffing.FileType:
    """The file's allowed type, or a DocumentError: empty, too large, a type not allowed."""
    size = upload.size or 0
    if size == 0:
        raise _file_error(f"Filen er tom. {CHOOSE_AGAIN}", "empty")
    if size > max_bytes():
        raise _file_error(too_large_message(), "too_large")
    file_type = sniffing.sniff(upload.file)  # type: ignore[arg-type]
    if file_type is None:
        raise _file_error(f"Filen er ikke en tilladt filtype. Upload en {ALLOWED_TYPES_TEXT}-fil. {CHOOSE_AGAIN}", "file_type")
    return file_type


def _file_error(message: str, code: str) -> DocumentError:
    """A refusal about the file itself: shown at the file field (page) or under "file" (API)."""
    return DocumentError({"file": [DocumentError(message, code=code)]})


def upload_document(
    user,
    citizen,
    *,
    file: File,
    kind: str,
    title: str,
    case=None,
    shared_with_citizen: bool = False,
    comment: str = "",
    from_citizen: bool = False,
    scanner: scanning.Scanner | None = None,
) -> Document:
    """Store ``file`` for ``citizen`` (and ``case``, which must be theirs) and record it."""
    if case is not None and case.citizen_id != citizen.pk:
        raise DocumentError("Sagen hører ikke til borgeren.", code="case")
    if kind not in Document.Kind.values:
        raise DocumentError("Vælg en gyldig dokumentart.", code="kind")
    title = (title or "").strip()
    if not title:
        raise DocumentError("Giv dokumentet en titel.", code="required")
    file_type = check_file(file)
    result = (scanner or scanning.configured_scanner()).scan(file.file)  # type: ignore[arg-type]
    if result.status == scanning.INFECTED:
        log.warning("Upload refused: virus found (user %s, citizen %s)", user.pk, citizen.pk)
        raise _file_error("Filen blev afvist, fordi virusscanningen fandt skadeligt indhold. Kontakt IT-supporten.", "infected")
    if result.status == scanning.ERROR:
        log.error("Upload refused: the virus scanner did not answer (user %s, citizen %s)", user.pk, citizen.pk)
        raise _file_error(f"Filen kunne ikke virusscannes lige nu. Prøv igen om lidt. {CHOOSE_AGAIN}", "scan_error")
    document = Document(
        municipality_id=citizen.municipality_id,
        citizen=citizen,
        case=case,
        kind=kind,
        title=title[:200],
        original_name=(getattr(file, "name", "") or "")[-255:],
        content_type=file_type.content_type,
        size=file.size or 0,
        sha256=_digest(file.file),  # type: ignore[arg-type]
        uploaded_by=user,
        uploaded_by_role=user.role,
        uploaded_by_unit_id=user.unit_id,
        shared_with_citizen=shared_with_citizen,
        comment=(comment or "").strip()[:COMMENT_MAX],
        from_citizen=from_citizen,
        scan_status=Document.ScanStatus.CLEAN if result.status == scanning.CLEAN else Document.ScanStatus.NOT_SCANNED,
    )
    file.seek(0)
    stored = storage().save(document.storage_name, file)
    if stored != document.storage_name:  # a backend may rename; the row names what was stored
        document.storage_name = stored
    try:
        with transaction.atomic():
            document.save()
            audit.record(user, AuditEvent.Action.CREATE, document, after=audit.snapshot(document))
    except Exception:
        storage().delete(stored)  # no file without its row
        raise
    return document


def upload_from_citizen(user, citizen, *, file: File, title: str, comment: str = "") -> Document:
    """The citizen sends a document to their caseworker from Min side: stored on themself,
    kind "Andet", with their comment; staff see it marked "Fra borgeren" (``from_citizen``).
    Not shared back: it is the citizen's own, which they see anyway (``policy.documents_visible``)."""
    if citizen.user_id != user.pk:
        raise DocumentError("Du kan kun sende dokumenter om dig selv.", code="not_self")
    return upload_document(user, citizen, file=file, kind=Document.Kind.OTHER, title=title, comment=comment, from_citizen=True)


def open_content(user, document: Document) -> BinaryIO:
    """The stored file, opened for reading; the read is audited with the citizen."""
    audit.record_read(user, document, after={"shown": "document_content"})
    return storage().open(document.storage_name, "rb")  # type: ignore[return-value]


def safe_download_name(document: Document) -> str:
    """A file name for the download: the title's letters, digits and a few separators, with
    the extension of the detected type (never the uploaded name's)."""
    keep = "".join(ch if ch.isalnum() or ch in " -_()" else "_" for ch in document.title).strip(" _") or "dokument"
    file_type = document.file_type
    return f"{keep[:100]}.{file_type.key if file_type else 'bin'}"
